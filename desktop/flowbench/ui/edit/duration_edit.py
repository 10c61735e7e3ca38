"""A duration field as people write one: a number and a unit (minutes, hours, days,
weeks), storing ISO 8601 underneath ("2" + hours → ``PT2H``).

The number field also takes a whole duration typed out — "2 hours", "2h", "90 min",
"1 day 12 hours" or ISO 8601 — read by the domain's one parser (``parse_duration``);
when typing ends it shows as number and unit again. A preview in words says what it
means, or what is wrong.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from flowbench.domain.duration_text import iso_duration
from flowbench.domain.durations import DurationError, describe_seconds, duration_seconds
from flowbench.domain.limits import duration_problem

UNITS = (("minutes", 60), ("hours", 3600), ("days", 86400), ("weeks", 604800))
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def preview(text: str, optional: bool) -> str:
    if not text.strip():
        return "none" if optional else "required"
    limit = duration_problem(text)  # the limits every flow keeps (domain.limits)
    if limit is not None:
        return limit
    try:
        return "= " + describe_seconds(duration_seconds(text))
    except DurationError:
        return "not a duration"


def as_number_and_unit(seconds: int) -> tuple[str, int]:
    """The largest unit that holds the length whole: 5400 s → ("90", minutes)."""
    for index in range(len(UNITS) - 1, -1, -1):
        size = UNITS[index][1]
        if seconds and seconds % size == 0:
            return str(seconds // size), index
    return (str(round(seconds / 60, 2)).removesuffix(".0"), 0)


class DurationEdit(QWidget):
    """Emits ``edited`` with ISO 8601 text (the typed text when it is no duration, so
    validation can say so; None when an optional field is emptied)."""

    edited = Signal(object)

    def __init__(self, accessible_name: str, *, optional: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("e.g. 2 or 2 hours" + (" (optional)"
                                                                 if optional else ""))
        self.line_edit.setAccessibleName(accessible_name)
        self.line_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 7)
        self.line_edit.setToolTip("A number in the unit beside it, or a whole duration: "
                                  "2 hours, 2h, 90 min, 1 day 12 hours, or ISO 8601 (PT2H).")
        self.unit = QComboBox(self)
        self.unit.addItems([name for name, _size in UNITS])
        self.unit.setCurrentIndex(2)  # days: what waits mostly are
        self.unit.setAccessibleName(f"{accessible_name} unit")
        self.preview = QLabel(self)
        self.preview.setMinimumWidth(60)
        self.preview.setProperty("muted", True)  # the muted text colour (kit/labels.label)
        self.preview.setAccessibleName(f"{accessible_name} in words")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.unit)
        layout.addWidget(self.preview)
        self.setFocusProxy(self.line_edit)
        self.line_edit.textEdited.connect(self._on_edited)
        self.line_edit.editingFinished.connect(self._tidy)
        self.unit.activated.connect(lambda _index: self._on_edited(self.line_edit.text()))
        self._value: str | None = None
        self._show_preview()

    def value(self) -> str | None:
        """The ISO 8601 text the field stands for now (typed text if unreadable)."""
        return self._value

    def _read(self, text: str) -> str | None:
        text = text.strip()
        if not text:
            return None if self._optional else ""
        if _NUMBER.fullmatch(text):
            size = UNITS[self.unit.currentIndex()][1]
            return iso_duration(round(float(text) * size))
        try:
            return iso_duration(duration_seconds(text))
        except DurationError:
            return text

    def _on_edited(self, text: str) -> None:
        self._value = self._read(text)
        self._show_preview()
        self.edited.emit(self._value)

    def _tidy(self) -> None:
        """A whole duration typed out becomes number and unit once typing ends."""
        if not _NUMBER.fullmatch(self.line_edit.text().strip()):
            self._show_value(self._value)

    def _show_preview(self) -> None:
        self.preview.setText(preview(self._value or "", self._optional))

    def _show_value(self, value: str | None) -> None:
        try:
            seconds = duration_seconds(value or "")
        except DurationError:
            if self.line_edit.text().strip() != (value or ""):
                self.line_edit.setText(value or "")
        else:
            number, unit = as_number_and_unit(seconds)
            self.unit.setCurrentIndex(unit)
            if self.line_edit.text() != number:
                self.line_edit.setText(number)

    def set_value(self, value: str | None) -> None:
        self._value = value or (None if self._optional else "")
        if self._read(self.line_edit.text()) != self._value or not self.line_edit.hasFocus():
            self._show_value(value)
        self._show_preview()

    def set_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
        self.unit.setEnabled(not read_only)
