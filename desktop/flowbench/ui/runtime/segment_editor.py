"""Define a segment: its name, whether all or any conditions must hold, and the
conditions (attribute, operator, value). A rule the runtime refuses is shown in the
dialog, which stays open so it can be corrected. The rule itself is edited with the
``RuleEditor`` decision splits use too."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.segment_rules import NO_VALUE_OPS
from flowbench.services.runtime.segments import SegmentInfo
from flowbench.ui.kit.forms import form_buttons, text_label
from flowbench.ui.runtime.rule_editor import (  # noqa: F401 - their home before
    OP_LABELS,
    RuleEditor,
    value_from_text,
    value_to_text,
)


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
        self.rule = RuleEditor("Customers", self)
        self.match, self.table = self.rule.match, self.rule.table
        self.add_button, self.remove_button = self.rule.add_button, self.rule.remove_button
        if segment is not None:
            self.rule.set_rule(segment.match, list(segment.conditions))
        else:
            self.rule.add_condition()
        self.error = text_label(self, name="Problem with the rule", wrap=True)
        self.error.setStyleSheet("color: #B3261E;")
        self.error.setVisible(False)
        self.buttons = form_buttons(self, self.request_save,
                                    standard=QDialogButtonBox.StandardButton.Save
                                    | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rule, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 380)

    def add_condition(self, attribute: str = "", op: str = "eq", value: Any = None) -> None:
        self.rule.add_condition(attribute, op, value)

    def remove_condition(self) -> None:
        self.rule.remove_condition()

    def conditions(self) -> list[dict[str, Any]]:
        return self.rule.conditions()

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
