"""The cards a customer has, drawn roughly as the customer sees them (title, body, the
buttons), with what the customer could do: press a button, snooze, dismiss."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flowbench.services.runtime.cards import OPEN_STATUSES, CardButton, CardInfo
from flowbench.services.runtime.clock import readable

STATUS_COLOURS = {"active": "#1E7B34", "snoozed": "#8A6100", "completed": "#3F74D6",
                  "dismissed": "#666666", "expired": "#666666", "cancelled": "#A12622"}


class CardView(QFrame):
    """One card; ``pressed(card_id, index)`` for a button, ``acted(card_id, action)`` for
    snooze or dismiss."""

    pressed = Signal(int, int)
    acted = Signal(int, str)

    def __init__(self, card: CardInfo, buttons: list[CardButton], refusal: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setObjectName("runtimeCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Card “{card.title}”, {card.status}")
        is_open = card.status in OPEN_STATUSES
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel(f"<b>{_escape(card.title) or '(no title)'}</b>", self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.status = QLabel(card.status.capitalize(), self)
        self.status.setAccessibleName("Card status")
        self.status.setStyleSheet(f"color: {STATUS_COLOURS.get(card.status, '#666')};"
                                  "font-weight: 600;")
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.body = QLabel(card.body, self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.body)
        where = (f"{card.flow} · Version {card.version} · step {card.step} · "
                 f"sent {readable(card.created_at)}")
        if card.expires_at is not None and is_open:
            where += f" · expires {readable(card.expires_at)}"
        if card.closed_at is not None:
            where += f" · closed {readable(card.closed_at)}"
        if card.is_test:
            where += " · test"
        self.origin = QLabel(where, self)
        self.origin.setWordWrap(True)
        self.origin.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        layout.addWidget(self.origin)
        row = QHBoxLayout()
        closed = (None if is_open else
                  f"This card is {card.status}: a closed card cannot change.")
        why = closed or refusal
        self.buttons: list[QPushButton] = []
        for index, button in enumerate(buttons):
            push = QPushButton(button.label or f"Button {index + 1}", self)
            push.setAccessibleName(f"Press “{button.label}” on card “{card.title}”")
            tips = {"submit": "Submits the card", "dismiss": "Dismisses the card",
                    "link": f"Opens {button.url or 'a link'}; the card counts as submitted"}
            push.setToolTip(why or tips.get(button.kind, ""))
            push.setEnabled(why is None)
            push.clicked.connect(lambda _=False, i=index: self.pressed.emit(card.id, i))
            self.buttons.append(push)
            row.addWidget(push)
        row.addStretch(1)
        self.snooze = QPushButton("Snooze", self)
        self.dismiss = QPushButton("Dismiss", self)
        for push, action, tip in ((self.snooze, "snooze", "The customer snoozes the card: "
                                   "it stays open"),
                                  (self.dismiss, "dismiss", "The customer swipes the card "
                                   "away: it is dismissed")):
            push.setAccessibleName(f"{action.capitalize()} card “{card.title}”")
            push.setFlat(True)
            push.setToolTip(why or tip)
            push.setEnabled(why is None)
            push.clicked.connect(lambda _=False, a=action: self.acted.emit(card.id, a))
            row.addWidget(push)
        layout.addLayout(row)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CardList(QScrollArea):
    """The selected customer's cards, newest first."""

    pressed = Signal(int, int)
    acted = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The customer's cards")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.views: list[CardView] = []
        self.empty_text = "Select a customer to see their cards."
        self.empty = QLabel()
        self._show([])

    def show_cards(self, cards: list[CardInfo], buttons: dict[int, list[CardButton]],
                   refusal: str | None, empty_text: str) -> None:
        self.views = [CardView(card, buttons.get(card.id, []), refusal) for card in cards]
        for view in self.views:
            view.pressed.connect(self.pressed)
            view.acted.connect(self.acted)
        self.empty_text = empty_text
        self._show(self.views)

    def _show(self, views: list[CardView]) -> None:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 6, 0)
        self.empty = QLabel(self.empty_text, holder)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); padding: 24px;")
        self.empty.setVisible(not views)
        layout.addWidget(self.empty)
        for view in views:
            view.setParent(holder)
            layout.addWidget(view)
        layout.addStretch(1)
        self.setWidget(holder)
