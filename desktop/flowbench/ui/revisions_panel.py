"""The kept revisions of the selected flow's draft, under the Versions tab's versions:
show one, or restore it as the draft's next revision (the revision it replaces stays
kept, so nothing is ever lost)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QVBoxLayout, QWidget

from flowbench.domain.changes import describe_changes, describe_step, describe_trigger
from flowbench.domain.errors import FlowbenchError, NotFound
from flowbench.domain.roles import Permission
from flowbench.services import drafts, revisions
from flowbench.services.revisions import RevisionInfo
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.flow_history import DraftEdits, FlowHistoryList
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import note
from flowbench.ui.kit.layouts import action_row
from flowbench.ui.kit.listing import select_first, selected_row
from flowbench.ui.models.revision_table import RevisionTableModel
from flowbench.ui.models.version_table import local_time
from flowbench.ui.session import AppSession, SessionChange


class RevisionsPanel(FlowHistoryList):
    def __init__(self, session: AppSession, prompts: Prompts, edits: DraftEdits,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, edits, parent, object_name="revisionsPanel")
        self.model = RevisionTableModel(self)
        self.heading, self.view = self.history_table(
            self.model, "Revisions of the draft", "revisionTable", "Kept revisions of the draft")
        self.show_button = button(self, "Show Rev&ision…",
                                  "Show the selected revision")
        self.restore_button = button(
            self, "Restore as Ne&xt Revision…",
            "Restore the selected revision as the draft's next revision", icon=icon("restore"))
        self.reason = note(self, "Why restoring a revision is not possible")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(action_row(self.reason, self.show_button, self.restore_button))
        self.show_button.clicked.connect(self.show_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.view.doubleClicked.connect(lambda _index: self.show_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

    # --- showing ---------------------------------------------------------------------------
    def show_flow(self, flow_id: int | None, flow_name: str) -> None:
        kept: list[RevisionInfo] = []
        if flow_id is not None and self.session.signed_in:
            try:
                kept = revisions.list_revisions(flow_id)
            except NotFound:
                kept = []  # no draft: nothing to list
            except FlowbenchError as error:
                self.reason.setText(str(error))
        keep = self.selected_revision()
        self.flow_id = flow_id
        self.model.set_revisions(kept)
        self.setVisible(bool(kept))
        if kept:
            self.heading.setText(f"Kept revisions of the draft (Version {kept[-1].version})")
            numbers = [info.revision for info in self.model.revisions()]
            self.view.selectRow(numbers.index(keep.revision)
                                if keep is not None and keep.revision in numbers else 0)
        self._update_actions()

    def selected_revision(self) -> RevisionInfo | None:
        row = selected_row(self.view)
        return self.model.revision_at(row) if row is not None else None

    def select_revision(self, revision: int) -> bool:
        return select_first(self.view, self.model.revisions(),
                            lambda info: info.revision == revision)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        chosen, actor = self.selected_revision(), self.session.actor
        current = self.model.revision_at(0)
        reason = ""
        if actor is not None and not actor.can(Permission.EDIT_DRAFT):
            reason = actor.why_not(Permission.EDIT_DRAFT)
        elif chosen is not None and current is not None and chosen.revision == current.revision:
            reason = "This is the draft's current revision; pick an earlier one to restore."
        self.reason.setText(reason)
        self.show_button.setEnabled(chosen is not None)
        self.restore_button.setEnabled(chosen is not None and actor is not None
                                       and not reason)

    def describe(self, chosen: RevisionInfo) -> str:
        """The revision's content in words, and how the draft differs from it now."""
        assert self.flow_id is not None
        kept = drafts.revision_content(self.flow_id, chosen.revision)
        now = drafts.get_draft(self.flow_id)
        lines = [f"Revision {chosen.revision} of the draft Version {chosen.version}, saved by "
                 f"{chosen.saved_by} at {local_time(str(chosen.saved_at))}.", "",
                 f"Trigger: {describe_trigger(kept.definition.trigger)}", "Steps:"]
        lines += [f"  • {describe_step(step)}" for step in kept.definition.steps] or ["  none"]
        if now is not None and now.revision != chosen.revision:
            changes = describe_changes(kept.definition, now.definition)
            lines += ["", f"The draft now (revision {now.revision}) differs from it:"]
            lines += [f"  • {text}" for text in changes] or ["  • nothing"]
        return "\n".join(lines)

    def show_selected(self) -> bool:
        chosen = self.selected_revision()
        if chosen is None or self.flow_id is None:
            return False
        try:
            text = self.describe(chosen)
        except FlowbenchError as error:
            self.prompts.error(self, "Revision not shown", str(error))
            return False
        self.prompts.inform(self, f"Revision {chosen.revision}", text)
        return True

    # --- restoring -------------------------------------------------------------------------
    def restore_selected(self) -> bool:
        chosen, actor, current = (self.selected_revision(), self.session.actor,
                                  self.model.revision_at(0))
        if (chosen is None or actor is None or current is None or self.flow_id is None
                or not self.restore_button.isEnabled()):
            return False
        question = (f"Restore revision {chosen.revision} (saved by {chosen.saved_by}) as "
                    f"the draft's next revision? Revision {current.revision} stays in the "
                    "history.")
        if self.edits.has_unsaved_changes():
            question += "\n\nYour unsaved edits in the Edit tab will be discarded."
        if not self.prompts.confirm(self, "Restore revision?", question):
            return False
        flow_id = self.flow_id
        return self.restore(
            drafts.restore_revision, actor, flow_id, chosen.revision,
            (current.version, current.revision),
            lambda restored: f"Revision {restored.revision} of the draft has the content of "
                             f"revision {chosen.revision}.",
            # the versions tab above refreshes, and this panel with it
            refused=lambda: self.session.notify(SessionChange.for_flow(flow_id, listed=False)))
