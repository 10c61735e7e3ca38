"""The Versions tab: every version of the selected flow, restoring a published one as
the content of the draft (asking first when that would replace changes), and
cancelling running instances of a version or of all versions on demand."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission, refusal
from flowbench.domain.versions import VersionInfo, VersionStatus
from flowbench.services import activity, drafts
from flowbench.services.activity import FlowActivity
from flowbench.ui.activity.cancel_on_demand import CancelMenuButton, CancelOnDemand, plural
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.flow_history import DraftEdits, FlowHistoryList
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import empty_state, label, note
from flowbench.ui.kit.layouts import action_row
from flowbench.ui.kit.listing import select_first, selected_row
from flowbench.ui.models.version_table import VersionTableModel
from flowbench.ui.revisions_panel import RevisionsPanel
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.version_compare_dialog import VersionCompareDialog


def _by_status(versions: list[VersionInfo], status: VersionStatus) -> VersionInfo | None:
    return next((v for v in versions if v.status == status), None)


class VersionsTab(FlowHistoryList):
    def __init__(self, session: AppSession, prompts: Prompts, edits: DraftEdits,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, edits, parent, object_name="versionsTab")
        self._stale = False  # changed while another tab was in front: refresh when shown
        self.flow_name = ""
        self.model = VersionTableModel(self)
        self.heading, self.view = self.history_table(self.model, "Flow", "versionTable",
                                                     "Versions of the flow")
        self.restore_button = button(self, "Res&tore as Draft…",
                                     "Restore the selected version as the draft",
                                     icon=icon("restore"))
        self.compare_button = button(
            self, "Co&mpare…", "Compare the selected version with another",
            tip="Show the selected version and another one (the draft, else the live "
                "version) side by side")
        self.compare_dialog: VersionCompareDialog | None = None
        self.reason = note(self, "Why restoring is not possible")
        self.running = label(self, look="subtle", name="Running instances and open cards")
        self.canceller = CancelOnDemand(session, prompts, self)
        self.cancel_button = CancelMenuButton(self.canceller, self)
        self.activity: FlowActivity | None = None
        self.revisions = RevisionsPanel(session, prompts, edits, self)
        self.empty = empty_state(self, "Select a flow in the list to see its versions.")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.running)
        layout.addLayout(action_row(self.reason, self.cancel_button, self.compare_button,
                                    self.restore_button))
        layout.addWidget(self.revisions, 1)
        QWidget.setTabOrder(self.view, self.cancel_button)
        QWidget.setTabOrder(self.cancel_button, self.compare_button)
        QWidget.setTabOrder(self.compare_button, self.restore_button)
        self.canceller.message.connect(self.message)
        self.revisions.message.connect(self.message)

        self.restore_button.clicked.connect(self.restore_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        session.changed.connect(self._session_changed)
        self.show_flow(None)

    # --- showing ---------------------------------------------------------------------------
    def show_flow(self, flow_id: int | None) -> None:
        if flow_id != self.flow_id:
            self.model.set_versions([])  # another flow: nothing of the last one is kept
        self.flow_id = flow_id
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        versions: list[VersionInfo] = []
        self.flow_name = ""
        if self.flow_id is not None and self.session.signed_in:
            try:
                versions = drafts.version_history(self.flow_id)
                self.flow_name = drafts.open_flow(self.flow_id).flow_name
            except FlowbenchError as error:
                self.empty.setText(str(error))
                versions = []
        elif self.flow_id is None:
            self.empty.setText("Select a flow in the list to see its versions.")
        keep = self.selected_version()
        self.activity = self._activity() if versions else None
        self.model.set_versions(versions)
        has_flow = bool(versions)
        self.view.setVisible(has_flow)
        self.heading.setVisible(has_flow)
        self.empty.setVisible(not has_flow)
        self.running.setVisible(has_flow)
        self.heading.setText(f"Versions of “{self.flow_name}”" if has_flow else "")
        self.revisions.show_flow(self.flow_id if has_flow else None, self.flow_name)
        numbers = [v.number for v in versions]
        if versions:
            published = [i for i, v in enumerate(versions) if v.status != VersionStatus.DRAFT]
            self.view.selectRow(numbers.index(keep.number) if keep and keep.number in numbers
                                else (published or [0])[0])
        self._update_actions()

    def _activity(self) -> FlowActivity | None:
        actor = self.session.actor
        if actor is None or self.flow_id is None:
            return None
        try:
            return activity.flow_activity(actor, self.flow_id)
        except FlowbenchError:
            return None

    def selected_version(self) -> VersionInfo | None:
        row = selected_row(self.view)
        return self.model.version_at(row) if row is not None else None

    def select_version(self, number: int) -> bool:
        return select_first(self.view, self.model.versions(), lambda info: info.number == number)

    def _session_changed(self, change: SessionChange) -> None:
        if not change.affects_flow(self.flow_id):
            return
        if self.window().isVisible() and not self.isVisible():
            self._stale = True  # another tab is in front (e.g. the Publish tab publishing)
        else:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.selected_version()
        actor = self.session.actor
        reason = ""
        if actor is not None and not actor.can(Permission.EDIT_DRAFT):
            reason = actor.read_only_reason or "Read only. " + refusal(
                actor.role, Permission.EDIT_DRAFT, "restore versions")
        elif chosen is not None and chosen.status == VersionStatus.DRAFT:
            reason = f"Version {chosen.number} is the draft; pick a published version."
        self.restore_button.setEnabled(actor is not None and chosen is not None
                                       and not reason)
        number = chosen.number if chosen is not None else None
        why_not_cancel = self.cancel_button.update_for(self.activity, number)
        if why_not_cancel.startswith("Read only. ") and not reason.startswith("Read only. "):
            # an Editor: not "read only" — say what they can do, then what they cannot
            why_not_cancel = why_not_cancel.removeprefix("Read only. ")
            if actor is not None and actor.can(Permission.EDIT_DRAFT):
                why_not_cancel = "You can restore a published version as the draft. " \
                                 + why_not_cancel
        elif reason.startswith("Read only. ") and why_not_cancel.startswith("Read only. "):
            why_not_cancel = why_not_cancel.removeprefix("Read only. ")
        self.reason.setText(" ".join(text for text in (reason, why_not_cancel)
                                     if text and text != "Nothing is running."))
        self.running.setText(self._running_text(number))
        self.compare_button.setEnabled(chosen is not None and len(self.model.versions()) > 1)

    def _running_text(self, number: int | None) -> str:
        now = self.activity
        if now is None:
            return ""
        running, cards = now.running(number), now.open_cards(number)
        which = f"Version {number}" if number is not None else "This flow"
        text = (f"{which}: {plural(running, 'running instance')}, "
                f"{plural(cards, 'open card')}")
        if now.running() != running or now.open_cards() != cards:
            text += (f" (all versions: {now.running():,} running, "
                     f"{plural(now.open_cards(), 'open card')})")
        return text + "."

    # --- comparing ----------------------------------------------------------------------------
    def compare_selected(self) -> VersionCompareDialog | None:
        """Open the comparison: the selected version with the draft (else the live one)."""
        chosen, versions = self.selected_version(), self.model.versions()
        if chosen is None or self.flow_id is None or len(versions) < 2:
            return None
        other = (_by_status(versions, VersionStatus.DRAFT)
                 or _by_status(versions, VersionStatus.LIVE))
        if other is None or other.number == chosen.number:
            other = next(v for v in versions if v.number != chosen.number)
        first, second = sorted((chosen.number, other.number))
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog.deleteLater()
        self.compare_dialog = VersionCompareDialog(self.flow_id, self.flow_name, versions,
                                                   first, second, self)
        self.compare_dialog.open()
        return self.compare_dialog

    # --- restoring ----------------------------------------------------------------------------
    def restore_selected(self) -> bool:
        chosen, actor = self.selected_version(), self.session.actor
        if (chosen is None or actor is None or self.flow_id is None
                or not self.restore_button.isEnabled()):
            return False
        versions = self.model.versions()
        draft = _by_status(versions, VersionStatus.DRAFT)
        live = _by_status(versions, VersionStatus.LIVE)
        base = draft or live
        if base is None:
            return False
        question = self._question(chosen, draft, live)
        if question and not self.prompts.confirm(self, "Restore as draft?", question):
            return False
        return self.restore(
            drafts.restore_version, actor, self.flow_id, chosen.number,
            (base.number, base.revision),
            lambda restored: f"Version {restored.version} is now a draft with the content "
                             f"of Version {chosen.number}.",
            refused=self.refresh)

    def _question(self, chosen: VersionInfo, draft: VersionInfo | None,
                  live: VersionInfo | None) -> str:
        """What restoring would replace, or "" when nothing would be lost."""
        losses = []
        if draft is not None and live is not None and draft.content_hash != live.content_hash:
            losses.append(f"The draft (Version {draft.number}) has saved changes; they will "
                          f"be replaced by the content of Version {chosen.number}.")
        elif draft is not None and live is None:
            losses.append(f"The draft (Version {draft.number}) will be replaced by the "
                          f"content of Version {chosen.number}.")
        if self.edits.has_unsaved_changes():
            losses.append("Your unsaved edits in the Edit tab will be discarded.")
        if not losses:
            return ""
        return f"Restore Version {chosen.number} of “{self.flow_name}” as the draft?\n\n" \
            + "\n".join(losses)
