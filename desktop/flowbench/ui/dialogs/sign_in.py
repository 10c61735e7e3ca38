"""Signing in to the open workspace; the last email used is remembered.

Opened with ``open()``; answers through ``signed_in(Actor)``, or
``open_other_requested()`` when the member wants another workspace instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.services import workspace as workspace_service
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.icons import icon


class SignInDialog(QDialog):
    signed_in = Signal(object)  # Actor
    open_other_requested = Signal()

    def __init__(self, settings: AppSettings, workspace_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign In to Flowbench")
        self.setAccessibleName("Sign in")
        self.setModal(True)
        self.settings = settings

        heading = QLabel("Sign in", self)
        heading.setObjectName("heading")
        self.where = QLabel(f"Workspace: {workspace_label}", self)
        self.where.setObjectName("subtle")
        self.where.setWordWrap(True)
        self.where.setAccessibleName("Workspace")
        self.email = QLineEdit(settings.last_email, self)
        self.email.setAccessibleName("Email")
        self.email.setPlaceholderText("you@example.com")
        self.password = QLineEdit(self)
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("&Email:", self.email)
        form.addRow("&Password:", self.password)
        self.error = QLabel(self)
        self.error.setObjectName("inlineError")
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        self.error.hide()

        self.sign_in_button = QPushButton(icon("sign-in"), "&Sign In", self)
        self.sign_in_button.setAccessibleName("Sign in")
        self.sign_in_button.setDefault(True)
        self.other_button = QPushButton(icon("open-workspace"), "&Other Workspace…", self)
        self.other_button.setAccessibleName("Open another workspace")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.where)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

        for before, after in ((self.email, self.password), (self.password, self.sign_in_button),
                              (self.sign_in_button, self.other_button),
                              (self.other_button, self.cancel_button)):
            QWidget.setTabOrder(before, after)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.other_button.clicked.connect(self._open_other)
        self.cancel_button.clicked.connect(self.reject)
        (self.password if self.email.text() else self.email).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def sign_in(self) -> None:
        try:
            actor = workspace_service.sign_in(self.email.text(), self.password.text())
        except FlowbenchError as error:
            self.error.setText(str(error))
            self.error.show()
            self.password.selectAll()
            self.password.setFocus()
            return
        self.error.hide()
        self.settings.last_email = actor.email
        self.signed_in.emit(actor)
        self.accept()

    def _open_other(self) -> None:
        self.open_other_requested.emit()
        self.reject()
