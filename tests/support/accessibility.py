"""What a screen reader would miss in a window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def unnamed(root: QWidget, skip: QWidget | None = None) -> list[str]:
    """Focusable, visible widgets with neither an accessible name nor a text (inside
    ``skip`` not counted)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        if skip is not None and (widget is skip or skip.isAncestorOf(widget)):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            continue  # a view's viewport: the view carries the name
        name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
        if not name.replace("&", "").strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing
