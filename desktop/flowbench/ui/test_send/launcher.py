"""Opens Test Send for a flow (after unsaved edits are saved or discarded: a test runs
the saved draft) and, once sent, the test inbox of the accounts it reached."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget, QToolButton, QWidget

from flowbench.domain.roles import Permission, refusal
from flowbench.services.runtime.starts import StartResult
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.test_send.inbox_dialog import TestInboxDialog
from flowbench.ui.test_send.test_send_dialog import TestSendDialog


class TestSendLauncher(QObject):
    message = Signal(str)  # for the status bar

    def __init__(self, session: AppSession, prompts: Prompts, window: QWidget,
                 resolve_unsaved: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.session, self.prompts, self.window = session, prompts, window
        self.resolve_unsaved = resolve_unsaved
        self.dialog: TestSendDialog | None = None
        self.inbox: TestInboxDialog | None = None

    def add_corner_button(self, tabs: QTabWidget, action: QAction, on_tab: int) -> QToolButton:
        """A "Test Send…" button beside the tabs, shown while tab ``on_tab`` is current."""
        button = QToolButton(tabs)
        button.setObjectName("testSendButton")
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setAccessibleName("Test send the draft")
        tabs.setCornerWidget(button, Qt.Corner.TopRightCorner)
        tabs.currentChanged.connect(lambda index: button.setVisible(index == on_tab))
        button.setVisible(tabs.currentIndex() == on_tab)
        return button

    def reason(self) -> str:
        """Why the signed-in member may not send tests ("" if they may)."""
        actor = self.session.actor
        if actor is None or actor.can(Permission.SEND_TEST):
            return ""
        return refusal(actor.role, Permission.SEND_TEST)

    def open_for(self, flow_id: int | None) -> TestSendDialog | None:
        if flow_id is None or self.session.actor is None:
            return None
        if self.reason():
            self.prompts.inform(self.window, "Test Send", self.reason())
            return None
        if not self.resolve_unsaved("sending a test"):
            return None
        dialog = TestSendDialog(self.session, self.prompts, flow_id, self.window)
        dialog.sent.connect(lambda result: self._sent(flow_id, result))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _sent(self, flow_id: int, result: StartResult) -> None:
        lines = result.describe()
        self.message.emit(lines[0])
        self.session.notify(SessionChange.for_flow(flow_id, listed=False, origin=self))
        inbox = TestInboxDialog(self.session, self.prompts, flow_id, result.flow,
                                list(result.sent), "\n".join(lines), self.window)
        self.inbox = inbox
        inbox.open()
