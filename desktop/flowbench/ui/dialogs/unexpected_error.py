"""The dialog shown for an unexpected error: what happened, where the log is, and the
details to copy into a bug report. The app keeps running."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowbench.ui.dialogs.about import versions_text


def log_sentence(log_file: Path | None) -> str:
    if log_file is None:
        return "The details could not be written to a log file; copy them below."
    return f"The details were written to the log file {log_file}."


class UnexpectedErrorDialog(QDialog):
    def __init__(self, summary: str, details: str, log_file: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unexpectedErrorDialog")
        self.setWindowTitle("Something Went Wrong")
        self.setAccessibleName("Unexpected error")
        self.log_file = log_file
        heading = QLabel("Flowbench ran into an unexpected error", self)
        heading.setObjectName("heading")
        self.message = QLabel(
            f"{summary}\n\nWhat you were doing may not have finished; your saved work is "
            f"safe. {log_sentence(log_file)} Please include them when you report the "
            "problem.", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("What went wrong")
        self.details = QPlainTextEdit(f"{details}\n{versions_text()}\n", self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.setMinimumHeight(160)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Details", self)
        self.copy_button.setAccessibleName("Copy the error details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.details.toPlainText()))
        if log_file is not None:
            self.folder_button = QPushButton("Open &Log Folder", self)
            self.folder_button.setAccessibleName("Open the folder of the log file")
            buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.folder_button.clicked.connect(lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(log_file.parent))))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)
