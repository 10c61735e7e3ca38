"""The questions the Edit tab asks, behind a small service that tests replace.

Anything with ``confirm(parent, title, text) -> bool`` and ``inform(parent, title, text)``
will do (the app shell's dialog service too); ``MessageBoxPrompts`` is the default.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget


class Prompts(Protocol):
    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool: ...

    def inform(self, parent: QWidget | None, title: str, text: str) -> None: ...


class MessageBoxPrompts:
    """Plain modal message boxes."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)
