"""What the two dialogs a person meets first — Welcome (create the workspace) and Sign
In — are both made of: a modal dialog's names, a problem line under the form, hidden
until there is one, and a row of buttons with a way elsewhere on the left and Cancel
beside the default button on the right."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget


def name_dialog(dialog: QDialog, object_name: str, title: str, accessible_name: str) -> None:
    """Name the modal dialog for the window manager, the style sheet and screen readers."""
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(accessible_name)
    dialog.setModal(True)


def problem_label(parent: QWidget) -> QLabel:
    """The inline "Problem" line (shown with the message when something is refused)."""
    label = QLabel(parent)
    label.setObjectName("inlineError")
    label.setAccessibleName("Problem")
    label.setWordWrap(True)
    label.hide()
    return label


def button_row(parent: QWidget, elsewhere: QPushButton,
               default: QPushButton) -> tuple[QHBoxLayout, QPushButton]:
    """``elsewhere`` | stretch | Cancel, ``default`` (made the default button); returns
    the row and its Cancel button."""
    default.setDefault(True)
    cancel = QPushButton("Cancel", parent)
    cancel.setAccessibleName("Cancel")
    row = QHBoxLayout()
    row.addWidget(elsewhere)
    row.addStretch(1)
    row.addWidget(cancel)
    row.addWidget(default)
    return row, cancel
