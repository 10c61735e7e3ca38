"""Adding a member: email, name, role and an initial password (generated or typed).

The dialog calls the service itself: a refusal (bad email, a taken one, a weak password,
a role the member may not give) is shown in the dialog, which stays open with what was
typed; nothing is written. On success ``added`` carries the member and the password,
which the caller shows once.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Role
from flowbench.services import members
from flowbench.services.context import Actor
from flowbench.services.passwords import MIN_PASSWORD_LENGTH
from flowbench.ui.kit.forms import button, finish_form, text_label


def role_combo(parent: QWidget, actor: Actor | None) -> QComboBox:
    """The built-in roles; Owner only when the acting member is an Owner."""
    combo = QComboBox(parent)
    for role in Role:
        if role == Role.OWNER and (actor is None or actor.role != Role.OWNER.value):
            continue
        combo.addItem(role.label, role.value)
    return combo


class AddMemberDialog(QDialog):
    added = Signal(object, str)  # MemberInfo, the initial password

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle("Add Member")
        self.setObjectName("addMemberDialog")
        self.email = QLineEdit(self)
        self.email.setAccessibleName("Email")
        self.email.setPlaceholderText("name@example.com")
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.role = role_combo(self, actor)
        self.role.setAccessibleName("Role")
        self.role.setCurrentIndex(self.role.findData(Role.EDITOR.value))
        self.password = QLineEdit(members.suggest_password(), self)
        self.password.setAccessibleName("Initial password")
        self.generate = button(self, "&Generate", "Generate another password",
                               tip="Replace the password with a new random one",
                               clicked=lambda: self.password.setText(
                                   members.suggest_password()))
        note = text_label(self, f"At least {MIN_PASSWORD_LENGTH} characters. It is shown "
                          "once, after adding: give it to the member, who can change it.",
                          look="passwordNote", wrap=True)

        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.generate)
        form = QFormLayout()
        form.addRow("&Email:", self.email)
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        password_label = QLabel("Initial &password:", self)
        password_label.setBuddy(self.password)
        form.addRow(password_label, password_row)
        end = finish_form(self, form, note, self.submit, button=("&Add Member", "Add the member"),
                          refused="Why the member was not added", width=440)
        self.error, self.buttons, self.add_button = end.error, end.buttons, end.submit
        self.refuse = end.refuse

    def submit(self) -> bool:
        password = self.password.text()
        try:
            info = members.add_member(self.actor, self.email.text(), self.name.text(),
                                      str(self.role.currentData()), password)
        except FlowbenchError as error:
            self._focus_for(str(error))
            return self.refuse(str(error))
        self.error.hide()
        self.added.emit(info, password)
        self.accept()
        return True

    def _focus_for(self, message: str) -> None:
        lowered = message.lower()
        if "password" in lowered:
            self.password.setFocus()
        elif "name" in lowered and "email" not in lowered:
            self.name.setFocus()
        elif "owner" in lowered or "role" in lowered:
            self.role.setFocus()
        else:
            self.email.setFocus()
            self.email.selectAll()
