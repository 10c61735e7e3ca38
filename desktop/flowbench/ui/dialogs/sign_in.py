"""Signing in to the open workspace; the last email used is remembered.

Opened with ``open()``; answers through ``signed_in(Actor)``, or
``open_other_requested()`` when the member wants another workspace instead. For the
sample workspace it lists the demo accounts and their passwords every time it is shown
(after Sign Out too): choosing one fills in the email and password.

At start it may be shown before the workspace has opened (``opening``: its location): what is
typed is kept, and Sign In pressed meanwhile signs in once ``workspace_ready`` says the
workspace is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.dialogs.entry_form import dialog_buttons, name_dialog
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import inline_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

    from flowbench.services.sample_content import SampleAccount


class SignInDialog(QDialog):
    signed_in = Signal(object)  # Actor
    open_other_requested = Signal()

    def __init__(self, settings: AppSettings, workspace_label: str,
                 parent: QWidget | None = None,
                 demo_accounts: Sequence[SampleAccount] = (), *,
                 opening: str | None = None) -> None:
        super().__init__(parent)
        self.opening = opening
        self.waiting = opening is not None  # for the workspace to open
        self._sign_in_when_ready = False
        name_dialog(self, "signInDialog", "Sign In to Flowbench", "Sign in")
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
        self.error = inline_error(self, "Problem")

        self.sign_in_button = QPushButton(icon("sign-in"), "&Sign In", self)
        self.sign_in_button.setAccessibleName("Sign in")
        self.other_button = QPushButton(icon("open-workspace"), "&Other Workspace…", self)
        self.other_button.setAccessibleName("Open another workspace")
        buttons, self.cancel_button = dialog_buttons(self, self.other_button,
                                                     self.sign_in_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.where)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.demo_accounts = list(demo_accounts)
        self.demo_table = self._demo_table() if self.demo_accounts else None
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
        (self.password if self.email.text() else self.email).setFocus()

    def _demo_table(self) -> QTableWidget:
        """The sample's accounts with their passwords; choosing one fills the form."""
        # imported here: only the sample shows them, and the dialog is on the way to the
        # first windows, where the table classes and the roles (their enums) cost ~4 ms
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QHeaderView,
            QTableWidget,
            QTableWidgetItem,
        )

        from flowbench.domain.roles import Role

        label = QLabel("&Demo accounts of the sample workspace (passwords shown on "
                       "purpose):", self)
        label.setWordWrap(True)
        table = QTableWidget(len(self.demo_accounts), 3, self)
        table.setObjectName("demoAccounts")
        table.setAccessibleName("Demo accounts and their passwords")
        table.setTabKeyNavigation(False)
        table.setHorizontalHeaderLabels(["Email", "Role", "Password"])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        for row, account in enumerate(self.demo_accounts):
            for column, value in enumerate((account.email, Role(account.role).label,
                                            account.password)):
                table.setItem(row, column, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(table.verticalHeader().length() + table.horizontalHeader()
                               .height() + 4)
        label.setBuddy(table)
        table.currentCellChanged.connect(lambda row, *_: self.use_demo_account(row))
        table.doubleClicked.connect(lambda _index: self.sign_in())
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        at = layout.indexOf(self.error) + 1  # before the buttons, also when added later
        layout.insertWidget(at, label)
        layout.insertWidget(at + 1, table)
        QWidget.setTabOrder(self.password, table)
        QWidget.setTabOrder(table, self.sign_in_button)
        return table

    def workspace_ready(self, workspace_label: str,
                        demo_accounts: Sequence[SampleAccount] = ()) -> None:
        """The workspace has opened: its name and demo accounts; signs in now if Sign
        In was pressed while waiting."""
        self.where.setText(f"Workspace: {workspace_label}")
        if demo_accounts and self.demo_table is None:
            self.demo_accounts = list(demo_accounts)
            self.demo_table = self._demo_table()
        self.waiting = False
        if self._sign_in_when_ready:
            self.error.hide()
            self.sign_in()

    def use_demo_account(self, row: int) -> None:
        if 0 <= row < len(self.demo_accounts):
            account = self.demo_accounts[row]
            self.email.setText(account.email)
            self.password.setText(account.password)

    def sign_in(self) -> None:
        if self.waiting:
            self._sign_in_when_ready = True
            self.error.setText("Opening the workspace…")
            self.error.show()
            return
        from flowbench.services import workspace as workspace_service

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
