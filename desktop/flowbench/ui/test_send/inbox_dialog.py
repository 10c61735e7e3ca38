"""The test inbox: for each test account, the cards its latest run of the flow left open
(rendered as the customer sees them) and the push notifications it got.

Pressing a card's button acts as the customer would (``runtime_cards.press_button``;
members who may rehearse), and the inbox shows what the flow did next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission, refusal
from flowbench.services import activity
from flowbench.services.activity import Inbox
from flowbench.services.runtime import cards as runtime_cards
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.test_send.card_view import CardView, PushView

SCREEN_STYLE = """
QWidget#inboxScreen { background: #F3F5F8; }
QLabel#inboxHeading { color: #1B1F24; font-size: 13px; font-weight: 600; }
QLabel#inboxNote { color: #6A717C; }
"""


class TestInboxDialog(QDialog):
    """Accounts on the left; the chosen account's inbox, phone-sized, on the right."""

    def __init__(self, session: AppSession, prompts: Prompts, flow_id: int, flow_name: str,
                 accounts: list[str], note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testInbox")
        self.setWindowTitle(f"Test Inbox — {flow_name}")
        self.setAccessibleName("Test inbox")
        self.session, self.prompts = session, prompts
        self.flow_id, self.flow_name = flow_id, flow_name
        self.inbox: Inbox | None = None
        self.card_views: list[CardView] = []
        self.push_views: list[PushView] = []
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName("What was sent")
        self.note.setVisible(bool(note))
        self.accounts = QListWidget(self)
        self.accounts.setAccessibleName("Test accounts")
        self.accounts.setMaximumWidth(180)
        for account in accounts:
            self.accounts.addItem(QListWidgetItem(account))
        self.phone = QWidget()
        self.phone.setObjectName("inboxScreen")
        self.phone.setStyleSheet(SCREEN_STYLE)
        self.column = QVBoxLayout(self.phone)
        self.column.setContentsMargins(14, 14, 14, 14)
        self.column.setSpacing(10)
        self.inbox_area = QScrollArea(self)
        self.inbox_area.setWidget(self.phone)
        self.inbox_area.setWidgetResizable(True)
        self.inbox_area.setMinimumWidth(400)
        self.inbox_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.inbox_area.setAccessibleName("Inbox of the chosen test account")
        self.refresh_button = QPushButton("Re&fresh", self)
        self.refresh_button.setAccessibleName("Refresh the inbox")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            "Close the test inbox")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.refresh)

        body = QHBoxLayout()
        body.addWidget(self.accounts)
        body.addWidget(self.inbox_area, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)
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

    def refresh(self) -> None:
        account, actor = self.current_account(), self.session.actor
        self.inbox = None
        error = ""
        if account is not None and actor is not None:
            try:
                self.inbox = activity.inbox_of(actor, account, self.flow_id)
            except FlowbenchError as exc:
                error = str(exc)
        self._render(account, error)

    # --- rendering ------------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.card_views, self.push_views = [], []

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self.phone)
        label.setObjectName(name)
        label.setWordWrap(True)
        self.column.addWidget(label)
        return label

    def _render(self, account: str | None, error: str) -> None:
        self._clear()
        inbox = self.inbox
        if inbox is None:
            self._label(error or "Choose a test account.", "inboxNote")
            self.column.addStretch(1)
            return
        self._label(f"Cards for {inbox.customer}", "inboxHeading")
        actor = self.session.actor
        may_press = actor is not None and actor.can(Permission.EDIT_DRAFT)
        why_not = "" if may_press or actor is None else refusal(actor.role,
                                                                Permission.EDIT_DRAFT)
        for card in inbox.cards:
            view = CardView(card, self.flow_name, self.phone, can_press=may_press,
                            why_not=why_not)
            view.pressed.connect(lambda index, card_id=card.id: self.press(card_id, index))
            self.column.addWidget(view)
            self.card_views.append(view)
        if not inbox.cards:
            self._label("No open cards from this flow.", "inboxNote")
        if inbox.closed_cards:
            self._label(f"{inbox.closed_cards} more card"
                        f"{'s were' if inbox.closed_cards != 1 else ' was'} closed "
                        "(acted on, expired or cancelled).", "inboxNote")
        self._label("Push notifications", "inboxHeading")
        for push in inbox.pushes:
            push_view = PushView(push, self.flow_name, self.phone)
            self.column.addWidget(push_view)
            self.push_views.append(push_view)
        if not inbox.pushes:
            self._label("No push notifications from this flow.", "inboxNote")
        self.column.addStretch(1)

    def press(self, card_id: int, index: int) -> bool:
        """Press a card's button as the customer would; the inbox then shows what is next."""
        actor = self.session.actor
        if actor is None:
            return False
        try:
            runtime_cards.press_button(actor, card_id, index)
        except FlowbenchError as error:
            self.prompts.error(self, "Not pressed", str(error))
            self.refresh()
            return False
        self.session.notify(SessionChange.for_flow(self.flow_id, listed=False, origin=self))
        self.refresh()
        return True
