"""Changing one's own password (e.g. the initial one an Owner handed over): the current
password, then the new one twice. A refusal is shown in the dialog; nothing changes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services import members
from flowbench.services.context import Actor
from flowbench.services.passwords import MIN_PASSWORD_LENGTH
from flowbench.ui.kit.forms import finish_form, text_label


class ChangePasswordDialog(QDialog):
    changed = Signal()

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle("Change My Password")
        self.current = self._password_field("Current password")
        self.new = self._password_field("New password")
        self.repeat = self._password_field("New password again")
        note = text_label(self, f"At least {MIN_PASSWORD_LENGTH} characters.",
                          look="passwordNote")
        form = QFormLayout()
        form.addRow(QLabel(f"Signed in as {actor.name} <{actor.email}>", self))
        for text, field in (("&Current password:", self.current),
                            ("&New password:", self.new), ("&Again:", self.repeat)):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        end = finish_form(self, form, note, self.submit,
                          button=("C&hange Password", "Change the password"),
                          refused="Why the password was not changed", width=400)
        self.error, self.buttons, self.change_button = end.error, end.buttons, end.submit
        self.refuse = end.refuse

    def _password_field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _refuse(self, text: str, field: QLineEdit) -> bool:
        field.setFocus()
        field.selectAll()
        return self.refuse(text)

    def submit(self) -> bool:
        if self.new.text() != self.repeat.text():
            return self._refuse("The two new passwords differ; type the new one twice.",
                                self.repeat)
        if self.new.text() == self.current.text():
            return self._refuse("The new password is the same as the current one.", self.new)
        try:
            members.change_own_password(self.actor, self.current.text(), self.new.text())
        except FlowbenchError as error:
            message = str(error)
            return self._refuse(message, self.current if "current" in message.lower()
                                else self.new)
        self.changed.emit()
        self.accept()
        return True
