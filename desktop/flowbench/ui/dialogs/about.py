"""Help → About: what this is, the versions it runs on and the keyring it keeps team
workspace passwords in — with a Copy button for bug reports."""

from __future__ import annotations

import platform
import sqlite3

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from flowbench import __version__
from flowbench.resources import resource_path
from flowbench.services.system_keyring import keyring_status
from flowbench.ui.kit.forms import beside_logo, button, text_label


def versions() -> list[tuple[str, str]]:
    return [("Flowbench", __version__), ("Qt", qVersion()), ("PySide6", PySide6.__version__),
            ("Python", platform.python_version()), ("SQLite", sqlite3.sqlite_version),
            ("Keyring", keyring_status().describe()),
            ("System", f"{platform.system()} {platform.release()} ({platform.machine()})")]


def versions_text() -> str:
    return "\n".join(f"{name} {value}" for name, value in versions())


VALUE_WIDTH = 360  # what the wrapped texts have beside the logo and the version names


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Flowbench")
        self.setAccessibleName("About Flowbench")
        logo = QLabel(self)
        logo.setPixmap(QIcon(str(resource_path("icons/flowbench.svg"))).pixmap(64, 64))
        heading = text_label(self, f"Flowbench {__version__}", look="heading")
        blurb = text_label(self, "Author, approve and publish Action Flows — and rehearse "
                           "them offline against a local runtime.", wrap=True)
        blurb.setMinimumWidth(VALUE_WIDTH)
        form = QFormLayout()
        self.version_labels: dict[str, QLabel] = {}
        shown = versions()
        for name, value in shown:
            label = QLabel(value, self)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            # wrapped text reserves the height its narrowest width needs: give it the
            # width it has, so the dialog is no taller than its lines
            label.setMinimumWidth(VALUE_WIDTH)
            label.setAccessibleName(f"{name} version")
            form.addRow(f"{name}:", label)
            self.version_labels[name] = label
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copied = "\n".join(f"{name} {value}" for name, value in shown)
        self.copy_button = button(self, "&Copy", "Copy the versions to the clipboard",
                                  tip="Copy these versions, to paste them into a bug report",
                                  clicked=lambda: QGuiApplication.clipboard().setText(copied))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(beside_logo(logo, heading, blurb))
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
