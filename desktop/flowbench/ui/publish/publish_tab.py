"""The Publish tab: for the selected flow's draft, its validation errors (each jumps to
the Edit tab), the approval groups with Approve / Reject…, the key details and what
changed since the live version, the versions with running instances or open cards, and
Publish… — enabled only when the member may publish and nothing blocks, else saying
exactly why.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.approvals import GroupStatus
from flowbench.domain.errors import FlowbenchError
from flowbench.domain.publish_plan import BlockerKind, PublishPlan
from flowbench.services import approvals
from flowbench.services.approval_rights import approval_rights
from flowbench.services.publish_plan import count_card_holders, prepare_publish
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import empty_state, label, note, rich_text
from flowbench.ui.kit.layouts import action_row, scroll_area
from flowbench.ui.publish import look
from flowbench.ui.publish.approval_panel import ApprovalPanel
from flowbench.ui.publish.forecast_panel import ForecastPanel
from flowbench.ui.publish.plan_text import names, previous_html, summary_html, why_blocked
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.publish.publish_run import PublishRun
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task

log = logging.getLogger(__name__)

PREVIOUS_HEADING = "Versions with running instances or open cards"


class UnsavedEdits(Protocol):
    def has_unsaved_changes(self) -> bool: ...


def _section(title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout, QLabel]:
    frame = QFrame(parent)
    frame.setObjectName("publishSection")
    heading = label(frame, title, look="sectionHeading")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    layout.addWidget(heading)
    return frame, layout, heading


class PublishTab(QWidget):
    problem_selected = Signal(object, str)  # step id (None: the flow), field
    message = Signal(str)                   # a short note for the status bar

    def __init__(self, session: AppSession, prompts: Prompts, parent: QWidget | None = None,
                 edits: UnsavedEdits | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishTab")
        self.setStyleSheet(look.stylesheet(look.dark(self)))
        self.session, self.prompts, self.edits = session, prompts, edits
        self.flow_id: int | None = None
        self.plan: PublishPlan | None = None
        self.statuses: list[GroupStatus] = []
        self.dialog: PrePublishDialog | None = None
        self.run: PublishRun | None = None
        self._spent: list[QObject] = []
        self._stale = True
        self._build()
        session.changed.connect(self._session_changed)
        self.show_flow(None)

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget(self)
        self.heading = label(content, look="publishHeading", name="Flow and version",
                             wrap=True)
        self.state = label(content, look="publishState",
                           name="Whether the draft can be published", wrap=True)
        self.errors_section, errors, self.errors_heading = _section("Validation errors", content)
        self.errors = QListWidget(self.errors_section)
        self.errors.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.errors.setObjectName("publishErrors")
        self.errors.setAccessibleName("Validation errors: activate one to go to it")
        self.errors.setCursor(Qt.CursorShape.PointingHandCursor)
        errors.addWidget(self.errors)
        errors.addWidget(label(self.errors_section,
                               "Click an error to go to its place in the Edit tab.",
                               look="subtle"))
        self.approvals_section, approvals_layout, _ = _section("Approvals", content)
        self.approval_panel = ApprovalPanel(self.approvals_section)
        approvals_layout.addWidget(self.approval_panel)
        self.summary_section, summary, _ = _section("Summary", content)
        self.summary = rich_text(self.summary_section, "Summary of the draft", selectable=True)
        summary.addWidget(self.summary)
        self.forecast_section, forecast, _ = _section("Forecast", content)
        self.forecast = ForecastPanel(self.forecast_section)
        forecast.addWidget(self.forecast)
        # Lists the live version too: publishing makes it an earlier one, and the
        # choices in the pre-publish dialog act on its instances and cards.
        self.previous_section, previous, self.previous_heading = _section(
            PREVIOUS_HEADING, content)
        self.previous = rich_text(self.previous_section,
                                  "Running instances and open cards per version", wrap=False)
        previous.addWidget(self.previous)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(18, 16, 18, 16)
        inner.setSpacing(12)
        for widget in (self.heading, self.state, self.errors_section, self.approvals_section,
                       self.summary_section, self.forecast_section, self.previous_section):
            inner.addWidget(widget)
        inner.addStretch(1)
        self.scroll_area = scroll_area(self, content, "Publishing the draft")
        self.empty = empty_state(self, "Select a flow in the list to publish it.")
        self.reason = note(self, "Why publishing is not possible")
        self.publish_button = button(self, "Pu&blish…", "Publish the draft",
                                     tip="Review the choices and publish (Ctrl+Shift+P)",
                                     icon=icon("flow-publish"))
        self.publish_button.setShortcut(QKeySequence("Ctrl+Shift+P"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(action_row(self.reason, self.publish_button, margins=(18, 6, 18, 10)))
        self.errors.itemActivated.connect(self._error_chosen)
        self.errors.itemClicked.connect(self._error_chosen)
        self.approval_panel.approve_requested.connect(self.approve)
        self.approval_panel.reject_requested.connect(self.reject)
        self.publish_button.clicked.connect(self.open_publish_dialog)

    # --- showing -------------------------------------------------------------------------------
    def show_flow(self, flow_id: int | None) -> None:
        if flow_id != self.flow_id:
            self.plan = None  # nothing of the last flow is kept, even while hidden
        self.flow_id = flow_id
        self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        """Refresh now if the tab is on screen, else the next time it is shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:  # light/dark switched
            self.setStyleSheet(look.stylesheet(look.dark(self)))
            self._refresh_when_seen()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        actor = self.session.actor
        self.plan, self.statuses = None, []
        rights: dict[str, str | None] = {}
        problem = "Select a flow in the list to publish it."
        if self.flow_id is not None and actor is not None:
            try:
                # (the card holders only for the dialog: at scale they take seconds)
                self.plan = prepare_publish(actor, self.flow_id, count_card_holders=False)
                view = approvals.approval_view(self.flow_id)
                self.statuses = view.groups if view.enabled else []
                rights = approval_rights(actor, self.flow_id)
            except FlowbenchError as error:
                self.plan, problem = None, str(error)
        self.empty.setText(problem)
        self._render(rights)

    def _render(self, rights: dict[str, str | None]) -> None:
        plan = self.plan
        self.scroll_area.setVisible(plan is not None)
        self.empty.setVisible(plan is None)
        if plan is None:
            self.reason.setText("")
            self.publish_button.setEnabled(False)
            return
        if plan.version is not None:
            self.heading.setText(f"“{plan.flow_name}” — Version {plan.version} (draft)")
        else:
            live = f"Version {plan.live_version} is live" if plan.live_version else "no draft"
            self.heading.setText(f"“{plan.flow_name}” — {live}")
        errors = [b for b in plan.blockers if b.kind == BlockerKind.VALIDATION]
        self.errors.clear()
        for blocker in errors:
            where = f"Step “{blocker.step}”: " if blocker.step else ""
            item = QListWidgetItem(f"✖  {where}{blocker.message}", self.errors)
            item.setData(Qt.ItemDataRole.UserRole, (blocker.step, blocker.field or ""))
        rows = sum(self.errors.sizeHintForRow(row) for row in range(self.errors.count()))
        self.errors.setFixedHeight(rows + 2 * self.errors.frameWidth() + 4)  # all, no scroll
        self.errors_heading.setText(f"Validation errors ({len(errors)})")
        self.errors_section.setVisible(bool(errors))
        self.approvals_section.setVisible(bool(self.statuses) and plan.version is not None)
        self.approval_panel.set_groups(self.statuses, rights)
        self.summary.setText(summary_html(plan, muted=look.muted(self)))
        self.summary_section.setVisible(plan.version is not None)
        self.forecast_section.setVisible(plan.version is not None)
        self.forecast.set_flow(plan.flow_id if plan.version is not None else None,
                               plan.revision)
        self.previous.setText(previous_html(plan, muted=look.muted(self)))
        why = why_blocked(plan)
        may_publish = plan.can_publish or plan.can_publish_with_override
        self.publish_button.setEnabled(may_publish and not self._running())
        self.reason.setText(why if why else "Nothing blocks publishing.")
        self._show_state(plan, why, may_publish)

    def _show_state(self, plan: PublishPlan, why: str, may_publish: bool) -> None:
        if plan.version is None:
            live = (f"Version {plan.live_version} is live. " if plan.live_version else "")
            text = (f"ℹ  Nothing to publish: {live}Edit the flow to start the next version; "
                    "it shows here for review.")
            state = "idle"
        elif plan.can_publish:
            text = (f"✔  Ready to publish Version {plan.version}: it is valid"
                    + (" and approved by every group." if self.statuses else "."))
            state = "ready"
        elif may_publish:
            text = (f"⚠  Approvals are missing from {names(plan.approvals_missing)}. "
                    "You may publish without them in an emergency, giving a reason.")
            state = "blocked"
        else:
            text = "⚠  Cannot publish yet. " + why
            state = "blocked"
        self.state.setText(text)
        self.state.setProperty("state", state)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    def _session_changed(self, change: SessionChange) -> None:
        if change.origin is self:
            return
        if change.affects_flow(self.flow_id) or change.members or change.settings:
            self._refresh_when_seen()

    def _error_chosen(self, item: QListWidgetItem) -> None:
        step, field = item.data(Qt.ItemDataRole.UserRole)
        self.problem_selected.emit(step, field)

    def _running(self) -> bool:
        return self.run is not None and self.run.running

    # --- approving -----------------------------------------------------------------------------
    def approve(self, group: str) -> bool:
        return self._decide(group, None)

    def reject(self, group: str) -> bool:
        comment = self.prompts.ask_text(self, f"Reject for {group}",
                                        "Why do you reject this draft? (the editor sees it)")
        if comment is None:
            return False
        return self._decide(group, comment)

    def _decide(self, group: str, comment: str | None) -> bool:
        actor, plan = self.session.actor, self.plan
        if actor is None or plan is None or self.flow_id is None:
            return False
        try:
            if comment is None:
                approvals.approve(actor, self.flow_id, group, expected_revision=plan.revision)
            else:
                approvals.reject(actor, self.flow_id, group, comment,
                                 expected_revision=plan.revision)
        except FlowbenchError as error:
            self.prompts.error(self, "Not approved" if comment is None else "Not rejected",
                               str(error))
            self.refresh()
            return False
        self.session.notify(SessionChange.for_flow(self.flow_id, origin=self))
        self.refresh()
        verb = "Approved" if comment is None else "Rejected"
        self.message.emit(f"{verb} Version {plan.version} of “{plan.flow_name}” for {group}.")
        return True

    # --- publishing ----------------------------------------------------------------------------
    def open_publish_dialog(self) -> PrePublishDialog | None:
        """Open the pre-publish dialog (window-modal, answered through its signals)."""
        self.refresh()  # the figures as they are now
        if self.plan is None or not self.publish_button.isEnabled() or self._running():
            return None
        if self.edits is not None and self.edits.has_unsaved_changes() and not \
                self.prompts.confirm(self, "Unsaved edits", "The Edit tab has unsaved edits; "
                                     "they are not part of what you publish. Publish the "
                                     "saved draft anyway?"):
            return None
        plan = self.plan
        for spent in self._spent:  # the last dialog and its run, long finished
            spent.deleteLater()
        self._spent = []
        dialog = PrePublishDialog(plan, self)
        dialog.forecast.adopt(self.forecast)  # a forecast of this draft shows at once
        run = PublishRun(self.session, self.prompts, dialog, self)
        run.message.connect(self.message)
        run.refused.connect(lambda note: self._refused(dialog, note))
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog, self.run = dialog, run
        dialog.open()
        self._count_holders(dialog)
        return dialog

    def _count_holders(self, dialog: PrePublishDialog) -> Task | None:
        """Who already holds the earlier versions' cards (it reads every open card of
        them: ~1.5 s at a million) counted on a worker thread while the dialog is up;
        the dialog says it is counting where the figure will show."""
        plan = dialog.plan
        if not plan.holders_pending:
            return None
        task = Task(lambda _control: count_card_holders(plan), dialog)
        task.succeeded.connect(  # unless the dialog closed meanwhile
            lambda counted: dialog.set_card_holders(counted) if self.dialog is dialog
            else None)
        task.failed.connect(lambda error: log.warning(
            "the card holders were not counted: %s", error))
        return task.start()  # (it keeps itself alive until it has finished)

    def _refused(self, dialog: PrePublishDialog, note: str) -> None:
        """Refused by the service: show the draft as it is now, in the tab and dialog."""
        if self.flow_id is not None:
            self.session.notify(SessionChange.for_flow(self.flow_id, origin=self))
        self.refresh()
        plan = self.plan
        if plan is not None and (plan.can_publish or plan.can_publish_with_override):
            dialog.set_plan(plan, note=note + " The summary below is up to date.")
            self._count_holders(dialog)
        else:
            dialog.reject()

    def _closed(self, dialog: PrePublishDialog) -> None:
        if self.dialog is dialog:
            if self.run is not None:
                self._spent = [dialog, self.run]  # deleted when the next one opens
            self.dialog, self.run = None, None
        self.refresh()
