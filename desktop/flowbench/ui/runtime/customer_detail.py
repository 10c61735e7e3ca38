"""The selected customer: id, segments, test flag, attributes, cards and push
notifications (display only; the Customers page does what the member asks)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from flowbench.services.runtime.cards import OPEN_STATUSES, CardButton, CardInfo, PushInfo
from flowbench.services.runtime.clock import readable
from flowbench.services.runtime.customers import CustomerInfo
from flowbench.ui.runtime.attributes_editor import AttributesEditor
from flowbench.ui.runtime.customer_cards import CardList

TEST_TIP = ("Test accounts are the only customers a draft may reach; their data never "
            "counts toward live figures")


class CustomerDetail(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No customer selected", self)
        self.title.setAccessibleName("Selected customer")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.segments = QLabel(self)
        self.segments.setWordWrap(True)
        self.segments.setAccessibleName("Segments of the customer")
        self.test_box = QCheckBox("&Test account", self)
        self.test_box.setAccessibleName("Test account")
        self.test_box.setToolTip(TEST_TIP)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.test_box)
        self.attributes = AttributesEditor(self)
        attributes_box = QGroupBox("Attributes", self)
        QVBoxLayout(attributes_box).addWidget(self.attributes)
        self.cards = CardList(self)
        self.cards_box = QGroupBox("Cards", self)
        QVBoxLayout(self.cards_box).addWidget(self.cards)
        self.pushes = QListWidget(self)
        self.pushes.setObjectName("customerPushes")
        self.pushes.setAccessibleName("Push notifications of the customer")
        self.pushes.setTabKeyNavigation(False)
        self.pushes.setWordWrap(True)
        self.pushes_box = QGroupBox("Push notifications", self)
        QVBoxLayout(self.pushes_box).addWidget(self.pushes)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(attributes_box)
        split.addWidget(self.cards_box)
        split.addWidget(self.pushes_box)
        split.setSizes([180, 300, 140])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.segments)
        layout.addWidget(split, 1)

    def show_customer(self, info: CustomerInfo | None, refusal: str | None) -> None:
        """``refusal``: why the member may not change it (None: they may)."""
        self.setEnabled(info is not None)
        self.test_box.setEnabled(info is not None and refusal is None)
        self.test_box.setToolTip(refusal or TEST_TIP)
        if info is None:
            self.title.setText("No customer selected")
            self.segments.setText("")
            self.test_box.setChecked(False)
            self.attributes.show_attributes({})
            self.show_cards([], {}, refusal, "Select a customer to see their cards.", 0)
            self.show_pushes([])
            return
        self.title.setText(info.id)
        self.test_box.setChecked(info.is_test)
        self.segments.setText("In " + ", ".join(f"‘{name}’" for name in info.segments)
                              if info.segments else "In no segment")
        self.attributes.show_attributes(info.attributes)

    def show_cards(self, cards: list[CardInfo], buttons: dict[int, list[CardButton]],
                   refusal: str | None, empty_text: str, limit: int) -> None:
        self.cards.show_cards(cards, buttons, refusal, empty_text)
        opened = sum(card.status in OPEN_STATUSES for card in cards)
        self.cards_box.setTitle(
            f"Cards — the newest {limit}" if limit and len(cards) >= limit
            else f"Cards — {len(cards)}, {opened} open" if cards else "Cards")

    def show_pushes(self, pushes: list[PushInfo]) -> None:
        """The customer's push notifications, newest first: when, from which flow, what."""
        self.pushes.clear()
        for push in pushes:
            when = readable(push.created_at)
            item = QListWidgetItem(f"{push.title} — {push.body}\n{when} · {push.flow}, "
                                   f"Version {push.version}"
                                   + (" · test" if push.is_test else ""))
            self.pushes.addItem(item)
        if not pushes:
            self.pushes.addItem(QListWidgetItem("No push notifications yet."))
        self.pushes_box.setTitle(f"Push notifications — {len(pushes)}" if pushes
                                 else "Push notifications")
