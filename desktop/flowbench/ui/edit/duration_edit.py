"""An ISO 8601 duration field with a preview in words ("P2D" → "2 days")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from flowbench.domain.durations import DurationError, describe_seconds, duration_seconds
from flowbench.domain.limits import duration_problem


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


class DurationEdit(QWidget):
    """Emits ``edited`` with the typed text (None when an optional field is emptied)."""

    edited = Signal(object)

    def __init__(self, accessible_name: str, *, optional: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("e.g. PT30M, P2D, P1W" + (" (optional)"
                                                                   if optional else ""))
        self.line_edit.setAccessibleName(accessible_name)
        self.line_edit.setToolTip("An ISO 8601 duration: P2D is 2 days, PT30M is 30 minutes, "
                                  "P1DT12H is a day and a half.")
        self.preview = QLabel(self)
        self.preview.setMinimumWidth(110)
        self.preview.setEnabled(False)  # drawn in the muted text colour
        self.preview.setAccessibleName(f"{accessible_name} in words")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.preview)
        self.setFocusProxy(self.line_edit)
        self.line_edit.textEdited.connect(self._on_edited)
        self._show_preview()

    def _on_edited(self, text: str) -> None:
        self._show_preview()
        self.edited.emit(text.strip() or (None if self._optional else ""))

    def _show_preview(self) -> None:
        self.preview.setText(preview(self.line_edit.text(), self._optional))

    def set_value(self, value: str | None) -> None:
        text = value or ""
        if self.line_edit.text().strip() != text:
            self.line_edit.setText(text)
        self._show_preview()

    def set_read_only(self, read_only: bool) -> None:
        self.line_edit.setReadOnly(read_only)
