"""The test inbox: a window of its own (not modal) showing, for each test account, what
its latest run of the flow did — cards and push notifications in time order, rendered
as the customer sees them — and where the run stands now.

Pressing a card's button acts as the customer would (``runtime_cards.press_button``;
members who may rehearse) and the window says what that did ("You pressed “OK”; the
flow now waits 2 hours"). **Advance Clock** moves the runtime clock forward (by the
time the next wait needs, or what is typed) so the next steps appear. It stays open
beside the main window and is reopened from the Edit tab without sending again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.duration_text import iso_duration
from flowbench.domain.durations import describe_seconds
from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission, refusal
from flowbench.services import test_inbox
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.test_inbox import Inbox, InboxCard
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.edit.duration_edit import DurationEdit
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import label
from flowbench.ui.kit.layouts import name_window, scroll_area
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.test_send.card_view import CardView, PushView

SCREEN_STYLE = """
QWidget#inboxScreen { background: #F3F5F8; }
QLabel#inboxHeading { color: #1B1F24; font-size: 13px; font-weight: 600; }
QLabel#inboxNote { color: #6A717C; }
QLabel#inboxNow { color: #1B1F24; background: #E6ECF7; border-radius: 8px; padding: 6px 10px; }
"""


class TestInboxWindow(QWidget):
    """Accounts on the left; the chosen account's journey, phone-sized, on the right."""

    __test__ = False  # a product name ("Test Send"), not a pytest class

    def __init__(self, session: AppSession, prompts: Prompts, flow_id: int, flow_name: str,
                 accounts: list[str], note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        name_window(self, "testInbox", f"Test Inbox — {flow_name}", "Test inbox")
        self.session, self.prompts = session, prompts
        self.flow_id, self.flow_name = flow_id, flow_name
        self.inbox: Inbox | None = None
        self.card_views: list[CardView] = []
        self.push_views: list[PushView] = []
        self.note = label(self, note, name="What was sent", wrap=True,
                          visible=bool(note))
        self.outcome = label(self, look="inboxOutcome", name="What the last action did",
                             wrap=True, visible=False)
        self.accounts = QListWidget(self)
        self.accounts.setAccessibleName("Test accounts")
        self.accounts.setMaximumWidth(180)
        self.accounts.setTabKeyNavigation(False)
        for account in accounts:
            self.accounts.addItem(QListWidgetItem(account))
        self.phone = QWidget()
        self.phone.setObjectName("inboxScreen")
        self.phone.setStyleSheet(SCREEN_STYLE)
        self.column = QVBoxLayout(self.phone)
        self.column.setContentsMargins(14, 14, 14, 14)
        self.column.setSpacing(10)
        self.inbox_area = scroll_area(self, self.phone, "Inbox of the chosen test account",
                                      frame=QFrame.Shape.StyledPanel)
        self.inbox_area.setMinimumWidth(400)
        self.advance_by = DurationEdit("Move the runtime clock forward by", optional=False,
                                       parent=self)
        self.advance_by.setMaximumWidth(300)
        advance_label = QLabel("Move the clock &by:", self)
        advance_label.setBuddy(self.advance_by.line_edit)
        self.advance_button = button(
            self, "Advance &Clock", "Advance the runtime clock",
            tip="Move the runtime clock forward so waits end and the next steps run")
        self.refresh_button = button(self, "Refre&sh", "Refresh the inbox")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the test inbox")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.refresh_button.clicked.connect(self.refresh)
        self.advance_button.clicked.connect(self.advance_clock)
        self.advance_by.line_edit.returnPressed.connect(self.advance_clock)

        body = QHBoxLayout()
        body.addWidget(self.accounts)
        body.addWidget(self.inbox_area, 1)
        clock_row = QHBoxLayout()
        clock_row.addWidget(advance_label)
        clock_row.addWidget(self.advance_by)
        clock_row.addWidget(self.advance_button)
        clock_row.addStretch(1)
        clock_row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.outcome)
        layout.addLayout(body, 1)
        layout.addLayout(clock_row)
        self.resize(680, 600)
        self.accounts.currentRowChanged.connect(lambda _row: self.refresh())
        if accounts:
            self.accounts.setCurrentRow(0)
        else:
            self.refresh()

    def current_account(self) -> str | None:
        item = self.accounts.currentItem()
        return item.text() if item is not None else None

    def show_account(self, account: str) -> bool:
        found = self.accounts.findItems(account, Qt.MatchFlag.MatchExactly)
        if found:
            self.accounts.setCurrentItem(found[0])
        return bool(found)

    def _look(self) -> tuple[Inbox | None, str]:
        account, actor = self.current_account(), self.session.actor
        if account is None or actor is None:
            return None, ""
        try:
            return test_inbox.inbox_of(actor, account, self.flow_id), ""
        except FlowbenchError as exc:
            return None, str(exc)

    def refresh(self) -> None:
        self.inbox, error = self._look()
        self._render(error)

    def say(self, text: str) -> None:
        """What the last action did, shown once (the next replaces it)."""
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    # --- rendering ------------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleted later, it must not show meanwhile
                widget.deleteLater()
        self.card_views, self.push_views = [], []

    def _label(self, text: str, look: str) -> QLabel:
        widget = label(self.phone, text, look=look, wrap=True)
        self.column.addWidget(widget)
        return widget

    def _render(self, error: str) -> None:
        self._clear()
        inbox = self.inbox
        actor = self.session.actor
        may_press = actor is not None and actor.can(Permission.EDIT_DRAFT)
        self.advance_button.setEnabled(may_press and inbox is not None)
        self.advance_by.setEnabled(may_press and inbox is not None)
        if inbox is None:
            self._label(error or "Choose a test account.", "inboxNote")
            self.column.addStretch(1)
            return
        self._label(f"What {inbox.customer} got, oldest first", "inboxHeading")
        why_not = "" if may_press or actor is None else refusal(actor.role,
                                                                Permission.EDIT_DRAFT)
        for item in inbox.timeline():
            if isinstance(item, InboxCard):
                view = CardView(item, self.flow_name, self.phone, can_press=may_press,
                                why_not=why_not)
                view.pressed.connect(lambda index, card=item: self.press(card, index))
                self.column.addWidget(view)
                self.card_views.append(view)
            else:
                push_view = PushView(item, self.flow_name, self.phone)
                self.column.addWidget(push_view)
                self.push_views.append(push_view)
        if not inbox.timeline():
            self._label("Nothing from this flow yet.", "inboxNote")
        now = inbox.where_now()
        self._label(now[:1].upper() + now[1:] + ".", "inboxNow")
        wake = inbox.next_wake()
        if wake and not self.advance_by.line_edit.hasFocus():
            self.advance_by.set_value(iso_duration(wake))  # what the next step needs
        self.column.addStretch(1)

    # --- acting as the customer and moving time ---------------------------------------------
    def press(self, card: InboxCard, index: int) -> bool:
        """Press a card's button as the customer would; then say what the flow did."""
        actor = self.session.actor
        if actor is None:
            return False
        before = self.inbox
        try:
            runtime_cards.press_button(actor, card.id, index)
        except FlowbenchError as error:
            self.prompts.error(self, "Not pressed", str(error))
            self.refresh()
            return False
        self.session.notify(SessionChange.for_flow(self.flow_id, listed=False, origin=self))
        self.refresh()
        pressed = card.buttons[index].label if index < len(card.buttons) else "the button"
        if self.inbox is not None:
            self.say(f"You pressed “{pressed}”; "
                     f"{test_inbox.what_happened(before, self.inbox)}.")
        return True

    def advance_clock(self) -> bool:
        """Move the runtime clock forward by the typed duration ("2 hours", P1D…)."""
        actor = self.session.actor
        if actor is None:
            return False
        before = self.inbox
        try:
            moved = runtime_clock.advance_clock(actor, self.advance_by.value() or "")
        except FlowbenchError as error:
            self.say(str(error))
            return False
        self.session.notify(SessionChange.for_flow(self.flow_id, listed=False, origin=self))
        self.advance_by.set_value(None)
        self.refresh()
        if self.inbox is not None:
            self.say(f"The clock moved {describe_seconds(moved.after - moved.before)} "
                     f"forward; {test_inbox.what_happened(before, self.inbox)}.")
        return True
