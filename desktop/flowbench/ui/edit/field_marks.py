"""Marking an input that has a problem: a coloured frame, the message as its tooltip.

The colour comes from the ``problem`` dynamic property and ``MARK_STYLE`` (installed once
on the Edit tab); the message also becomes the widget's accessible description, so a
screen reader announces it with the field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from flowbench.domain.validation import Problem, Severity

MARK_STYLE = """
QLineEdit[problem="error"], QPlainTextEdit[problem="error"], QSpinBox[problem="error"],
QComboBox[problem="error"], QTableView[problem="error"] {
    border: 1px solid #D32F2F; border-radius: 3px; background-color: rgba(211, 47, 47, 22);
}
QLineEdit[problem="warning"], QPlainTextEdit[problem="warning"], QSpinBox[problem="warning"],
QComboBox[problem="warning"], QTableView[problem="warning"] {
    border: 1px solid #E0A000; border-radius: 3px; background-color: rgba(224, 160, 0, 22);
}
QLabel[problem="error"] { color: #D32F2F; }
QLabel[problem="warning"] { color: #B07D00; }
"""
_BASE_TIP = "baseToolTip"


def worst(problems: list[Problem]) -> Severity | None:
    if not problems:
        return None
    return Severity.ERROR if any(p.is_error for p in problems) else Severity.WARNING


def mark_field(widget: QWidget, problems: list[Problem]) -> None:
    """Show ``problems`` on ``widget`` (an empty list clears the mark)."""
    severity = worst(problems)
    value = str(severity) if severity else ""
    if widget.property(_BASE_TIP) is None:
        widget.setProperty(_BASE_TIP, widget.toolTip())
    message = "\n".join(p.message for p in problems)
    base = str(widget.property(_BASE_TIP) or "")
    widget.setToolTip("\n".join(t for t in (message, base) if t))
    widget.setAccessibleDescription(message)
    if (widget.property("problem") or "") != value:
        widget.setProperty("problem", value)
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()


def mark_state(widget: QWidget) -> str:
    """'error', 'warning' or '' — what a test (or a curious reader) sees on the field."""
    return str(widget.property("problem") or "")
