"""The Edit tab: the flow's fields, its steps as a tree and a diagram, the selected step's
form and the problems list, over one ``FlowEditor`` and its undo stack.

The tab forwards intent and keeps the views in step with the editor's changes; talking
to the services (open, save, start the next draft, recovery) is ``DraftKeeper``'s job.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flowbench.services.context import Actor
from flowbench.ui.binding_guard import keep_singletons_alive
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.edit.diagram_panel import DiagramPanel
from flowbench.ui.edit.draft_keeper import DraftKeeper, EditMode
from flowbench.ui.edit.edit_commands import EditChange, Scope
from flowbench.ui.edit.field_marks import MARK_STYLE
from flowbench.ui.edit.flow_editor import FlowEditor
from flowbench.ui.edit.flow_form import FlowForm
from flowbench.ui.edit.problems_panel import ProblemsPanel, place_of
from flowbench.ui.edit.step_form import StepForm
from flowbench.ui.edit.step_removal import remove_step
from flowbench.ui.edit.step_tree_panel import StepTreePanel
from flowbench.ui.edit.undo_keys import UndoKeys
from flowbench.ui.edit.validation_marks import ValidationMarks
from flowbench.ui.kit.forms import button, stacked
from flowbench.ui.kit.labels import placeholder
from flowbench.ui.kit.layouts import banner, banner_row, scroll_area, splitter

NARROW_WIDTH = 860  # below this the diagram moves under the step's form
# Small, so the side-by-side layout's minimum stays below NARROW_WIDTH: a shrinking window
# then narrows the tab (which rearranges) instead of squeezing the flow list.
DIAGRAM_MINIMUM_WIDTH = 40
BANNER_STYLE = """
QFrame#editBanner { background: #FFF4D6; border-bottom: 1px solid #E8D9A8; }
QFrame#editBanner QLabel { color: #4A3B00; }
QFrame#elsewhereBanner { background: #FDE7E4; border-bottom: 1px solid #F0C2BB; }
QFrame#elsewhereBanner QLabel { color: #5C1A12; }
"""
DARK_BANNER_STYLE = """
QFrame#editBanner { background: #3A3321; border-bottom: 1px solid #5A4E2A; }
QFrame#editBanner QLabel { color: #F2E2A8; }
QFrame#elsewhereBanner { background: #432624; border-bottom: 1px solid #6A3A35; }
QFrame#elsewhereBanner QLabel { color: #F6CBC4; }
"""


class Session(Protocol):
    """What the tab needs of the app session (``flowbench.ui.session.AppSession``)."""

    actor: Actor | None
    changed: Any  # a Qt signal


class EditTab(QWidget):
    saved = Signal(int)
    dirty_changed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None,
                 prompts: Prompts | None = None) -> None:
        keep_singletons_alive()  # before the many Qt calls below; see binding_guard
        super().__init__(parent)
        self.setObjectName("editTab")
        self.session = session
        self.prompts: Prompts = prompts or Prompts()
        self.editor = FlowEditor(self)
        self._following = False  # True while views follow the editor (no echo)
        self._build()
        self.marks = ValidationMarks(self.editor, flow_form=self.flow_form,
                                     tree=self.steps.model, diagram=self.diagram,
                                     step_form=self.step_form, problems=self.problems,
                                     parent=self)
        self.keeper = DraftKeeper(self, self.editor, self.marks)
        self.editor.changed.connect(self._on_changed)
        self.editor.stack.cleanChanged.connect(self._on_clean_changed)
        self.steps.step_selected.connect(self._on_tree_selection)
        self.diagram.step_selected.connect(self._on_diagram_selection)
        self.problems.problem_activated.connect(
            lambda problem: self.select_problem(problem.step, problem.field))
        self.next_version_button.clicked.connect(self.keeper.start_next_version)
        self.reload_button.clicked.connect(self._reload_asked)
        self.steps.remove_handler = self.remove_step
        self.steps.share_keys(self.form_scroll)
        self.undo_keys = UndoKeys(self.editor.stack, self)
        self.undo_keys.watch(self)
        changed = getattr(session, "changed", None)
        if changed is not None:
            changed.connect(self.keeper.session_changed)
        self.show_flow(None)

    # --- layout --------------------------------------------------------------------------
    def _apply_style(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        if dark != getattr(self, "_dark", None):
            self._dark = dark
            self.setStyleSheet(MARK_STYLE + (DARK_BANNER_STYLE if dark else BANNER_STYLE))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # e.g. the system went dark
            self._apply_style()

    def _build(self) -> None:
        self._apply_style()
        self.banner, self.banner_label = banner(self, "editBanner", "Why the flow is read-only")
        self.next_version_button = button(self.banner, "", "Edit as the next version")
        banner_row(self.banner, self.banner_label, self.next_version_button)
        self.elsewhere_banner, self.elsewhere_label = banner(
            self, "elsewhereBanner", "The flow changed elsewhere")
        self.reload_button = button(
            self.elsewhere_banner, "Reload…", "Reload the flow as saved elsewhere",
            tip="Drop your unsaved edits and show the flow as it is now")
        banner_row(self.elsewhere_banner, self.elsewhere_label, self.reload_button)

        self.placeholder = placeholder(self)
        self.flow_form = FlowForm(self.editor, self)
        self.steps = StepTreePanel(self.editor, self)
        self.problems = ProblemsPanel(lambda p: place_of(p, self.editor.definition), self)
        self.step_form = StepForm(self.editor, self)
        self.form_scroll = scroll_area(self, self.step_form, "Selected step")
        self.diagram_panel = DiagramPanel(self)
        self.diagram = self.diagram_panel.diagram
        for action in self.diagram_panel.actions_for_menu():
            self.addAction(action)  # their shortcuts work anywhere in the tab
        self.diagram_panel.enlarge_toggled.connect(self._enlarge_diagram)

        left = stacked(self, self.steps, self.problems, (3, 1))
        # The selected step's form never scrolls sideways: it is as wide as its widest page.
        self.form_scroll.setMinimumWidth(self.step_form.minimumSizeHint().width()
                                         + self.form_scroll.verticalScrollBar().sizeHint().width())
        self.diagram_panel.setMinimumSize(DIAGRAM_MINIMUM_WIDTH, 140)
        # The middle column: the step's form, and in a narrow tab the diagram below it.
        self.middle = QSplitter(Qt.Orientation.Vertical, self)
        self.middle.addWidget(self.form_scroll)
        self.middle.setChildrenCollapsible(False)
        self.splitter = splitter(self, Qt.Orientation.Horizontal, (left, 3), (self.middle, 4),
                                 (self.diagram_panel, 4), sizes=[260, 340, 380])
        self.narrow = False
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(self.flow_form)
        self.splitter.setContentsMargins(8, 0, 8, 8)
        body_layout.addWidget(self.splitter, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.elsewhere_banner)
        layout.addWidget(self.pages, 1)
        self._tab_order()

        self.save_action = QAction("Save", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)

    def _tab_order(self) -> None:
        chain: list[QWidget] = [
            self.next_version_button, self.reload_button, self.flow_form.name,
            self.flow_form.trigger_kind,
            self.flow_form.event_name, self.flow_form.segment, self.flow_form.description,
            self.steps.add_button, self.steps.remove_button, self.steps.up_button,
            self.steps.down_button, self.steps.under_button, self.steps.tree]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        previous: QWidget = self.steps.tree
        for page in self.step_form.pages.values():
            for widget in page.fields.values():
                QWidget.setTabOrder(previous, widget)
                previous = widget.focusProxy() or widget
        QWidget.setTabOrder(previous, self.diagram)
        QWidget.setTabOrder(self.diagram, self.problems.view)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange(event.size().width() < NARROW_WIDTH)

    def _arrange(self, narrow: bool) -> None:
        """Wide: tree | form | diagram side by side. Narrow (a small window or a wide
        flow list): the diagram goes under the form, so neither is squeezed."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        if narrow:
            self.middle.addWidget(self.diagram_panel)
            self.middle.setStretchFactor(0, 3)
            self.middle.setStretchFactor(1, 2)
            height = max(self.middle.height(), 300)
            self.middle.setSizes([height * 3 // 5, height * 2 // 5])
        else:
            self.splitter.addWidget(self.diagram_panel)
            self.splitter.setStretchFactor(2, 4)
            width = max(self.splitter.width(), NARROW_WIDTH)
            self.splitter.setSizes([width * 3 // 11, width * 4 // 11, width * 4 // 11])
        self._enlarge_diagram(self.diagram_panel.enlarge_action.isChecked())

    def _enlarge_diagram(self, enlarged: bool) -> None:
        """The diagram takes the step form's space (the form comes back when unticked)."""
        self.form_scroll.setVisible(not enlarged)
        # side by side, the middle column holds only the form: it goes too
        self.middle.setVisible(self.narrow or not enlarged)

    # --- the interface the app shell uses -------------------------------------------------
    def show_flow(self, flow_id: int | None) -> None:
        """Show a flow's draft (or its live version, read-only); None shows nothing."""
        self.keeper.show_flow(flow_id)

    def current_flow(self) -> int | None:
        base = self.editor.base
        return base.flow_id if base else None

    def has_unsaved_changes(self) -> bool:
        return self.editor.is_dirty()

    def save(self) -> bool:
        """Save the edits as the draft's next revision; False if refused or stale."""
        return self.keeper.save()

    def discard_changes(self) -> None:
        self.keeper.discard()

    def undo_stack(self) -> QUndoStack:
        return self.editor.stack

    def select_problem(self, step_id: str | None, field: str) -> None:
        """Go to where a problem is: select its step (or the flow field) and focus it."""
        self.marks.validate_now()
        if step_id is None:
            if field == "steps":
                self.steps.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.flow_form.focus_field(field)
            return
        self.steps.select_step(step_id)
        if self.step_form.step_id != step_id:
            return
        if field in {"id", "parent", "kind"} or not self.step_form.focus_field(field):
            self.steps.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form_scroll.ensureWidgetVisible(self.focusWidget() or self.step_form)

    def remove_step(self, step_id: str) -> bool:
        """Remove a step (asking first when steps follow it); False if cancelled."""
        return remove_step(self.editor, self.prompts, self, step_id)

    def show_changed_elsewhere(self, text: str | None) -> None:
        """Say that the flow changed elsewhere while it has unsaved edits (None: hide)."""
        self.elsewhere_label.setText(text or "")
        self.elsewhere_banner.setVisible(bool(text))

    def _reload_asked(self) -> None:
        if self.prompts.confirm(self, "Reload the flow?",
                                "Show the flow as it is saved now? Your unsaved edits will "
                                "be lost."):
            self.discard_changes()

    # --- following the editor ---------------------------------------------------------------
    def apply_mode(self, mode: EditMode) -> None:
        """Editable or read-only (with the reason and maybe "Edit as Version N+1")."""
        read_only = mode.read_only
        self.editor.read_only = read_only
        self.flow_form.set_read_only(read_only)
        self.step_form.set_read_only(read_only)
        self.steps.set_editable(not read_only)
        self.save_action.setEnabled(not read_only)
        self.banner.setVisible(bool(mode.reason))
        self.banner_label.setText(mode.reason or "")
        self.next_version_button.setVisible(mode.next_version is not None)
        if mode.next_version is not None:
            self.next_version_button.setText(f"Edit as Version {mode.next_version}")
        self.placeholder.setText(mode.placeholder or "")
        self.pages.setCurrentIndex(0 if mode.placeholder else 1)

    def _on_changed(self, change: EditChange) -> None:
        definition = self.editor.definition
        self._following = True
        try:
            if change.scope in (Scope.LOAD, Scope.STRUCTURE):
                keep = self.steps.selected_step()
                self.steps.model.set_definition(definition)
                self.steps.tree.expandAll()
                self.diagram.rebuild(definition)
                self.marks.paint_diagram()
                target = change.step_id if change.step_id is not None else keep
                if change.scope == Scope.LOAD and change.step_id is None:
                    target = keep if definition.step(keep or "") else None
                self._select(target or None)
                if change.scope == Scope.LOAD:
                    self.flow_form.refresh()
            elif change.scope == Scope.FLOW:
                self.flow_form.refresh()
                self.diagram.update_trigger(definition)
            elif change.step_id:
                affected = [change.step_id] + [s.id for s in definition.steps
                                               if s.card == change.step_id]
                self.steps.model.update_steps(definition, affected)
                self.diagram.update_steps(definition, affected)
                if change.from_history:
                    self._select(change.step_id)
            self.step_form.refresh()
            self.steps.update_actions()
        finally:
            self._following = False
        self.marks.note(change)
        self.keeper.edited()

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def _select(self, step_id: str | None) -> None:
        self.steps.select_step(step_id)
        self.diagram.select_step(step_id)
        if self.step_form.step_id != step_id:
            self.step_form.show_step(step_id)
            self.marks.show_step_marks()

    def _on_tree_selection(self, step_id: str | None) -> None:
        if self._following:
            return
        self.diagram.select_step(step_id)
        self.step_form.show_step(step_id)
        self.marks.show_step_marks()

    def _on_diagram_selection(self, step_id: str | None) -> None:
        if step_id is None:  # the trigger
            self.flow_form.focus_field("trigger.kind")
            return
        self.steps.select_step(step_id)
