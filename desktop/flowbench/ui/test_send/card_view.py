"""A card and a push notification drawn the way a customer's app shows them: a white
rounded card with its title, body and buttons styled as buttons; a push as a banner.

The look is the customer's, not the workbench's, so it keeps its own light colours in
a dark theme too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from flowbench.services.test_inbox import InboxCard, InboxPush
from flowbench.ui.kit.labels import label

CARD_STYLE = """
QFrame#customerCard { background: #FFFFFF; border: 1px solid #DDE1E6; border-radius: 12px; }
QFrame#customerCard[closed="true"] { background: #F7F8FA; border: 1px dashed #C9CED6; }
QFrame#customerCard QLabel { background: transparent; border: none; }
QLabel#cardTitle { color: #1B1F24; font-size: 15px; font-weight: 600; }
QLabel#cardBody { color: #3A4048; font-size: 13px; }
QLabel#cardMeta { color: #7A828E; font-size: 11px; }
QLabel#cardChip { color: #7A5B00; background: #FFF1C2; border-radius: 8px; padding: 1px 8px;
                  font-size: 11px; }
QPushButton#cardSubmit { background: #3F74D6; color: #FFFFFF; border: none;
                         border-radius: 8px; padding: 7px 16px; font-weight: 600; }
QPushButton#cardSubmit:hover { background: #2F62C0; }
QPushButton#cardDismiss { background: #FFFFFF; color: #3F74D6; border: 1px solid #B9C8E8;
                          border-radius: 8px; padding: 6px 16px; }
QPushButton#cardLink { background: transparent; color: #3F74D6; border: none;
                       padding: 7px 6px; text-decoration: underline; }
QPushButton:disabled#cardSubmit { background: #9DB5E6; }
QFrame#customerPush { background: #FFFFFF; border: 1px solid #DDE1E6; border-radius: 10px; }
QFrame#customerPush QLabel { background: transparent; border: none; }
QLabel#pushTitle { color: #1B1F24; font-weight: 600; }
QLabel#pushBody { color: #3A4048; }
QLabel#pushApp { color: #7A828E; font-size: 11px; }
"""

BUTTON_OBJECTS = {"submit": "cardSubmit", "dismiss": "cardDismiss", "link": "cardLink"}


def _as_the_customer_sees_it(frame: QFrame, name: str, accessible: str) -> None:
    frame.setObjectName(name)
    frame.setAccessibleName(accessible)
    frame.setStyleSheet(CARD_STYLE)


class CardView(QFrame):
    """One card as the customer sees it; its buttons can be pressed (``pressed(index)``)."""

    pressed = Signal(int)  # the button's index

    def __init__(self, card: InboxCard, flow: str, parent: QWidget | None = None, *,
                 can_press: bool = True, why_not: str = "") -> None:
        super().__init__(parent)
        self.card = card
        _as_the_customer_sees_it(self, "customerCard", f"Card: {card.title}")
        meta = label(self, f"{flow} · Version {card.version}", look="cardMeta")
        self.title = label(self, card.title, look="cardTitle", name="Card title",
                           wrap=True, plain=True)
        self.body = label(self, card.body, look="cardBody", name="Card body", wrap=True,
                          plain=True)
        top = QHBoxLayout()
        top.addWidget(meta, 1)
        if card.status != "active":  # snoozed, or closed: how
            top.addWidget(label(self, card.status.capitalize(), look="cardChip",
                                name="Card status"))
        if not card.is_open:
            self.setProperty("closed", True)
            self.setToolTip(f"This card is {card.status}; the customer no longer sees it.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.buttons: list[QPushButton] = []
        if card.buttons and card.is_open:  # a closed card's buttons are gone
            row = QHBoxLayout()
            row.setSpacing(8)
            for index, button in enumerate(card.buttons):
                text = button.label + (" ↗" if button.kind == "link" else "")
                widget = QPushButton(text, self)
                widget.setObjectName(BUTTON_OBJECTS.get(button.kind, "cardSubmit"))
                widget.setAccessibleName(f"Card button: {button.label}")
                widget.setCursor(Qt.CursorShape.PointingHandCursor)
                widget.setEnabled(can_press and card.is_open)
                tip = {"submit": "Submits the card", "dismiss": "Dismisses the card",
                       "link": f"Opens {button.url or 'a link'} and submits the card"}
                widget.setToolTip(why_not or f"{tip.get(button.kind, '')} (as the customer "
                                             "would)")
                widget.clicked.connect(lambda _checked=False, i=index: self.pressed.emit(i))
                row.addWidget(widget)
                self.buttons.append(widget)
            row.addStretch(1)
            layout.addSpacing(4)
            layout.addLayout(row)


class PushView(QFrame):
    """A push notification as the phone shows it: app name, title, body."""

    def __init__(self, push: InboxPush, app_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        _as_the_customer_sees_it(self, "customerPush", f"Push notification: {push.title}")
        app = label(self, f"PUSH · {app_name}", look="pushApp")
        self.title = label(self, push.title, look="pushTitle", wrap=True, plain=True)
        body = label(self, push.body, look="pushBody", wrap=True, plain=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(2)
        layout.addWidget(app)
        layout.addWidget(self.title)
        layout.addWidget(body)
