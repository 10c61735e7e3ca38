"""The questions the Edit tab asks, behind a small service that tests replace.

Anything with ``confirm(parent, title, text) -> bool``, ``inform(parent, title, text)``
and ``choose(parent, title, text, choices) -> index or None``
will do (the app shell's dialog service too); ``MessageBoxPrompts`` is the default.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMessageBox, QWidget

from flowbench.ui.dialogs.prompts import choose_among, safe_question


class Prompts(Protocol):
    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool: ...

    def inform(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def choose(self, parent: QWidget | None, title: str, text: str,
               choices: list[str]) -> int | None: ...


class MessageBoxPrompts:
    """Plain modal message boxes."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """Yes or No; No is the default button (Enter) and Escape, since what is asked
        about is usually irreversible or destructive."""
        return safe_question(parent, title, text).exec() == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def choose(self, parent: QWidget | None, title: str, text: str,
               choices: list[str]) -> int | None:
        return choose_among(parent, title, text, choices)
