"""The rule editor: whether all or any conditions must hold, and the conditions
(attribute, operator, value) in a table. Segments (``SegmentEditor``) and decision split
steps (the Edit tab's split page) edit their rules with it.

``rule_edited(match, conditions)`` is announced after each change a member makes (not
after ``set_rule``); conditions are dicts as segment files and flow files write them.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.segment_rules import LIST_OPS, NO_VALUE_OPS, OPS
from flowbench.services.runtime.files import parse_value
from flowbench.ui.kit.forms import button, button_row, text_label
from flowbench.ui.kit.tables import headed_table

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
    if isinstance(value, tuple):
        value = list(value)
    if op in LIST_OPS and isinstance(value, list):
        if all(isinstance(item, str) and "," not in item for item in value):
            return ", ".join(value)
        return json.dumps(value)
    if isinstance(value, str):
        return value
    return json.dumps(value)


class RuleEditor(QWidget):
    rule_edited = Signal(str, list)  # match, conditions

    def __init__(self, what: str = "Customers", parent: QWidget | None = None, *,
                 mnemonics: bool = True) -> None:
        """``mnemonics`` False leaves the buttons without Alt keys (inside the main
        window, whose tabs and menus use A and R)."""
        super().__init__(parent)
        amp = "&" if mnemonics else ""
        self._filling = False
        self.match = QComboBox(self)
        self.match.setAccessibleName("Match")
        self.match.addItem("all of the conditions", "all")
        self.match.addItem("any of the conditions", "any")
        self.match.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.match.setMinimumContentsLength(12)
        self.match.activated.connect(lambda _: self._announce())
        self.table = headed_table(self, ("Attribute", "Operator", "Value"),
                                  accessible_name="Conditions", pick_rows=False,
                                  stretch=VALUE)
        self.table.setColumnWidth(ATTRIBUTE, 130)
        self.table.setColumnWidth(OP, 140)
        self.table.itemChanged.connect(lambda _: self._announce())
        self.add_button = button(self, f"{amp}Add Condition", "Add a condition",
                                 clicked=self._add_clicked)
        self.remove_button = button(self, f"{amp}Remove Condition",
                                    "Remove the selected condition",
                                    clicked=self.remove_condition)
        self.hint = text_label(self, "Values: numbers are compared as numbers; for “is one "
                               "of” separate the values with commas (or write a JSON list).",
                               wrap=True, hint=True)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(f"{what} who match:", self.match)
        row = button_row(self.add_button, self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.table)  # focusing the rule (a problem clicked) goes here

    # --- showing ----------------------------------------------------------------------
    def set_rule(self, match: str, conditions: list[dict[str, Any]]) -> None:
        """Show a rule (no ``rule_edited``); skipped when it is what is shown already."""
        if (self.match.currentData(), self.conditions()) == (match, conditions):
            return
        self._filling = True
        try:
            self.match.setCurrentIndex(0 if match != "any" else 1)
            self.table.setRowCount(0)
            for condition in conditions:
                self.add_condition(str(condition.get("attribute", "")),
                                   str(condition.get("op", "eq")), condition.get("value"))
        finally:
            self._filling = False

    def add_condition(self, attribute: str = "", op: str = "eq", value: Any = None) -> None:
        filling, self._filling = self._filling, True
        try:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, ATTRIBUTE, QTableWidgetItem(attribute))
            ops = QComboBox(self.table)
            ops.setAccessibleName(f"Operator of condition {row + 1}")
            for name in OPS:
                ops.addItem(OP_LABELS[name], name)
            ops.setCurrentIndex(max(0, ops.findData(op)))
            ops.activated.connect(lambda _: self._announce())
            ops.setEnabled(self.add_button.isEnabled())
            self.table.setCellWidget(row, OP, ops)
            self.table.setItem(row, VALUE, QTableWidgetItem(value_to_text(op, value)))
        finally:
            self._filling = filling

    def set_read_only(self, read_only: bool) -> None:
        self.match.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                   else QAbstractItemView.EditTrigger.AllEditTriggers)
        for row in range(self.table.rowCount()):
            widget = self.table.cellWidget(row, OP)
            if widget is not None:
                widget.setEnabled(not read_only)

    # --- editing ----------------------------------------------------------------------
    def _add_clicked(self) -> None:
        self.add_condition()
        self._announce()

    def remove_condition(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._announce()

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

    def match_value(self) -> str:
        return str(self.match.currentData())

    def _announce(self) -> None:
        if not self._filling:
            self.rule_edited.emit(self.match_value(), self.conditions())
