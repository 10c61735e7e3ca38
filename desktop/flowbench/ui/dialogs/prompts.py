"""The small questions the app asks, behind one object tests replace (picard's
dialog-service pattern): confirm (No is the default), choose among a few answers
(Cancel is the default), inform, error, ask for text, Save/Discard/Cancel, and choosing
files.

Every screen receives the same ``Prompts`` instance; a test hands in a fake that
answers at once, so no modal message box can ever hang a run.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

# The dialog classes are imported when a question is asked: PySide6 builds a class's enums
# the first time the class is touched, a cost the window's start-up need not pay.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget


def safe_question(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A Yes/No question whose default (and Escape) is No."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box


def choose_among(parent: QWidget | None, title: str, text: str,
                 choices: list[str]) -> int | None:
    """One of ``choices`` (its index), or None for Cancel — the default and Escape."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Cancel, parent)
    buttons = [box.addButton(choice, QMessageBox.ButtonRole.AcceptRole)
               for choice in choices]
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


class UnsavedAnswer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompts:
    """Modal message boxes and file dialogs."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """Yes or No; No is the default button (Enter) and Escape, since what is asked
        about is usually irreversible or destructive."""
        from PySide6.QtWidgets import QMessageBox

        return safe_question(parent, title, text).exec() == QMessageBox.StandardButton.Yes

    def choose(self, parent: QWidget | None, title: str, text: str,
               choices: list[str]) -> int | None:
        return choose_among(parent, title, text, choices)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, title, text)

    def ask_text(self, parent: QWidget | None, title: str, label: str,
                 text: str = "") -> str | None:
        """A line of text, or None when the member cancels."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A password typed without echo, or None when the member cancels."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value if ok else None

    def ask_unsaved(self, parent: QWidget | None, title: str, text: str) -> UnsavedAnswer:
        from PySide6.QtWidgets import QMessageBox

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
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(parent, title, directory, filters)
        return Path(name) if name else None

    def choose_save_file(self, parent: QWidget | None, title: str, filters: str,
                         suggested: str = "", *, replaces: bool = True) -> Path | None:
        """A file to write. ``replaces`` False: choosing one that is there asks nothing
        (the caller refuses it rather than replace it)."""
        from PySide6.QtWidgets import QFileDialog

        options = QFileDialog.Option(0) if replaces \
            else QFileDialog.Option.DontConfirmOverwrite
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters,
                                              options=options)
        return Path(name) if name else None
