"""Workspace administration windows: Members and Settings, and the Audit Log.

``AdminWindows`` opens each as one non-modal window (raising it if it is already open);
the main window connects its Workspace menu to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from flowbench.ui.admin.audit_window import AuditLogWindow, open_audit_window
from flowbench.ui.admin.change_password_dialog import ChangePasswordDialog
from flowbench.ui.admin.members_window import MembersAndSettingsWindow, open_members_window
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession


class AdminWindows(QObject):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, session: AppSession, prompts: Prompts, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.prompts, self.parent_widget = session, prompts, parent
        self.members: MembersAndSettingsWindow | None = None
        self.audit: AuditLogWindow | None = None
        self.password: ChangePasswordDialog | None = None

    def open_members(self) -> MembersAndSettingsWindow | None:
        if not self.session.signed_in:
            return None
        if self.members is None:
            self.members = open_members_window(self.session, self.prompts, self.parent_widget)
            self.members.destroyed.connect(lambda _obj=None: setattr(self, "members", None))
        self.members.show()
        self.members.raise_()
        self.members.activateWindow()
        return self.members

    def open_audit_log(self, flow_id: int | None = None) -> AuditLogWindow | None:
        if not self.session.signed_in:
            return None
        if self.audit is None:
            self.audit = open_audit_window(self.session, self.parent_widget)
            self.audit.destroyed.connect(lambda _obj=None: setattr(self, "audit", None))
        if flow_id is not None:
            try:
                self.audit.choose(flow_id=flow_id)
            except LookupError:  # a flow newer than the open window's choices: read again
                self.audit.refresh()
                try:
                    self.audit.choose(flow_id=flow_id)
                except LookupError:  # nothing recorded about that flow yet
                    self.audit.choose(text="")
        self.audit.show()
        self.audit.raise_()
        self.audit.activateWindow()
        return self.audit

    def open_change_password(self) -> ChangePasswordDialog | None:
        actor = self.session.actor
        if actor is None:
            return None
        dialog = ChangePasswordDialog(actor, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(lambda: self.message.emit("Your password was changed."))
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "password", None))
        self.password = dialog
        dialog.open()
        return dialog


__all__ = ["AdminWindows", "AuditLogWindow", "ChangePasswordDialog",
           "MembersAndSettingsWindow"]
