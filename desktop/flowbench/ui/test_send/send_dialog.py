"""Test Send: choose test accounts and run the flow's draft for them.

Only test accounts are offered (a draft never reaches real customers). A draft with
validation errors is not sent: the dialog says why and keeps Send disabled. Sending runs
``runtime_starts.test_send`` on a worker thread; ``sent`` carries its ``StartResult``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission, refusal
from flowbench.services import drafts
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import starts as runtime_starts
from flowbench.services.runtime.starts import StartResult
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import label, note
from flowbench.ui.session import AppSession
from flowbench.ui.tasks import Task, TaskControl, show_progress

MOST_ACCOUNTS = 500  # a workspace has a handful of test accounts; never list a million
PROBLEM_STYLE = "color: #B3261E;"


def blocking_reason(session: AppSession, flow_id: int) -> tuple[str, str, int | None]:
    """(flow name, why a test send is not possible or "", draft version) for the flow."""
    actor = session.actor
    if actor is None:
        return "", "Sign in to send a test.", None
    if not actor.can(Permission.SEND_TEST):
        return "", refusal(actor.role, Permission.SEND_TEST), None
    draft = drafts.get_draft(flow_id)
    if draft is None:
        name = drafts.open_flow(flow_id).flow_name
        return name, f"“{name}” has no draft to test: edit it to start one.", None
    errors = [p for p in drafts.problems_of(draft.flow_name, draft.definition) if p.is_error]
    if errors:
        listed = "\n".join(f"• {p.message}" for p in errors[:3])
        more = f"\n…and {len(errors) - 3} more." if len(errors) > 3 else ""
        return draft.flow_name, (
            f"The draft has {len(errors)} validation error{'s' if len(errors) != 1 else ''}; "
            f"fix {'them' if len(errors) != 1 else 'it'} in the Edit tab before a test "
            f"send:\n{listed}{more}"), draft.version
    return draft.flow_name, "", draft.version


class TestSendDialog(QDialog):
    __test__ = False  # a product name ("Test Send"), not a pytest class

    sent = Signal(object)  # StartResult

    def __init__(self, session: AppSession, prompts: Prompts, flow_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testSendDialog")
        self.session, self.prompts, self.flow_id = session, prompts, flow_id
        self.task: Task | None = None
        self.outcome: StartResult | None = None
        try:
            self.flow_name, self.reason, self.version = blocking_reason(session, flow_id)
        except FlowbenchError as error:
            self.flow_name, self.reason, self.version = "", str(error), None
        what = f"Version {self.version} (draft) of “{self.flow_name}”" if self.version \
            else f"“{self.flow_name}”"
        self.setWindowTitle(f"Test Send — {self.flow_name}" if self.flow_name else "Test Send")
        self.setAccessibleName("Test send")
        intro = label(self, f"Run {what} for the test accounts you choose. Only test "
                      "accounts can receive a draft; an account's earlier test run of this "
                      "flow is replaced, and test sends never count in live figures.",
                      wrap=True)
        self.problem = note(self, "Why the test cannot be sent", self.reason,
                            look="testSendProblem", visible=bool(self.reason))
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.accounts = QListWidget(self)
        self.accounts.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.accounts.setAccessibleName("Test accounts")
        self.select_all = button(self, "Se&lect All", "Choose every test account")
        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton("&Send Test",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setAccessibleName("Send the test")
        self.send_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Close without sending")
        self.buttons.addButton(self.select_all, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        self.select_all.clicked.connect(lambda: self.choose(self.all_accounts()))
        self.accounts.itemChanged.connect(lambda _item: self._update())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problem)
        accounts_label = QLabel("Test &accounts:", self)
        accounts_label.setBuddy(self.accounts)
        layout.addWidget(accounts_label)
        layout.addWidget(self.accounts, 1)
        layout.addWidget(self.buttons)
        self.resize(460, 420)
        self._load_accounts()
        self._update()

    def _load_accounts(self) -> None:
        try:
            testers = runtime_customers.list_customers(test=True, limit=MOST_ACCOUNTS)
        except FlowbenchError as error:
            testers = []
            self.problem.setText(str(error))
        for tester in testers:
            item = QListWidgetItem(tester.id, self.accounts)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not testers and not self.reason:
            self.reason = ("This workspace has no test accounts yet: mark a customer as a "
                           "test account first.")
            self.problem.setText(self.reason)
            self.problem.show()
        elif len(testers) == 1:
            self.choose(self.all_accounts())

    def all_accounts(self) -> list[str]:
        return [self.accounts.item(row).text() for row in range(self.accounts.count())]

    def chosen(self) -> list[str]:
        return [self.accounts.item(row).text() for row in range(self.accounts.count())
                if self.accounts.item(row).checkState() == Qt.CheckState.Checked]

    def choose(self, accounts: list[str]) -> None:
        for row in range(self.accounts.count()):
            item = self.accounts.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in accounts
                               else Qt.CheckState.Unchecked)

    def _update(self) -> None:
        busy = self.task is not None and self.task.running
        self.accounts.setEnabled(not self.reason and not busy)
        self.select_all.setEnabled(not self.reason and not busy and self.accounts.count() > 0)
        self.send_button.setEnabled(not self.reason and not busy and bool(self.chosen()))
        self.send_button.setToolTip(self.reason or ("" if self.chosen()
                                                    else "Choose at least one test account"))

    def send(self) -> Task | None:
        actor, chosen = self.session.actor, self.chosen()
        if actor is None or not self.send_button.isEnabled() or not chosen:
            return None
        flow_id = self.flow_id

        def work(control: TaskControl) -> StartResult:
            control.report(f"Sending the draft to {len(chosen)} test account"
                           f"{'s' if len(chosen) != 1 else ''}…")
            control.check()
            return runtime_starts.test_send(actor, flow_id, chosen)

        task = Task(work, self)
        task.succeeded.connect(self._sent)
        task.failed.connect(self._failed)
        task.finished.connect(self._update)
        self.task = task
        show_progress(task, self, "Sending the test", cancellable=False)
        task.start()
        self._update()
        return task

    def _sent(self, result: StartResult) -> None:
        self.outcome = result
        self.sent.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, FlowbenchError):
            raise error
        self.prompts.error(self, "Test not sent", str(error))
