"""Opens Test Send for a flow (after unsaved edits are saved or discarded: a test runs
the saved draft) and, once sent, the test inbox of the accounts it reached."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from flowbench.domain.roles import Permission, refusal
from flowbench.services.runtime.starts import StartResult
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.test_send.inbox_window import TestInboxWindow
from flowbench.ui.test_send.send_dialog import TestSendDialog


class TestSendLauncher(QObject):
    message = Signal(str)  # for the status bar
    inbox_available = Signal(int)  # a flow whose test inbox can be shown again

    def __init__(self, session: AppSession, prompts: Prompts, window: QWidget,
                 resolve_unsaved: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.session, self.prompts, self.window = session, prompts, window
        self.resolve_unsaved = resolve_unsaved
        self.dialog: TestSendDialog | None = None
        self.inbox: TestInboxWindow | None = None
        # per flow: the last test send's flow name, accounts and note (to reopen its inbox)
        self.last_sent: dict[int, tuple[str, list[str], str]] = {}
        session.changed.connect(self._session_changed)

    def _session_changed(self, change: SessionChange) -> None:
        """Someone else signed in (or nobody): their test inboxes are not this one's."""
        if change.session:
            self.last_sent.clear()
            if self.inbox is not None:
                self.inbox.close()

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
        self.last_sent[flow_id] = (result.flow, list(result.sent), "\n".join(lines))
        self.inbox_available.emit(flow_id)
        self.show_inbox(flow_id)

    def has_inbox(self, flow_id: int | None) -> bool:
        return flow_id is not None and flow_id in self.last_sent

    def show_inbox(self, flow_id: int) -> TestInboxWindow | None:
        """The test inbox of the flow's last test send (a window of its own; not modal)."""
        if flow_id not in self.last_sent or self.session.actor is None:
            return None
        flow_name, accounts, note = self.last_sent[flow_id]
        if self.inbox is not None:
            self.inbox.close()
            self.inbox.deleteLater()
        inbox = TestInboxWindow(self.session, self.prompts, flow_id, flow_name, accounts,
                                note, self.window)
        self.inbox = inbox
        inbox.show()
        inbox.raise_()
        inbox.activateWindow()
        return inbox

    def reopen_inbox(self) -> TestInboxWindow | None:
        """Edit tab → Test Inbox…: the inbox again, without sending again."""
        current = getattr(self.window, "current_flow", lambda: None)()
        if self.inbox is not None and self.inbox.flow_id == current:
            self.inbox.refresh()
            self.inbox.show()
            self.inbox.raise_()
            self.inbox.activateWindow()
            return self.inbox
        return self.show_inbox(current) if current is not None else None
