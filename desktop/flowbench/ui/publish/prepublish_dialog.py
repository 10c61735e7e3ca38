"""The modal pre-publish dialog: the summary, then three choices (all unticked, each with
its live count), an override reason when approvals are missing, Publish / Cancel.

The dialog only collects: clicking Publish emits ``publish_requested(choices, reason)``
and whoever opened it runs the publish (``publish_run.PublishRun``), keeping the dialog
open until it succeeds. Testable without ``exec()``: construct, tick, click.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.migration_choice import MIGRATE, moved_and_cancelled, with_migration
from flowbench.domain.publish_plan import (
    PublishChoices,
    PublishPlan,
    choice_texts,
    duplicates_possible,
    publish_counts,
    start_count,
)
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import label, note, rich_text
from flowbench.ui.kit.layouts import scroll_area
from flowbench.ui.publish import look
from flowbench.ui.publish.forecast_panel import ForecastPanel
from flowbench.ui.publish.plan_text import names, segment_sentence, summary_html

BOX_INDENT = 26  # a check box's text starts this far in
FRAME_ROOM = 60  # what a window's title bar and frame take off the screen's height
CHOICES = (MIGRATE, "cancel_previous_instances", "cancel_previous_cards",
           "start_existing_segment_members")


def _count_of(plan: PublishPlan, key: str, choices: PublishChoices) -> int:
    if key == MIGRATE:
        return plan.migration.movable if plan.migration else 0
    if key == "cancel_previous_instances":
        return plan.running_previous
    if key == "cancel_previous_cards":
        return plan.open_cards_previous
    return start_count(plan, choices)


class PrePublishDialog(QDialog):
    publish_requested = Signal(object, object)  # PublishChoices, override reason or None

    def __init__(self, plan: PublishPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prePublishDialog")
        self.setModal(True)
        self.setAccessibleName("Publish the draft")
        self.setStyleSheet(look.stylesheet(look.dark(self)))
        self.setMinimumWidth(640)
        self.plan = plan
        self.heading = label(self, look="dialogHeading", wrap=True)
        self.stale_note = note(self, "What changed since you looked", look="staleNote",
                               visible=False)
        summary_frame = QFrame(self)
        summary_frame.setObjectName("summaryFrame")
        self.summary = rich_text(summary_frame, "Summary of the draft")
        framed = QVBoxLayout(summary_frame)
        framed.setContentsMargins(12, 10, 12, 10)
        framed.addWidget(self.summary)
        self.forecast = ForecastPanel(self, compact=True)  # runs when asked, off the GUI thread
        choices_heading = label(self, "When it goes live, also…", look="sectionHeading")
        self.boxes: dict[str, QCheckBox] = {}
        for key in CHOICES:
            box = QCheckBox(self)
            box.setAccessibleName(key.replace("_", " ").capitalize())
            self.boxes[key] = box
        self.migration_note = self._box_note()  # what holds instances back (the box: one line)
        self.segment_note = self._box_note()
        self.duplicate_note = note(self, "Customers who would get a second card",
                                   look="staleNote", visible=False)
        self.counting_note = note(self, "Counting who would get a second card",  # meanwhile
                                  "Counting the customers this publish starts who still "
                                  "have a card from an earlier version…", visible=False)
        self.default_note = label(self, "Nothing is cancelled or started unless you tick it.",
                                  look="subtle")
        self.override_frame = QFrame(self)
        self.override_frame.setObjectName("overrideFrame")
        self.override_text = label(self.override_frame, wrap=True)
        self.override_reason = QLineEdit(self.override_frame)
        self.override_reason.setAccessibleName("Reason for publishing without approvals")
        self.override_reason.setPlaceholderText("Why it cannot wait for the approvals "
                                                "(recorded in the audit log)")
        override = QVBoxLayout(self.override_frame)
        override.setContentsMargins(12, 10, 12, 10)
        override.addWidget(self.override_text)
        override.addWidget(self.override_reason)
        self.buttons = QDialogButtonBox(self)
        self.publish_button = button(self, "&Publish", "Publish now")
        self.publish_button.setAutoDefault(False)
        self.cancel_button = button(self, "Cancel", "Cancel publishing")
        self.cancel_button.setDefault(True)  # Enter never publishes by accident
        self.buttons.addButton(self.publish_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        # what the dialog says scrolls when the screen is too short for it; the heading
        # and the buttons stay in view
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        body.addWidget(self.stale_note)
        body.addWidget(summary_frame)
        body.addWidget(self.forecast)
        body.addSpacing(4)
        body.addWidget(choices_heading)
        for key in CHOICES:
            body.addWidget(self.boxes[key])
            if key == "start_existing_segment_members":
                body.addWidget(self.segment_note)
            if key == MIGRATE:
                body.addWidget(self.migration_note)
        body.addWidget(self.duplicate_note)
        body.addWidget(self.counting_note)
        body.addWidget(self.default_note)
        body.addWidget(self.override_frame)
        self.body_scroll = scroll_area(self, self.body, "The publish: summary and choices")
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.viewport().setAutoFillBackground(False)
        self.body.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.body_scroll, 1)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

        self.publish_button.clicked.connect(self._publish_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.override_reason.textChanged.connect(lambda _text: self._update_buttons())
        for box in self.boxes.values():
            box.toggled.connect(self._update_start_text)
        self.boxes[MIGRATE].toggled.connect(lambda _on: self._update_cancel_text())
        self.finished.connect(lambda _code: self.forecast.cancel())
        self.forecast.forecast_ready.connect(lambda _result: self._fit_height())
        self.busy = False
        self.set_plan(plan)
        self.cancel_button.setFocus()

    def _box_note(self) -> QLabel:
        """A note under its choice, indented to the box's text."""
        widget = note(self)
        widget.setContentsMargins(BOX_INDENT, 0, 0, 0)
        return widget

    # --- showing the plan ------------------------------------------------------------------
    def set_plan(self, plan: PublishPlan, note: str = "") -> None:
        """Show ``plan``; the choices start unticked again (their counts may differ)."""
        self.plan = plan
        self.setWindowTitle(f"Publish “{plan.flow_name}”")
        self.heading.setText(f"Publish Version {plan.version} of “{plan.flow_name}”")
        self.stale_note.setText(note)
        self.stale_note.setVisible(bool(note))
        self.summary.setText(summary_html(plan, compact=True, muted=look.muted(self)))
        self.forecast.set_flow(plan.flow_id, plan.revision)
        texts = with_migration(choice_texts(plan), plan)
        for key, box in self.boxes.items():
            box.setChecked(False)
            box.setText(texts.get(key, ""))
            box.setVisible(key in texts)
            box.setEnabled(_count_of(plan, key, PublishChoices()) > 0)
        self._update_start_text()
        self._show_migration(plan)
        self.segment_note.setVisible(plan.segment is not None)
        needs_override = bool(plan.approvals_missing)
        self.override_frame.setVisible(needs_override)
        if needs_override:
            self.override_text.setText(
                f"<b>Approvals are missing</b> from {names(plan.approvals_missing)}. "
                + ("You may publish without them in an emergency: say why. Your reason "
                   "is recorded in the audit log." if plan.can_publish_with_override else
                   "You cannot publish until they approve."))
        self._update_buttons()
        if self.isVisible():  # shown again with another plan (changed since you looked)
            self._fit_height()

    def _update_start_text(self) -> None:
        """Ticking "cancel running instances" changes how many customers would start,
        and the choices together say whether some would get a second card."""
        key = "start_existing_segment_members"
        choices = self.choices()
        cancelling = choices.cancel_previous_instances
        texts = choice_texts(self.plan, choices)
        if key in texts:
            self.boxes[key].setText(texts[key])
            self.boxes[key].setEnabled(not self.busy
                                       and _count_of(self.plan, key, choices) > 0)
        warning = publish_counts(self.plan, choices).duplicate_warning()
        # still counted (said quietly: it is not a warning yet)
        counting = self.plan.holders_pending and duplicates_possible(self.plan, choices)
        self.duplicate_note.setText(warning or "")
        for shown, line in ((bool(warning) and not counting, self.duplicate_note),
                            (counting, self.counting_note)):
            if line.isVisibleTo(self) != shown:
                line.setVisible(shown)
                self.adjustSize()  # room for the note (or give it back)
        note = segment_sentence(self.plan)
        if note and cancelling and self.plan.segment and self.plan.segment.already_running:
            note = note[:-1] + " — they start again, as their running instances are cancelled."
        self.segment_note.setText(note)

    def set_card_holders(self, plan: PublishPlan) -> None:
        """Who already holds the earlier versions' cards, counted after the dialog
        opened (``plan``: the one shown, with them); the choices stay as they are."""
        if plan.version == self.plan.version and plan.revision == self.plan.revision:
            self.plan = replace(self.plan, card_holders=plan.card_holders,
                                holders_pending=False)
            self._update_start_text()

    def _show_migration(self, plan: PublishPlan) -> None:
        """The fourth box on one line; what holds the others back wrapped below it."""
        figures = plan.migration
        box = self.boxes[MIGRATE]
        if figures is None or not box.isVisibleTo(self):
            self.migration_note.hide()
            return
        box.setText(figures.move_text())
        box.setToolTip(figures.choice_text())
        box.setAccessibleDescription(figures.choice_text())
        held = figures.held_text()
        self.migration_note.setText(f"{held}. They stay where they are unless you also cancel "
                                    "running instances." if held else
                                    "Every one of them waits at a step the new version has.")
        self.migration_note.setVisible(True)

    def _update_cancel_text(self) -> None:
        """Moving chosen too: the cancel choice cancels only those that cannot move."""
        key = "cancel_previous_instances"
        texts = with_migration(choice_texts(self.plan), self.plan, self.choices())
        self.boxes[key].setText(texts.get(key, ""))
        _moved, count = moved_and_cancelled(
            self.plan, replace(self.choices(), cancel_previous_instances=True))
        self.boxes[key].setEnabled(not self.busy and count > 0)
        if not count:
            self.boxes[key].setChecked(False)

    def show_note(self, text: str) -> None:
        self.stale_note.setText(text)
        self.stale_note.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """While the publish runs: nothing here can be changed."""
        self.busy = busy
        choices = self.choices()
        for key, box in self.boxes.items():
            box.setEnabled(not busy and _count_of(self.plan, key, choices) > 0)
        if not busy:
            self._update_cancel_text()
        self.override_reason.setReadOnly(busy)
        self.cancel_button.setEnabled(not busy)
        self._update_buttons()

    # --- answers -----------------------------------------------------------------------------
    def choices(self) -> PublishChoices:
        return PublishChoices(
            cancel_previous_instances=self.boxes["cancel_previous_instances"].isChecked(),
            cancel_previous_cards=self.boxes["cancel_previous_cards"].isChecked(),
            start_existing_segment_members=(
                self.boxes["start_existing_segment_members"].isChecked()
                and self.plan.is_segment_triggered),
            migrate_running_instances=(self.boxes[MIGRATE].isChecked()
                                       and self.boxes[MIGRATE].isVisibleTo(self)))

    def override(self) -> str | None:
        if not self.plan.approvals_missing:
            return None
        return self.override_reason.text().strip() or None

    def can_publish(self) -> bool:
        plan = self.plan
        if plan.can_publish:
            return True
        return plan.can_publish_with_override and bool(self.override_reason.text().strip())

    def _update_buttons(self) -> None:
        self.publish_button.setEnabled(not self.busy and self.can_publish())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough for its wrapped texts at its width (the first size Qt picks counts
        them at their widest, so long notes would squeeze the summary) — but no taller
        than the screen's room: beyond it, the summary and choices scroll, the heading
        and the buttons stay in view."""
        body = self.body.layout()
        if body is None:
            return
        needed = body.totalHeightForWidth(self.body_scroll.viewport().width()) \
            + self.height() - self.body_scroll.viewport().height()
        screen = self.screen()
        if screen is not None:  # the title bar and a margin off the room the screen has
            needed = min(needed, screen.availableGeometry().height() - FRAME_ROOM)
        if needed > self.height():
            self.resize(self.width(), needed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:  # light/dark switched
            self.setStyleSheet(look.stylesheet(look.dark(self)))
            self.summary.setText(summary_html(self.plan, compact=True, muted=look.muted(self)))
        super().changeEvent(event)

    def reject(self) -> None:
        if not self.busy:  # while the publish runs, only its progress dialog can stop it
            super().reject()

    def _publish_clicked(self) -> None:
        if self.can_publish() and not self.busy:
            self.publish_requested.emit(self.choices(), self.override())
