"""Define a segment: its name, whether all or any conditions must hold, and the
conditions (attribute, operator, value). A rule the runtime refuses is shown in the
dialog, which stays open so it can be corrected."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.runtime.segment_rules import LIST_OPS, NO_VALUE_OPS, OPS
from flowbench.services.runtime.files import parse_value
from flowbench.services.runtime.segments import SegmentInfo

OP_LABELS = {"eq": "equals", "neq": "does not equal", "in": "is one of",
             "not_in": "is none of", "gt": "is greater than", "gte": "is at least",
             "lt": "is less than", "lte": "is at most", "exists": "is set",
             "not_exists": "is not set", "contains": "contains"}
ATTRIBUTE, OP, VALUE = range(3)


def value_from_text(op: str, text: str) -> Any:
    """What the member typed as a condition's value: a JSON value, or plain words (a
    comma-separated list for "is one of"); numbers become numbers."""
    text = text.strip()
    if op in NO_VALUE_OPS:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        if op in LIST_OPS:
            return [parse_value(part) for part in text.split(",") if part.strip()]
        return parse_value(text) if text else ""
    if op in LIST_OPS and not isinstance(value, list):
        return [value]
    return value


def value_to_text(op: str, value: Any) -> str:
    if op in NO_VALUE_OPS or value is None:
        return ""
    if op in LIST_OPS and isinstance(value, list):
        if all(isinstance(item, str) and "," not in item for item in value):
            return ", ".join(value)
        return json.dumps(value)
    if isinstance(value, str):
        return value
    return json.dumps(value)


def describe_rule(match: str, conditions: list[dict[str, Any]]) -> str:
    parts = []
    for condition in conditions:
        op = str(condition.get("op", ""))
        words = f"{condition.get('attribute', '')} {OP_LABELS.get(op, op)}"
        if op not in NO_VALUE_OPS:
            words += f" {value_to_text(op, condition.get('value'))}"
        parts.append(words)
    return f" {'and' if match == 'all' else 'or'} ".join(parts)


class SegmentEditor(QDialog):
    """``save_requested(name, match, conditions, new)``; the page answers with
    ``show_error`` or closes the dialog."""

    save_requested = Signal(str, str, list, bool)

    def __init__(self, segment: SegmentInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.is_new = segment is None
        self.setWindowTitle("New Segment" if segment is None else f"Edit “{segment.name}”")
        self.setObjectName("segmentEditor")
        self.setAccessibleName(self.windowTitle())
        self.name = QLineEdit(segment.name if segment else "", self)
        self.name.setAccessibleName("Segment name")
        self.name.setReadOnly(segment is not None)
        if segment is not None:
            self.name.setToolTip("A segment keeps its name; flows refer to it by name")
        self.match = QComboBox(self)
        self.match.setAccessibleName("Match")
        self.match.addItem("all of the conditions", "all")
        self.match.addItem("any of the conditions", "any")
        self.match.setCurrentIndex(0 if segment is None or segment.match == "all" else 1)
        self.table = QTableWidget(0, 3, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.table.setAccessibleName("Conditions")
        self.table.setHorizontalHeaderLabels(["Attribute", "Operator", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ATTRIBUTE, 150)
        self.table.setColumnWidth(OP, 150)
        self.table.verticalHeader().setVisible(False)
        for condition in (segment.conditions if segment else []):
            self.add_condition(str(condition.get("attribute", "")),
                               str(condition.get("op", "eq")), condition.get("value"))
        if segment is None:
            self.add_condition()
        self.add_button = QPushButton("&Add Condition", self)
        self.add_button.setAccessibleName("Add a condition")
        self.add_button.clicked.connect(lambda: self.add_condition())
        self.remove_button = QPushButton("&Remove Condition", self)
        self.remove_button.setAccessibleName("Remove the selected condition")
        self.remove_button.clicked.connect(self.remove_condition)
        self.error = QLabel(self)
        self.error.setAccessibleName("Problem with the rule")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B3261E;")
        self.error.setVisible(False)
        hint = QLabel("Values: numbers are compared as numbers; for “is one of” separate "
                      "the values with commas (or write a JSON list).", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.request_save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("Customers who match:", self.match)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 380)

    def add_condition(self, attribute: str = "", op: str = "eq", value: Any = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, ATTRIBUTE, QTableWidgetItem(attribute))
        ops = QComboBox(self.table)
        ops.setAccessibleName(f"Operator of condition {row + 1}")
        for name in OPS:
            ops.addItem(OP_LABELS[name], name)
        ops.setCurrentIndex(max(0, ops.findData(op)))
        self.table.setCellWidget(row, OP, ops)
        self.table.setItem(row, VALUE, QTableWidgetItem(value_to_text(op, value)))

    def remove_condition(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def conditions(self) -> list[dict[str, Any]]:
        found = []
        for row in range(self.table.rowCount()):
            attribute = self.table.item(row, ATTRIBUTE)
            ops = self.table.cellWidget(row, OP)
            value = self.table.item(row, VALUE)
            op = ops.currentData() if isinstance(ops, QComboBox) else "eq"
            condition: dict[str, Any] = {
                "attribute": attribute.text().strip() if attribute else "", "op": op}
            if op not in NO_VALUE_OPS:
                condition["value"] = value_from_text(op, value.text() if value else "")
            found.append(condition)
        return found

    def request_save(self) -> None:
        self.error.setVisible(False)
        self.save_requested.emit(self.name.text(), str(self.match.currentData()),
                                 self.conditions(), self.is_new)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
