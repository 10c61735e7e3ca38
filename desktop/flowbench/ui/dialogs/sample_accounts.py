"""After the sample workspace opens: its accounts and passwords, on screen, and a way
to sign in as any of them at once."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QTableWidgetItem, QVBoxLayout, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Role
from flowbench.services import workspace as workspace_service
from flowbench.services.sample_content import SampleAccount
from flowbench.ui.kit.forms import button, inline_error, text_label
from flowbench.ui.kit.tables import Resize, headed_table

COLUMNS = ("Name", "Email", "Role", "Approval groups", "Password")


class SampleAccountsDialog(QDialog):
    signed_in = Signal(object)  # Actor

    def __init__(self, accounts: Sequence[SampleAccount], location: str, created: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleAccountsDialog")
        self.setWindowTitle("Sample Workspace")
        self.setAccessibleName("Sample workspace accounts")
        self.accounts = list(accounts)
        heading = text_label(self, "Your sample workspace is ready" if created
                             else "The sample workspace", look="heading")
        intro = text_label(self, "It holds flows in every state, members in every role, "
                           "the approval groups Legal and Marketing, and customers with "
                           "running flows. Sign in as anyone below to see what their role "
                           "can do.", wrap=True)
        note = text_label(self, f"Demo passwords, shown on purpose. The sample lives in its "
                          f"own file ({location}); your workspace is untouched.",
                          look="passwordNote", wrap=True)
        self.table = headed_table(self, COLUMNS, rows=len(self.accounts),
                                  object_name="sampleAccounts",
                                  accessible_name="Sample accounts and their passwords")
        for row, account in enumerate(self.accounts):
            values = (account.name, account.email, Role(account.role).label,
                      ", ".join(account.groups) or "—", account.password)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(Resize.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.sign_in_selected())
        self.error = inline_error(self, wrap=False)
        self.sign_in_button = button(self, "&Sign In as Selected Member",
                                     "Sign in as the selected member",
                                     clicked=self.sign_in_selected)
        self.sign_in_button.setDefault(True)
        self.close_button = button(self, "Close", "Close without signing in",
                                   clicked=self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.table, self.sign_in_button)
        QWidget.setTabOrder(self.sign_in_button, self.close_button)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(760, 420)

    def select_email(self, email: str) -> None:
        for row, account in enumerate(self.accounts):
            if account.email == email:
                self.table.selectRow(row)

    def sign_in_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        account = self.accounts[rows[0].row()]
        try:
            actor = workspace_service.sign_in(account.email, account.password)
        except FlowbenchError as error:  # e.g. someone changed the sample's password
            self.error.setText(str(error))
            self.error.show()
            return
        self.signed_in.emit(actor)
        self.accept()
