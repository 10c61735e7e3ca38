"""The main window's menus and their actions (standard shortcuts, icons, enabled
according to what the signed-in member may do)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from flowbench.domain.roles import Permission
from flowbench.ui.icons import icon

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from flowbench.ui.session import AppSession

StandardKey = QKeySequence.StandardKey
MEMBERS_TIP = "Members, their roles, approval groups and workspace settings"
AUDIT_TIP = "Who did what when, filtered by flow, member and action"
FLOW_AUDIT_TIP = "The audit log of the selected flow: who did what to it, and when"
RUNTIME_TIP = "Customers and their cards, segments, events and the clock of the runtime"


def _action(parent: QObject, text: str, icon_name: str | None = None,
            shortcut: QKeySequence | StandardKey | str | None = None,
            tip: str = "") -> QAction:
    action = QAction(text, parent)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        # what setShortcut does, without its overload on Qt.Key, which would build the
        # whole Qt namespace (~13 ms) before the first window
        action.setShortcuts([QKeySequence(shortcut)])
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    return action


class MainActions(QObject):
    recent_chosen = Signal(str)  # a workspace location from File → Recent Workspaces

    def __init__(self, window: QMainWindow, menus: Sequence[QMenu]) -> None:
        """The actions, put into ``menus``: the menu bar's File, Edit, View, Workspace,
        Runtime and Help menus (``window_shell.top_menus``)."""
        super().__init__(window)
        self.window = window
        self.new_flow = _action(window, "&New Flow…", "new-flow", StandardKey.New,
                                "Create a flow; its Version 1 is a draft")
        self.import_flow = _action(window, "&Import Flow…", "import-flow", "Ctrl+Shift+I",
                                   "Import a flow file as a new flow or a new draft")
        self.export_flow = _action(window, "&Export Flow…", "export-flow", "Ctrl+Shift+E",
                                   "Save the selected flow as a flow file")
        self.duplicate_flow = _action(window, "&Duplicate Flow…", "new-flow", None,
                                      "Copy the selected flow into a new flow (Version 1 "
                                      "draft)")
        self.archive_flow = _action(window, "Arc&hive Flow…", None, None,
                                    "Archive the selected flow: it stops starting and "
                                    "leaves the list")
        self.unarchive_flow = _action(window, "U&narchive Flow", None, None,
                                      "Bring the selected archived flow back")
        self.show_archived = _action(window, "Show &Archived Flows", None, None,
                                     "List archived flows too")
        self.show_archived.setCheckable(True)
        self.save = _action(window, "&Save", "save", StandardKey.Save,
                            "Save the Edit tab's changes as the draft's next revision")
        self.save.setShortcuts([QKeySequence("Ctrl+S")])  # also where the platform has none
        self.revert = _action(window, "Re&vert to Saved", "restore", "Ctrl+R",
                              "Revert to Saved: drop the unsaved changes (Ctrl+R)")
        self.new_workspace = _action(window, "New &Workspace…", "new-workspace", None,
                                     "Create a workspace file and set it up: name it and "
                                     "create its Owner")
        self.open_workspace = _action(window, "&Open Workspace…", "open-workspace",
                                      StandardKey.Open, "Open another workspace file")
        self.open_team_workspace = QAction(icon("workspace"), "Open &Team Workspace…",
                                           window)
        self.open_team_workspace.setStatusTip("Open a workspace shared on a PostgreSQL "
                                              "server")
        self.sign_in = _action(window, "Sign &In…", "sign-in", None,
                               "Sign in to the open workspace")
        self.sign_out = _action(window, "Sign O&ut", "sign-out", None,
                                "Sign out; the window stays open")
        self.quit = _action(window, "&Quit", "quit", StandardKey.Quit, "Quit Flowbench")
        self.quit.setShortcuts([QKeySequence("Ctrl+Q")])  # also where the platform has none
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo = _action(window, "&Undo", "undo", StandardKey.Undo)
        self.redo = _action(window, "&Redo", "redo", "Ctrl+Shift+Z")
        for action in (self.undo, self.redo):  # until the Edit tab's stack is followed
            action.setEnabled(False)
        self.find_flow = _action(window, "&Find Flow", "search", StandardKey.Find,
                                 "Search the flow list")
        self.about = _action(window, "&About Flowbench", "about", None,
                             "Versions of Flowbench, Qt, Python and SQLite, and the keyring in use")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.members_settings = _action(window, "&Members and Settings…", "member",
                                        "Ctrl+Shift+M", MEMBERS_TIP)
        self.audit_log = _action(window, "&Audit Log…", "flow-versions", "Ctrl+Shift+L",
                                 AUDIT_TIP)
        self.flow_audit_log = _action(window, "Audit Log for This &Flow…", "flow-versions",
                                      None, FLOW_AUDIT_TIP)
        self.change_password = _action(window, "Change My &Password…", "sign-in", None,
                                       "Change the password you sign in with")
        self.test_send = _action(window, "&Test Send…", "test-send", "Ctrl+T",
                                 "Run the draft for chosen test accounts and see their inbox")
        self.test_inbox = _action(window, "Test &Inbox…", "inbox", "Ctrl+Shift+T",
                                  "Test Inbox: the last test send's inbox again, without "
                                  "sending (Ctrl+Shift+T)")
        self.runtime_window = _action(window, "&Customers and Segments…", "workspace",
                                      "Ctrl+Shift+R", RUNTIME_TIP)
        self.send_event = _action(window, "Send &Event…", None, None,
                                  "Send an event for a customer to the local runtime")
        self.advance_clock = _action(window, "&Advance Clock…", None, None,
                                     "Move the runtime clock forward: waits end, cards expire")
        self.work_offline = _action(window, "Work O&ffline…", "workspace", None,
                                    "Copy this team workspace to a file and edit its drafts "
                                    "offline")
        self.sync_offline = _action(window, "S&ync", None, None,
                                    "Send this offline copy's edits to its team workspace")
        self.offline_conflicts = _action(window, "Offline &Conflicts…", None, None,
                                         "Your offline edits the team changed meanwhile, "
                                         "side by side")
        self.show_flow_list = _action(window, "Flow &List", "flow-list", "Ctrl+B",
                                      "Show or hide the flow list, giving its room to the flow")
        self.show_flow_list.setCheckable(True)
        self.show_flow_list.setChecked(True)
        self._stack: QUndoStack | None = None
        self._build_menus(menus)

    def _build_menus(self, menus: Sequence[QMenu]) -> None:
        file_menu, edit_menu, self.view_menu, self.workspace_menu, self.runtime_menu, \
            help_menu = menus
        file_menu.addActions([self.new_flow, self.save, self.revert])
        file_menu.addSeparator()
        file_menu.addActions([self.import_flow, self.export_flow])
        file_menu.addSeparator()
        file_menu.addActions([self.duplicate_flow, self.archive_flow, self.unarchive_flow])
        file_menu.addSeparator()
        file_menu.addActions([self.new_workspace, self.open_workspace,
                              self.open_team_workspace])
        self.recent_menu = QMenu("&Recent Workspaces", file_menu)
        self.recent_menu.setObjectName("recentWorkspaces")
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.work_offline, self.sync_offline, self.offline_conflicts])
        file_menu.addSeparator()
        file_menu.addActions([self.sign_in, self.sign_out])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_flow, self.show_archived])
        edit_menu.addSeparator()
        edit_menu.addActions([self.test_send, self.test_inbox])
        self.view_menu.setObjectName("viewMenu")
        self.view_menu.addAction(self.show_flow_list)
        self.view_menu.addSeparator()  # the Edit tab's diagram actions follow
        self.workspace_menu.setToolTipsVisible(True)
        self.workspace_menu.addActions([self.members_settings, self.audit_log,
                                        self.flow_audit_log])
        self.workspace_menu.addSeparator()
        self.workspace_menu.addAction(self.change_password)
        self.runtime_menu.setToolTipsVisible(True)
        self.runtime_menu.addAction(self.runtime_window)
        self.runtime_menu.addSeparator()
        self.runtime_menu.addActions([self.send_event, self.advance_clock])
        help_menu.addAction(self.about)
        self.file_menu, self.edit_menu, self.help_menu = file_menu, edit_menu, help_menu

    def add_diagram_actions(self, actions: list[QAction]) -> None:
        """The Edit tab's diagram actions (zoom…), in the View menu once the tab exists."""
        self.view_menu.addActions(actions)

    # --- undo and redo follow the Edit tab's stack ------------------------------------------
    def follow_undo_stack(self, stack: QUndoStack) -> None:
        self._stack = stack
        self.undo.triggered.connect(stack.undo)
        self.redo.triggered.connect(stack.redo)
        stack.canUndoChanged.connect(lambda _can: self._update_undo())
        stack.canRedoChanged.connect(lambda _can: self._update_undo())
        stack.undoTextChanged.connect(lambda _text: self._update_undo())
        stack.redoTextChanged.connect(lambda _text: self._update_undo())
        self._update_undo()

    def _update_undo(self) -> None:
        stack = self._stack
        if stack is None:
            return
        self.undo.setEnabled(stack.canUndo())
        self.redo.setEnabled(stack.canRedo())
        self.undo.setText(f"&Undo {stack.undoText()}".strip())
        self.redo.setText(f"&Redo {stack.redoText()}".strip())

    # --- what the member may do ---------------------------------------------------------------
    def update_edits(self, unsaved: bool) -> None:
        """Save and Revert to Saved are enabled exactly while there are unsaved edits."""
        self.save.setEnabled(unsaved)
        self.revert.setEnabled(unsaved)

    def update_for(self, session: AppSession, flow_selected: bool,
                   archived: bool = False) -> None:
        signed_in = session.signed_in
        may_edit = session.can(Permission.EDIT_DRAFT)
        self.new_flow.setEnabled(may_edit)
        self.import_flow.setEnabled(may_edit)
        self.export_flow.setEnabled(signed_in and flow_selected)
        self.find_flow.setEnabled(signed_in)
        self.sign_in.setVisible(not signed_in)
        self.sign_in.setEnabled(session.workspace is not None and not signed_in)
        self.sign_out.setVisible(signed_in)
        why = "" if may_edit or not signed_in else (
            " (read-only workspace)" if session.actor and session.actor.read_only_reason
            else " (your role may not edit flows)")
        self._update_admin(session)
        self._update_runtime(session)
        self._update_offline(session)
        self.new_flow.setStatusTip("Create a flow; its Version 1 is a draft" + why)
        may_test = session.can(Permission.SEND_TEST)
        self.test_send.setEnabled(may_test and flow_selected)
        test_tip = "Run the draft for chosen test accounts and see their inbox" + (
            "" if may_test or not signed_in else " (your role may not send tests)")
        self.test_send.setStatusTip(test_tip)
        self.test_send.setToolTip(test_tip)
        self.flow_audit_log.setEnabled(session.can(Permission.VIEW_AUDIT) and flow_selected)
        self._update_housekeeping(session, flow_selected, archived)

    def _update_housekeeping(self, session: AppSession, flow_selected: bool,
                             archived: bool) -> None:
        """Archiving needs the publish permission (it stops a flow running), unarchiving
        and duplicating the edit permission; a disabled action says why."""
        self.show_archived.setEnabled(session.signed_in)
        for action, permission, words, applies in (
                (self.archive_flow, Permission.PUBLISH, "archive flows", not archived),
                (self.unarchive_flow, Permission.EDIT_DRAFT, "unarchive flows", archived),
                (self.duplicate_flow, Permission.EDIT_DRAFT, "duplicate flows", True)):
            allowed = session.can(permission)
            action.setEnabled(allowed and flow_selected and applies)
            action.setVisible(action is self.duplicate_flow or applies or not flow_selected)
            if session.actor is not None and not allowed:
                action.setToolTip(session.actor.refusal(permission, words))

    def _update_offline(self, session: AppSession) -> None:
        team = session.workspace is not None and session.workspace.is_team
        copy = bool(session.offline_copy_of)
        self.work_offline.setEnabled(session.signed_in and team)
        self.sync_offline.setEnabled(session.signed_in and copy)
        self.offline_conflicts.setEnabled(session.signed_in and copy)
        self.work_offline.setStatusTip(
            "Copy this team workspace to a file and edit its drafts offline" if team else
            "Only a team workspace (on a server) can be taken offline")
        self.sync_offline.setStatusTip(
            f"Send this offline copy's edits to {session.offline_copy_of}" if copy else
            "Sync works in an offline copy of a team workspace")

    def _update_admin(self, session: AppSession) -> None:
        """Anyone signed in may look at members and settings (read only without the
        permission); the audit log needs its own permission."""
        self.members_settings.setEnabled(session.signed_in)
        self.change_password.setEnabled(session.signed_in)
        manages = session.can(Permission.MANAGE_MEMBERS) or session.can(
            Permission.MANAGE_SETTINGS)
        members_tip = MEMBERS_TIP if manages or not session.signed_in else (
            "See members, approval groups and settings (read only: "
            + (session.actor.refusal(Permission.MANAGE_MEMBERS) if session.offline_copy_of
               and session.actor else "your role may not change them") + ")")
        self.members_settings.setToolTip(members_tip)
        self.members_settings.setStatusTip(members_tip)
        may_audit = session.can(Permission.VIEW_AUDIT)
        self.audit_log.setEnabled(may_audit)
        audit_tip = AUDIT_TIP
        if session.signed_in and not may_audit and session.actor is not None:
            audit_tip = session.actor.refusal(Permission.VIEW_AUDIT)
        self.audit_log.setToolTip(audit_tip)
        self.audit_log.setStatusTip(audit_tip)

    def _update_runtime(self, session: AppSession) -> None:
        """Anyone signed in may look at the runtime; changing its data needs edit_draft."""
        self.runtime_window.setEnabled(session.signed_in)
        may_rehearse = session.can(Permission.EDIT_DRAFT)
        for action, tip, words in (
                (self.send_event, "Send an event for a customer to the local runtime",
                 "send events to the runtime"),
                (self.advance_clock, "Move the runtime clock forward: waits end, cards "
                 "expire", "advance the runtime clock")):
            action.setEnabled(may_rehearse)
            if session.actor is not None and not may_rehearse:
                tip = session.actor.refusal(Permission.EDIT_DRAFT, words)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def fill_recent(self, locations: list[str], current: str | None) -> None:
        self.recent_menu.clear()
        for location in locations:
            action = self.recent_menu.addAction(Path(location).name or location)
            action.setToolTip(location)
            action.setStatusTip(location)
            action.setCheckable(True)
            action.setChecked(location == current)
            action.triggered.connect(lambda _checked=False, where=location:
                                     self.recent_chosen.emit(where))
        self.recent_menu.setEnabled(bool(locations))
