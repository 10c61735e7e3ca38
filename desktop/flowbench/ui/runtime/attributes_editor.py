"""Edit one customer's attributes as rows of name and value; saving sends only what
changed (a removed row or an emptied value removes the attribute)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class AttributesEditor(QWidget):
    """``save_requested(assignments)``: KEY=VALUE words for ``set_customer``."""

    save_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original: dict[str, str] = {}
        self.table = QTableWidget(0, 2, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.table.setAccessibleName("Attributes of the customer")
        self.table.setHorizontalHeaderLabels(["Attribute", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 140)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(lambda _item: self._update_buttons())
        self.add_button = QPushButton("&Add Attribute", self)
        self.add_button.setAccessibleName("Add an attribute")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setAccessibleName("Remove the selected attribute")
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton("&Save Attributes", self)
        self.save_button.setAccessibleName("Save the attributes")
        self.save_button.setToolTip("Numbers are stored as numbers; an empty value removes "
                                    "the attribute")
        self.save_button.clicked.connect(self._save)
        self.revert_button = QPushButton("Re&vert", self)
        self.revert_button.setAccessibleName("Revert the attributes")
        self.revert_button.clicked.connect(lambda: self.show_attributes(self._original))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.editable = True
        self._update_buttons()

    def show_attributes(self, attributes: dict[str, Any]) -> None:
        self._original = {key: value_text(value) for key, value in attributes.items()}
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for key, value in sorted(self._original.items()):
            self._append(key, value)
        self.table.blockSignals(False)
        self._update_buttons()

    def set_editable(self, editable: bool, reason: str | None = None) -> None:
        self.editable = editable
        for button in (self.add_button, self.remove_button, self.revert_button):
            button.setToolTip("" if editable else (reason or ""))
        self.save_button.setToolTip(
            "Numbers are stored as numbers; an empty value removes the attribute"
            if editable else (reason or ""))
        triggers = (QAbstractItemView.EditTrigger.DoubleClicked
                    | QAbstractItemView.EditTrigger.EditKeyPressed
                    | QAbstractItemView.EditTrigger.AnyKeyPressed) if editable else \
            QAbstractItemView.EditTrigger.NoEditTriggers
        self.table.setEditTriggers(triggers)
        self._update_buttons()

    def current(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            if key:
                found[key] = value_item.text().strip() if value_item else ""
        return found

    def assignments(self) -> list[str]:
        """KEY=VALUE for every new or changed attribute, KEY= for every removed one."""
        now = self.current()
        changed = [f"{key}={value}" for key, value in sorted(now.items())
                   if self._original.get(key) != value]
        removed = [f"{key}=" for key in sorted(self._original) if key not in now]
        return changed + removed

    def add_row(self) -> None:
        self._append("", "")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)
        self._update_buttons()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update_buttons()

    def _append(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def _save(self) -> None:
        words = self.assignments()
        if words:
            self.save_requested.emit(words)

    def _update_buttons(self) -> None:
        dirty = self.editable and bool(self.assignments())
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.add_button.setEnabled(self.editable)
        self.remove_button.setEnabled(self.editable and self.table.rowCount() > 0)
