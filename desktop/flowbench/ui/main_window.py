"""The main window: menus, the flow list on the left, the selected flow's Edit, Publish,
Versions and Activity tabs on the right, and a status bar naming member, role and
workspace.

It renders the session and forwards intent; opening workspaces and signing in are the
``AppController``'s job (``ui/startup.py``). It guards unsaved edits: switching flow,
signing out, opening another workspace or quitting first asks Save/Discard/Cancel.
Its frame (``ui/window_shell.py``) is on screen first; the flow page, each tab and each
helper below (transfers, housekeeping, admin windows, offline work, test sends, the
Runtime window) are built, with their imports, the first time they are needed.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

# Qt.* only as QtCore.Qt.*, and not before the first paint: PySide6 builds the whole
# Qt namespace (~13 ms) on first use, and this module builds the first window
from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.ui.dialogs.prompts import UnsavedAnswer
from flowbench.ui.session import SessionChange
from flowbench.ui.window_shell import (
    ACTIVITY_TAB,
    APP_NAME,
    EDIT_TAB,
    PUBLISH_TAB,
    VERSIONS_TAB,
    WindowShell,
)

if TYPE_CHECKING:
    from flowbench.services.flows import FlowSummary
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.new_flow import NewFlowDialog
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.flow_housekeeping import FlowHousekeeping
    from flowbench.ui.flow_page import FlowPage
    from flowbench.ui.flow_transfer import FlowTransfer
    from flowbench.ui.main_actions import MainActions
    from flowbench.ui.offline.offline_work import OfflineWork
    from flowbench.ui.session import AppSession
    from flowbench.ui.test_send.launcher import TestSendLauncher

__all__ = ["ACTIVITY_TAB", "APP_NAME", "EDIT_TAB", "PUBLISH_TAB", "VERSIONS_TAB", "MainWindow"]


class MainWindow(WindowShell):
    def __init__(self, session: AppSession, settings: AppSettings, prompts: Prompts,
                 parent: QWidget | None = None, *, furnished: bool = True) -> None:
        self.flow_id: int | None = None  # the flow the tabs show
        super().__init__(session, settings, prompts, parent, furnished=furnished)
        self.session.changed.connect(self._session_changed)

    def _furnished(self) -> None:
        self._render_session()

    # --- what is built on first use ------------------------------------------------------------
    @cached_property
    def transfer(self) -> FlowTransfer:
        from flowbench.ui.flow_transfer import FlowTransfer

        transfer = FlowTransfer(self, self.session, self.prompts)
        transfer.imported.connect(lambda flow_id, _created: self.choose_flow(flow_id))
        transfer.message.connect(self.show_message)
        return transfer

    @cached_property
    def housekeeping(self) -> FlowHousekeeping:
        from flowbench.ui.flow_housekeeping import FlowHousekeeping

        housekeeping = FlowHousekeeping(self, self.session, self.prompts)
        housekeeping.message.connect(self.show_message)
        housekeeping.created.connect(self.choose_flow)
        return housekeeping

    @cached_property
    def offline(self) -> OfflineWork:
        from flowbench.ui.offline.offline_work import OfflineWork

        offline = OfflineWork(self, self.session, self.prompts, self.resolve_unsaved)
        offline.message.connect(self.show_message)
        return offline

    @cached_property
    def test_sender(self) -> TestSendLauncher:
        from flowbench.ui.test_send.launcher import TestSendLauncher

        sender = TestSendLauncher(self.session, self.prompts, self, self.resolve_unsaved)
        sender.message.connect(self.show_message)
        sender.inbox_available.connect(lambda _flow: self._update_actions())
        return sender

    def _built(self, name: str) -> bool:
        return name in self.__dict__  # a cached_property that has been asked for

    def _page_built(self, page: FlowPage) -> None:
        actions, flow_list = self.menu_actions, page.flow_list
        flow_list.view.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        flow_list.view.addActions([actions.export_flow, actions.duplicate_flow,
                                   actions.archive_flow, actions.unarchive_flow,
                                   actions.flow_audit_log])
        actions.show_archived.toggled.connect(flow_list.show_archived.setChecked)
        flow_list.show_archived_changed.connect(actions.show_archived.setChecked)
        flow_list.show_archived_changed.connect(lambda _shown: self.reload_flows())
        flow_list.flow_selected.connect(self._flow_chosen)

    def _tab_built(self, index: int, _view: QWidget) -> None:
        page = self.page
        if index == EDIT_TAB:
            edit, actions = page.edit.get(), self.menu_actions
            actions.add_diagram_actions(edit.diagram_panel.actions_for_menu())
            actions.follow_undo_stack(edit.undo_stack())
            edit.saved.connect(self._flow_saved)
            edit.dirty_changed.connect(lambda _dirty: self._show_unsaved())
            # File → Save holds Ctrl+S for the whole window (the tab's own is for it alone)
            edit.removeAction(edit.save_action)
            edit.show_flow(self.flow_id)
        elif index == PUBLISH_TAB:
            publish = page.publish.get()
            publish.message.connect(self.show_message)
            publish.problem_selected.connect(self.go_to_problem)
            publish.show_flow(self.flow_id)
        elif index == VERSIONS_TAB:
            page.versions.get().message.connect(self.show_message)
            page.versions.get().show_flow(self.flow_id)
        elif index == ACTIVITY_TAB:
            page.activity.get().message.connect(self.show_message)
            page.activity.get().show_flow(self.flow_id)

    def _edits_unsaved(self) -> bool:
        """Unsaved edits in the Edit tab (none while it has not been built)."""
        return self.page_built() and self.page.tabs.is_built(EDIT_TAB) and bool(
            self.edit_tab.has_unsaved_changes())

    # --- wiring the menus ------------------------------------------------------------------------
    def _actions_built(self, actions: MainActions) -> None:
        super()._actions_built(actions)
        self._connect(actions)
        self._update_actions()

    def _connect(self, actions: MainActions) -> None:
        self.signed_out.sign_in_button.clicked.connect(actions.sign_in.trigger)
        self.signed_out.open_button.clicked.connect(actions.open_workspace.trigger)
        self.signed_out.new_button.clicked.connect(actions.new_workspace.trigger)
        actions.new_flow.triggered.connect(self.new_flow)
        actions.import_flow.triggered.connect(lambda: self.transfer.import_flow())
        actions.export_flow.triggered.connect(self.export_flow)
        actions.quit.triggered.connect(self.close)
        actions.flow_audit_log.triggered.connect(self.show_flow_audit_log)
        summary = self._selected_summary
        actions.duplicate_flow.triggered.connect(lambda: self.housekeeping.duplicate(summary()))
        actions.archive_flow.triggered.connect(lambda: self.housekeeping.archive(summary()))
        actions.unarchive_flow.triggered.connect(
            lambda: self.housekeeping.unarchive(summary()))
        actions.work_offline.triggered.connect(lambda: self.offline.work_offline())
        actions.sync_offline.triggered.connect(lambda: self.offline.sync())
        actions.offline_conflicts.triggered.connect(lambda: self.offline.show_conflicts())
        actions.find_flow.triggered.connect(self.find_flow)
        actions.show_flow_list.toggled.connect(self.show_flow_list)
        # the diagram's zoom actions come with the Edit tab: the View menu builds it
        actions.view_menu.aboutToShow.connect(lambda: self.page.edit.get())
        actions.file_menu.aboutToShow.connect(
            lambda: actions.fill_recent(self.settings.recent_workspaces(),
                                        self.session.location))
        actions.save.triggered.connect(self.save_edits)
        actions.revert.triggered.connect(self.revert_edits)
        actions.test_inbox.triggered.connect(lambda: self.test_sender.reopen_inbox())
        actions.test_send.triggered.connect(
            lambda: self.test_sender.open_for(self.current_flow()))

    # --- following the session --------------------------------------------------------------
    def _session_changed(self, change: SessionChange) -> None:
        self.furnish()  # (built already, but for a start whose first dialog is up)
        if change.session:
            self._render_session()
            if self.session.signed_in:
                # the window is up first; the list query runs once it has painted
                QTimer.singleShot(0, self._load_after_sign_in)
        elif change.affects_flow_list and self.session.signed_in:
            self.reload_flows(change)

    def _render_session(self) -> None:
        session = self.session
        actor = session.actor
        self.pages.setCurrentWidget(self.page if actor else self.signed_out)
        self.signed_out.update_for(session)
        name = session.workspace_name or session.file_name
        offline_of = session.offline_copy_of
        if offline_of:
            name = f"{offline_of} — Offline copy ({session.file_name})"
        # the workspace first, then the app — which Qt would otherwise append to it again
        # on Linux and Windows ("Flowbench — name — Flowbench")
        self.setWindowTitle(f"{name}[*] — {APP_NAME}" if name else APP_NAME)
        self.member_label.setText(f"Member: {actor.name}" if actor else "Not signed in")
        self.member_label.setToolTip(actor.email if actor else "")
        self.role_label.setText(f"Role: {session.role_label}" if actor else "")
        self.role_label.setVisible(actor is not None)
        read_only = session.workspace is not None and session.workspace.read_only
        self.workspace_label.setText(
            (f"Workspace: {name}" + (" — Read-only workspace" if read_only else ""))
            if name else "No workspace open")
        self.workspace_label.setToolTip(
            (session.location or "") + ("\n" + actor.read_only_reason if read_only and actor
                                        else ""))
        if actor is None and self.page_built():
            self.flow_list.set_flows([])
            self._show_flow(None, remember=False)
        self._update_actions()

    def _selected_summary(self) -> FlowSummary | None:
        return self.flow_list.summary(self.current_flow()) if self.page_built() else None

    def _update_actions(self) -> None:
        if not self.menus_complete():
            return  # they are brought up to date when they are built
        summary = self._selected_summary()
        self.menu_actions.update_for(self.session, summary is not None,
                                     archived=summary is not None and summary.archived)
        self.menu_actions.test_inbox.setEnabled(
            self._built("test_sender") and self.test_sender.has_inbox(self.current_flow()))
        self._show_unsaved()

    def _show_unsaved(self) -> None:
        """Save and Revert follow unsaved edits; the Edit tab and the title show a *."""
        unsaved = self._edits_unsaved()
        if self.menus_complete():
            self.menu_actions.update_edits(unsaved)
        self.setWindowModified(unsaved)
        if self.page_built():
            self.tabs.setTabText(EDIT_TAB, "E&dit*" if unsaved else "E&dit")
            self.tabs.setTabToolTip(EDIT_TAB, "The flow has unsaved changes" if unsaved else "")

    def save_edits(self) -> bool:
        """File → Save (Ctrl+S) from anywhere in the window."""
        if not self._edits_unsaved():
            return True
        saved = bool(self.edit_tab.save())
        self._show_unsaved()
        return saved

    def revert_edits(self) -> None:
        """File → Revert to Saved: after a confirmation that defaults to Cancel."""
        if not self._edits_unsaved():
            return
        summary = self.flow_list.summary(self.flow_id)
        what = f"“{summary.name}”" if summary else "the flow"
        if self.prompts.confirm(self, "Revert to Saved?",
                                f"Drop your unsaved changes to {what} and show it as "
                                "saved? This cannot be undone."):
            self.edit_tab.discard_changes()
            self.show_message("Reverted to the saved flow.")
        self._show_unsaved()

    def _load_after_sign_in(self) -> None:
        if not self.session.signed_in:
            return
        self.reload_flows()
        last = self.settings.last_flow(self.session.location)
        if last is not None and self.flow_list.summary(last) is not None:
            self.flow_list.select_flow(last, quiet=True)
            self._show_flow(last)

    def reload_flows(self, change: SessionChange | None = None) -> None:
        """The flow list; for a change naming its flows, only their rows."""
        from flowbench.services import flows

        if change is not None and change.flow_ids and not (change.session or change.remote):
            try:
                self.flow_list.update_flows({flow_id: next(iter(flows.list_flows(
                    include_archived=True, only_id=flow_id)), None)
                    for flow_id in change.flow_ids})
            except FlowbenchError as error:
                self.show_message(str(error))
        else:
            try:
                listed = flows.list_flows(
                    include_archived=self.flow_list.show_archived.isChecked())
            except FlowbenchError as error:
                self.show_message(str(error))
                listed = []
            self.flow_list.set_flows(listed)
        current = self.flow_list.current_flow()
        if current is None and self.flow_id is not None:
            self._show_flow(None)  # the flow shown is gone (archived elsewhere)
        self._update_actions()

    # --- flows ----------------------------------------------------------------------------------
    def current_flow(self) -> int | None:
        return self.flow_list.current_flow() if self.page_built() else None

    def choose_flow(self, flow_id: int | None) -> bool:
        """Select and show a flow, as if the member clicked it (unsaved edits guarded)."""
        if flow_id == self.flow_id:
            return True
        if not self.resolve_unsaved("switching to another flow"):
            return False
        self.flow_list.select_flow(flow_id, quiet=True)
        self._show_flow(flow_id)
        return True

    def _flow_chosen(self, flow_id: int | None) -> None:
        previous = self.flow_id
        if flow_id == previous:
            return
        if not self.resolve_unsaved("switching to another flow"):
            self.flow_list.select_flow(previous, quiet=True)
            return
        self._show_flow(flow_id)

    def _show_flow(self, flow_id: int | None, remember: bool = True) -> None:
        """Every tab built so far shows ``flow_id``; the others show it when built."""
        self.flow_id = flow_id
        page = self.page
        for lazy in (page.edit, page.versions, page.activity, page.publish):
            if lazy.view is not None:
                lazy.view.show_flow(flow_id)
        if remember:
            self.settings.set_last_flow(self.session.location, flow_id)
        self._update_actions()

    def go_to_problem(self, step_id: str | None, field: str) -> None:
        """A validation error chosen in the Publish tab: show its place in the Edit tab."""
        self.tabs.setCurrentIndex(EDIT_TAB)
        self.edit_tab.select_problem(step_id, field)

    def _flow_saved(self, flow_id: int) -> None:
        # Announced with the Edit tab as the origin: it skips its own change (keeping its
        # undo history); the list row, Versions, Publish, Activity… follow.
        self.session.notify(SessionChange.for_flow(flow_id, origin=self.edit_tab))
        self.show_message("Saved.")

    def new_flow(self) -> NewFlowDialog | None:
        """File → New Flow: a dialog that stays open (saying why) until a flow is made."""
        from flowbench.domain.roles import Permission  # (not on the way to the window)

        actor = self.session.actor
        if actor is None or not actor.can(Permission.EDIT_DRAFT):
            return None
        if not self.resolve_unsaved("creating a new flow"):
            return None
        from flowbench.ui.flow_creation import ask_for_new_flow

        self.new_flow_dialog = ask_for_new_flow(self, self.session, self._flow_created)
        return self.new_flow_dialog

    def _flow_created(self, flow_id: int, name: str) -> None:
        self.flow_list.select_flow(flow_id, quiet=True)
        self._show_flow(flow_id)
        self.tabs.setCurrentIndex(EDIT_TAB)
        self.show_message(f"Created “{name}”: Version 1 is a draft.")

    def export_flow(self) -> None:
        summary = self._selected_summary()
        if summary is not None:
            self.transfer.export_flow(summary.id, summary.name)

    # --- guarding unsaved edits -------------------------------------------------------------
    def resolve_unsaved(self, doing: str) -> bool:
        """True when it is fine to go on: nothing unsaved, saved, or discarded."""
        if not self._edits_unsaved():
            return True
        summary = self.flow_list.summary(self.flow_id)
        what = f"“{summary.name}”" if summary else "The flow"
        answer = self.prompts.ask_unsaved(
            self, "Unsaved changes", f"{what} has unsaved changes. Save them before "
            f"{doing}?")
        if answer == UnsavedAnswer.SAVE:
            return bool(self.edit_tab.save())
        if answer == UnsavedAnswer.DISCARD:
            self.edit_tab.discard_changes()
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.resolve_unsaved("quitting"):
            event.ignore()
            return
        self.save_geometry()
        event.accept()

    # --- windows and dialogs ---------------------------------------------------------------------
    def show_flow_audit_log(self) -> Any:
        """The Audit Log window filtered to the selected flow (flow list context menu)."""
        flow_id = self.current_flow()
        return None if flow_id is None else self.admin.open_audit_log(flow_id=flow_id)
