"""What the two dialogs a person meets first — Welcome (create the workspace) and Sign
In — share beyond ``ui/kit``: a modal dialog's names, and a row of buttons with a way
elsewhere on the left and Cancel beside the default button on the right."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget


def name_dialog(dialog: QDialog, object_name: str, title: str, accessible_name: str) -> None:
    """Name the modal dialog for the window manager, the style sheet and screen readers."""
    dialog.setObjectName(object_name)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(accessible_name)
    dialog.setModal(True)


def dialog_buttons(parent: QWidget, elsewhere: QPushButton,
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
