"""The small questions the app asks, behind one object tests replace (picard's
dialog-service pattern): confirm, inform, error, ask for text, Save/Discard/Cancel,
and choosing files.

Every screen receives the same ``Prompts`` instance; a test hands in a fake that
answers at once, so no modal message box can ever hang a run.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class UnsavedAnswer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompts:
    """Modal message boxes and file dialogs."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def ask_text(self, parent: QWidget | None, title: str, label: str,
                 text: str = "") -> str | None:
        """A line of text, or None when the member cancels."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A password typed without echo, or None when the member cancels."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value if ok else None

    def ask_unsaved(self, parent: QWidget | None, title: str, text: str) -> UnsavedAnswer:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, parent)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return UnsavedAnswer.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return UnsavedAnswer.DISCARD
        return UnsavedAnswer.CANCEL

    def choose_open_file(self, parent: QWidget | None, title: str, filters: str,
                         directory: str = "") -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, directory, filters)
        return Path(name) if name else None

    def choose_save_file(self, parent: QWidget | None, title: str, filters: str,
                         suggested: str = "") -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(name) if name else None
