"""Ctrl+Z / Ctrl+Shift+Z (and the platform's other undo keys) mean the flow's undo stack.

Text inputs keep their own little undo history, which would fight the flow's: typing,
then Ctrl+Z in a field, would undo inside the field without the stack knowing. This
filter, installed on the tab's focusable widgets, claims the undo and redo keys first
(``ShortcutOverride``) and sends them to the QUndoStack — whether or not the window
around the tab also has Undo/Redo menu actions with the same keys.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget


class UndoKeys(QObject):
    def __init__(self, stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack = stack

    def watch(self, root: QWidget) -> None:
        """Filter ``root`` and every focusable widget inside it."""
        for widget in [root, *root.findChildren(QWidget)]:
            if widget is root or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)

    @staticmethod
    def _which(event: QKeyEvent) -> str | None:
        if event.matches(QKeySequence.StandardKey.Undo):
            return "undo"
        if event.matches(QKeySequence.StandardKey.Redo):
            return "redo"
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        which = self._which(event)
        if which is None:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            if which == "undo":
                self._stack.undo()
            else:
                self._stack.redo()
        return True
