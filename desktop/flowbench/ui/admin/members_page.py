"""The Members page: who is in the workspace, and (for those allowed to manage members)
adding one, changing a role, deactivating or reactivating, resetting a password."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from flowbench.domain.roles import Permission
from flowbench.services import members
from flowbench.services.context import Actor
from flowbench.services.members import MemberInfo
from flowbench.ui.admin.add_member_dialog import AddMemberDialog, role_combo
from flowbench.ui.admin.common import AdminPage, attempt, attempt_done, reason_label, why_not
from flowbench.ui.admin.member_table import MemberTableModel, role_label
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button, text_label
from flowbench.ui.kit.tables import fit_columns, read_only_table
from flowbench.ui.session import AppSession


class MembersPage(AdminPage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self.add_dialog: AddMemberDialog | None = None
        self.model = MemberTableModel(self)
        self.view = read_only_table(self, self.model, object_name="memberTable",
                                    accessible_name="Members")
        fit_columns(self.view)
        self.add_button = button(self, "&Add Member…", "Add a member", icon=icon("member"),
                                 clicked=self.open_add_member)
        self.role = role_combo(self, session.actor)
        self.role.setAccessibleName("New role for the selected member")
        self.role_button = button(self, "Change &Role", "Change the role of the selected "
                                  "member", clicked=self.change_role)
        self.active_button = button(self, "&Deactivate…", "Deactivate or reactivate the "
                                    "selected member", clicked=self.toggle_active)
        self.reset_button = button(self, "Reset &Password…", "Reset the password of the "
                                   "selected member", clicked=self.reset_password)
        self.reason = reason_label(self, "Why members cannot be changed")
        self.count = text_label(self, name="Number of members", look="subtle")

        controls = QHBoxLayout()
        controls.addWidget(self.add_button)
        controls.addSpacing(16)
        controls.addWidget(QLabel("Role:", self))
        controls.addWidget(self.role)
        controls.addWidget(self.role_button)
        controls.addSpacing(16)
        controls.addWidget(self.active_button)
        controls.addWidget(self.reset_button)
        controls.addStretch(1)
        controls.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(self.view, 1)
        layout.addLayout(controls)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.selected()
        listed = attempt(self.prompts, self, "Members not shown", members.list_members) or []
        actor = self.session.actor
        self.model.set_members(listed, actor.member_id if actor else None)
        active = sum(1 for m in listed if m.active)
        self.count.setText(f"{active} active of {len(listed)} member"
                           f"{'' if len(listed) == 1 else 's'}")
        if listed:
            self.select_member(keep.email if keep else listed[0].email)
        self._update_controls()

    def selected(self) -> MemberInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.member_at(rows[0].row()) if rows else None

    def select_member(self, email: str) -> bool:
        row = self.model.row_of(email)
        if row < 0:
            return False
        self.view.selectRow(row)
        return True

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        chosen = self.selected()
        if chosen is not None:
            index = self.role.findData(chosen.role)
            if index >= 0:
                self.role.setCurrentIndex(index)
        self._update_controls()

    def _update_controls(self) -> None:
        reason = why_not(self.session, Permission.MANAGE_MEMBERS)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        allowed = not reason
        chosen = self.selected()
        self.add_button.setEnabled(allowed)
        for widget in (self.role, self.role_button, self.active_button, self.reset_button):
            widget.setEnabled(allowed and chosen is not None)
            widget.setToolTip(reason)
        self.add_button.setToolTip(reason or "Add a member with an initial password")
        is_active = chosen is None or chosen.active
        self.active_button.setText("&Deactivate…" if is_active else "Re&activate")
        if chosen is not None and allowed:
            self.active_button.setToolTip(
                f"{chosen.email} can no longer sign in; their history stays" if is_active
                else f"{chosen.email} may sign in again")
            self.reset_button.setToolTip(f"Give {chosen.email} a new password")
            if chosen.id == self.model.me:
                self.active_button.setEnabled(False)
                self.active_button.setToolTip("You cannot deactivate yourself; ask another "
                                              "Owner or Admin.")
                self.reset_button.setToolTip("Give yourself a new password (Workspace → "
                                             "Change My Password asks for the current one)")

    def _changed(self, text: str) -> None:
        self.announce(text, members=True)

    # --- changing --------------------------------------------------------------------------------
    def open_add_member(self) -> AddMemberDialog | None:
        actor = self.acting_member(self.add_button)
        if actor is None:
            return None
        dialog = AddMemberDialog(actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._member_added)
        dialog.finished.connect(lambda _result: setattr(self, "add_dialog", None))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _member_added(self, info: MemberInfo, password: str) -> None:
        self._changed(f"Added {info.email} as {role_label(info.role)}.")
        self.select_member(info.email)
        self.prompts.inform(
            self, "Member added",
            f"{info.name} <{info.email}> can now sign in as {role_label(info.role)} "
            f"with this initial password:\n\n{password}\n\nIt is shown only now: give it "
            "to them in person or over a trusted channel.")

    def change_role(self) -> bool:
        chosen, actor = self.selected(), self.acting_member(self.role_button)
        role = str(self.role.currentData())
        if chosen is None or actor is None:
            return False
        if role == chosen.role:
            self.message.emit(f"{chosen.email} already is {role_label(role)}.")
            return False
        if chosen.id == actor.member_id and not self.prompts.confirm(
                self, "Change your own role?",
                f"You are about to make yourself {role_label(role)}. You may lose the "
                "right to manage members. Go on?"):
            return False
        done = attempt(self.prompts, self, "Role not changed",
                       lambda: members.set_role(actor, chosen.email, role))
        if done is None:
            self.refresh()
            return False
        if chosen.id == actor.member_id:
            # what the app lets the member do follows the new role at once
            self.session.sign_in(Actor(actor.member_id, actor.email, actor.name, done.role))
        self._changed(f"{chosen.email} is now {role_label(role)}.")
        return True

    def toggle_active(self) -> bool:
        chosen, actor = self.selected(), self.acting_member(self.active_button)
        if chosen is None or actor is None:
            return False
        if chosen.active:
            if not self.prompts.confirm(
                    self, "Deactivate member?",
                    f"Deactivate {chosen.name} <{chosen.email}>? They can no longer sign in; "
                    "what they did stays in the history and the audit log. You can "
                    "reactivate them later."):
                return False
            done = attempt(self.prompts, self, "Member not deactivated",
                           lambda: members.deactivate(actor, chosen.email))
            text = f"Deactivated {chosen.email}."
        else:
            done = attempt(self.prompts, self, "Member not reactivated",
                           lambda: members.reactivate(actor, chosen.email))
            text = f"Reactivated {chosen.email}."
        if done is None:
            self.refresh()
            return False
        self._changed(text)
        return True

    def reset_password(self) -> bool:
        chosen, actor = self.selected(), self.acting_member(self.reset_button)
        if chosen is None or actor is None:
            return False
        password = self.prompts.ask_text(
            self, "Reset Password",
            f"New password for {chosen.email} (a random one is suggested; it is shown "
            "once more after the reset):", members.suggest_password())
        if password is None:
            return False
        if not attempt_done(self.prompts, self, "Password not reset",
                            lambda: members.reset_password(actor, chosen.email, password)):
            return False
        self._changed(f"Reset the password of {chosen.email}.")
        self.prompts.inform(self, "Password reset",
                            f"{chosen.email} can now sign in with:\n\n{password}\n\n"
                            "It is shown only now.")
        return True

