"""The main window: menus, the flow list on the left, the selected flow's Edit, Publish
and Versions tabs on the right, and a status bar naming member, role and workspace.

It renders the session and forwards intent; opening workspaces and signing in are the
``AppController``'s job (``ui/startup.py``). It guards unsaved edits: switching flow,
signing out, opening another workspace or quitting first asks Save/Discard/Cancel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission
from flowbench.resources import resource_path
from flowbench.services import flows
from flowbench.ui.activity.activity_tab import ActivityTab
from flowbench.ui.admin import AdminWindows
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.dialogs.about import AboutDialog
from flowbench.ui.dialogs.new_flow import NewFlowDialog
from flowbench.ui.dialogs.prompts import Prompts, UnsavedAnswer
from flowbench.ui.edit.edit_tab import EditTab
from flowbench.ui.edit_corner import add_edit_corner
from flowbench.ui.flow_housekeeping import FlowHousekeeping
from flowbench.ui.flow_list import FlowListPanel
from flowbench.ui.flow_transfer import FlowTransfer
from flowbench.ui.icons import icon
from flowbench.ui.main_actions import MainActions
from flowbench.ui.offline.offline_work import OfflineWork
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.runtime.runtime_window import CUSTOMERS, EVENTS, RuntimeWindow
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.signed_out_page import SignedOutPage
from flowbench.ui.test_send.launcher import TestSendLauncher
from flowbench.ui.versions_tab import VersionsTab
from flowbench.ui.window_size import first_run_geometry, flow_list_width

APP_NAME = "Flowbench"
EDIT_TAB, PUBLISH_TAB, VERSIONS_TAB = range(3)
ACTIVITY_TAB = 3


class MainWindow(QMainWindow):
    def __init__(self, session: AppSession, settings: AppSettings, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.session, self.settings, self.prompts = session, settings, prompts
        self.setWindowIcon(QIcon(str(resource_path("icons/flowbench.svg"))))
        self.menu_actions = MainActions(self)
        self.flow_list = FlowListPanel(self)
        self.edit_tab = EditTab(session, self, prompts=prompts)
        self.edit_tab.setAccessibleName("Edit the flow")
        self.publish_tab = PublishTab(session, prompts, self, edits=self.edit_tab)
        self.versions_tab = VersionsTab(session, prompts, self.edit_tab, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("flowTabs")
        self.tabs.setAccessibleName("The selected flow")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setAccessibleName("Views of the selected flow")
        self.tabs.addTab(self.edit_tab, icon("flow-edit"), "E&dit")
        self.tabs.addTab(self.publish_tab, icon("flow-publish"), "&Publish")
        self.tabs.addTab(self.versions_tab, icon("flow-versions"), "&Versions")
        self.activity_tab = ActivityTab(session, prompts, self)
        self.tabs.addTab(self.activity_tab, icon("flow-activity"), "&Activity")
        self.test_sender = TestSendLauncher(session, prompts, self, self.resolve_unsaved)
        actions = self.menu_actions
        self.edit_buttons = add_edit_corner(self.tabs, EDIT_TAB, [
            (actions.save, "saveButton", "Save the flow"),
            (actions.revert, "revertButton", "Revert to the saved flow"),
            (actions.test_send, "testSendButton", "Test send the draft"),
            (actions.test_inbox, "testInboxButton", "Show the test inbox again")],
            icon_only=frozenset({"revertButton", "testInboxButton"}))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.flow_list)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 880])  # at 1000 px the Edit tab keeps ~670 px
        self.splitter.setChildrenCollapsible(False)
        self.signed_out = SignedOutPage(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.signed_out)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)
        self.transfer = FlowTransfer(self, session, prompts)
        self.housekeeping = FlowHousekeeping(self, session, prompts)
        self.admin = AdminWindows(session, prompts, self)
        self.offline = OfflineWork(self, session, prompts, self.resolve_unsaved)
        self._build_status_bar()
        QWidget.setTabOrder(self.flow_list.search, self.flow_list.view)
        QWidget.setTabOrder(self.flow_list.view, self.tabs)
        self._connect()
        self._restore_geometry()
        self._render_session()

    # --- building -----------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.member_label = QLabel(self)
        self.member_label.setAccessibleName("Signed-in member")
        self.role_label = QLabel(self)
        self.role_label.setAccessibleName("Role")
        self.workspace_label = QLabel(self)
        self.workspace_label.setAccessibleName("Workspace")
        for label in (self.member_label, self.role_label, self.workspace_label):
            bar.addPermanentWidget(label)

    def _connect(self) -> None:
        actions = self.menu_actions
        self.signed_out.sign_in_button.clicked.connect(actions.sign_in.trigger)
        self.signed_out.open_button.clicked.connect(actions.open_workspace.trigger)
        actions.new_flow.triggered.connect(self.new_flow)
        actions.import_flow.triggered.connect(lambda: self.transfer.import_flow())
        actions.export_flow.triggered.connect(self.export_flow)
        actions.quit.triggered.connect(self.close)
        actions.about.triggered.connect(self.show_about)
        actions.members_settings.triggered.connect(lambda: self.admin.open_members())
        actions.audit_log.triggered.connect(lambda: self.admin.open_audit_log())
        actions.flow_audit_log.triggered.connect(self.show_flow_audit_log)
        self.flow_list.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.flow_list.view.addActions([actions.export_flow, actions.duplicate_flow,
                                        actions.archive_flow, actions.unarchive_flow,
                                        actions.flow_audit_log])
        summary = self.flow_list.summary
        actions.duplicate_flow.triggered.connect(
            lambda: self.housekeeping.duplicate(summary(self.current_flow())))
        actions.archive_flow.triggered.connect(
            lambda: self.housekeeping.archive(summary(self.current_flow())))
        actions.unarchive_flow.triggered.connect(
            lambda: self.housekeeping.unarchive(summary(self.current_flow())))
        actions.show_archived.toggled.connect(self.flow_list.show_archived.setChecked)
        self.flow_list.show_archived_changed.connect(actions.show_archived.setChecked)
        self.flow_list.show_archived_changed.connect(lambda _shown: self.reload_flows())
        self.housekeeping.message.connect(self.show_message)
        self.housekeeping.created.connect(self.choose_flow)
        actions.change_password.triggered.connect(lambda: self.admin.open_change_password())
        self.admin.message.connect(self.show_message)
        self.offline.message.connect(self.show_message)
        actions.work_offline.triggered.connect(lambda: self.offline.work_offline())
        actions.sync_offline.triggered.connect(lambda: self.offline.sync())
        actions.offline_conflicts.triggered.connect(lambda: self.offline.show_conflicts())
        actions.find_flow.triggered.connect(self.find_flow)
        actions.show_flow_list.toggled.connect(self.show_flow_list)
        actions.view_menu.addActions(self.edit_tab.diagram_panel.actions_for_menu())
        actions.runtime_window.triggered.connect(lambda: self.show_runtime(CUSTOMERS))
        actions.send_event.triggered.connect(lambda: self.show_runtime(EVENTS, "event"))
        actions.advance_clock.triggered.connect(lambda: self.show_runtime(EVENTS, "clock"))
        actions.follow_undo_stack(self.edit_tab.undo_stack())
        self.menu_actions.file_menu.aboutToShow.connect(
            lambda: actions.fill_recent(self.settings.recent_workspaces(),
                                        self.session.location))
        self.flow_list.flow_selected.connect(self._flow_chosen)
        self.edit_tab.saved.connect(self._flow_saved)
        self.edit_tab.dirty_changed.connect(lambda _dirty: self._show_unsaved())
        # File → Save holds Ctrl+S for the whole window (the tab's own is for it alone)
        self.edit_tab.removeAction(self.edit_tab.save_action)
        actions.save.triggered.connect(self.save_edits)
        actions.revert.triggered.connect(self.revert_edits)
        actions.test_inbox.triggered.connect(self.test_sender.reopen_inbox)
        self.test_sender.inbox_available.connect(lambda _flow: self._update_actions())
        self.session.changed.connect(self._session_changed)
        self.transfer.imported.connect(lambda flow_id, _created: self.choose_flow(flow_id))
        self.transfer.message.connect(self.show_message)
        self.versions_tab.message.connect(self.show_message)
        self.activity_tab.message.connect(self.show_message)
        self.test_sender.message.connect(self.show_message)
        actions.test_send.triggered.connect(
            lambda: self.test_sender.open_for(self.current_flow()))
        self.publish_tab.message.connect(self.show_message)
        self.publish_tab.problem_selected.connect(self.go_to_problem)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.fit_to_screen()
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter_state
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.menu_actions.show_flow_list.setChecked(self.settings.flow_list_shown)

    def fit_to_screen(self) -> None:
        """The first run's size: about 80% of the screen's free area, centred, with the
        flow list wide enough for whole names."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1200, 760)
            return
        geometry = first_run_geometry(screen.availableGeometry())
        self.setGeometry(geometry)
        list_width = flow_list_width(geometry.width())
        self.splitter.setSizes([list_width, geometry.width() - list_width])

    def save_geometry(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.splitter_state = self.splitter.saveState()
        self.settings.flow_list_shown = self.menu_actions.show_flow_list.isChecked()
        self.settings.sync()

    def show_flow_list(self, shown: bool) -> None:
        """View → Flow List (Ctrl+B): hidden, the selected flow gets the whole window."""
        if shown != self.menu_actions.show_flow_list.isChecked():
            self.menu_actions.show_flow_list.setChecked(shown)  # comes back here
            return
        self.flow_list.setVisible(shown)
        focus = QApplication.focusWidget()
        if not shown and focus is not None and self.flow_list.isAncestorOf(focus):
            self.tabs.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_flow(self) -> None:
        """Edit → Find Flow: the search box, showing the flow list if it was hidden."""
        self.show_flow_list(True)
        self.flow_list.focus_search()

    # --- following the session --------------------------------------------------------------
    def _session_changed(self, change: SessionChange) -> None:
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
        self.pages.setCurrentIndex(1 if actor else 0)
        self.signed_out.update_for(session)
        name = session.workspace_name or session.file_name
        offline_of = session.offline_copy_of
        if offline_of:
            name = f"{offline_of} — Offline copy ({session.file_name})"
        self.setWindowTitle(f"{APP_NAME} — {name}[*]" if name else APP_NAME)
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
        if actor is None:
            self.flow_list.set_flows([])
            self._show_flow(None, remember=False)
        self._update_actions()

    def _update_actions(self) -> None:
        summary = self.flow_list.summary(self.flow_list.current_flow())
        self.menu_actions.update_for(self.session, summary is not None,
                                     archived=summary is not None and summary.archived)
        self.menu_actions.test_inbox.setEnabled(
            self.test_sender.has_inbox(self.current_flow()))
        self._show_unsaved()

    def _show_unsaved(self) -> None:
        """Save and Revert follow unsaved edits; the Edit tab and the title show a *."""
        unsaved = bool(self.edit_tab.has_unsaved_changes())
        self.menu_actions.update_edits(unsaved)
        self.setWindowModified(unsaved)
        self.tabs.setTabText(EDIT_TAB, "E&dit*" if unsaved else "E&dit")
        self.tabs.setTabToolTip(EDIT_TAB, "The flow has unsaved changes" if unsaved else "")

    def save_edits(self) -> bool:
        """File → Save (Ctrl+S) from anywhere in the window."""
        if not self.edit_tab.has_unsaved_changes():
            return True
        saved = bool(self.edit_tab.save())
        self._show_unsaved()
        return saved

    def revert_edits(self) -> None:
        """File → Revert to Saved: after a confirmation that defaults to Cancel."""
        if not self.edit_tab.has_unsaved_changes():
            return
        summary = self.flow_list.summary(self.versions_tab.flow_id)
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
        if current is None and self.versions_tab.flow_id is not None:
            self._show_flow(None)  # the flow shown is gone (archived elsewhere)
        self._update_actions()

    # --- flows ----------------------------------------------------------------------------------
    def current_flow(self) -> int | None:
        return self.flow_list.current_flow()

    def choose_flow(self, flow_id: int | None) -> bool:
        """Select and show a flow, as if the member clicked it (unsaved edits guarded)."""
        if flow_id == self.versions_tab.flow_id:
            return True
        if not self.resolve_unsaved("switching to another flow"):
            return False
        self.flow_list.select_flow(flow_id, quiet=True)
        self._show_flow(flow_id)
        return True

    def _flow_chosen(self, flow_id: int | None) -> None:
        previous = self.versions_tab.flow_id
        if flow_id == previous:
            return
        if not self.resolve_unsaved("switching to another flow"):
            self.flow_list.select_flow(previous, quiet=True)
            return
        self._show_flow(flow_id)

    def _show_flow(self, flow_id: int | None, remember: bool = True) -> None:
        self.edit_tab.show_flow(flow_id)
        self.versions_tab.show_flow(flow_id)
        self.activity_tab.show_flow(flow_id)
        self.publish_tab.show_flow(flow_id)
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
        actor = self.session.actor
        if actor is None or not actor.can(Permission.EDIT_DRAFT):
            return None
        if not self.resolve_unsaved("creating a new flow"):
            return None
        dialog = NewFlowDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.name_chosen.connect(lambda name: self._create_flow(dialog, name))
        self.new_flow_dialog = dialog
        dialog.open()
        return dialog

    def _create_flow(self, dialog: NewFlowDialog, name: str) -> None:
        actor = self.session.actor
        if actor is None:
            dialog.reject()
            return
        try:
            created = flows.create_flow(actor, name)
        except FlowbenchError as error:
            dialog.refuse(str(error))
            return
        dialog.accept()
        self.session.notify(SessionChange.for_flow(created.id, origin=self))
        self.flow_list.select_flow(created.id, quiet=True)
        self._show_flow(created.id)
        self.tabs.setCurrentIndex(EDIT_TAB)
        self.show_message(f"Created “{created.name}”: Version 1 is a draft.")

    def export_flow(self) -> None:
        summary = self.flow_list.summary(self.current_flow())
        if summary is not None:
            self.transfer.export_flow(summary.id, summary.name)

    # --- guarding unsaved edits -------------------------------------------------------------
    def resolve_unsaved(self, doing: str) -> bool:
        """True when it is fine to go on: nothing unsaved, saved, or discarded."""
        if not self.edit_tab.has_unsaved_changes():
            return True
        summary = self.flow_list.summary(self.versions_tab.flow_id)
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

    # --- small things ---------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def show_runtime(self, page: int, focus: str = "") -> RuntimeWindow | None:
        """The Runtime window (one, kept while signed in) on ``page``."""
        if not self.session.signed_in:
            return None
        window: RuntimeWindow | None = getattr(self, "runtime_window", None)
        if window is None:
            window = RuntimeWindow(self.session, self.prompts, self)
            window.destroyed.connect(lambda _obj=None: setattr(self, "runtime_window", None))
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.runtime_window = window
        window.show_page(page)
        window.events.focus(focus)
        return window

    def show_flow_audit_log(self) -> Any:
        """The Audit Log window filtered to the selected flow (flow list context menu)."""
        flow_id = self.current_flow()
        return None if flow_id is None else self.admin.open_audit_log(flow_id=flow_id)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
