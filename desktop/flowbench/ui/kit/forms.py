"""Builders for the controls of Flowbench's pages and dialogs: a button with its
accessible name (and tooltip, icon, action), a line of text in one of the app's looks, a
row of buttons, and the end of a dialog that submits its form itself (``finish_form``):
the refusal shown in place, Cancel and the default button. ``stacked`` and ``beside_logo``
arrange widgets (a split pane, a dialog's top beside the logo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

# The sign-in dialog, one of the first windows, is built from here: Qt.* only as
# QtCore.Qt.* and not on its way (PySide6 builds the whole Qt namespace, ~13 ms, on first
# use), and the button box and the splitter (classes whose enums PySide6 builds when
# first touched) imported where they are used
from PySide6 import QtCore
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowbench.ui.kit.early import top_left

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialogButtonBox, QSplitter

HINT_STYLE = "color: palette(placeholder-text);"  # explanations, quieter than the text


def button(parent: QWidget, text: str, name: str, *, tip: str = "",
           icon: QIcon | None = None, clicked: Callable[..., Any] | None = None
           ) -> QPushButton:
    """A push button: ``text`` with its mnemonic, ``name`` what a screen reader says."""
    made = QPushButton(icon, text, parent) if icon is not None else QPushButton(text, parent)
    made.setAccessibleName(name)
    if tip:
        made.setToolTip(tip)
    if clicked is not None:
        made.clicked.connect(clicked)
    return made


def text_field(parent: QWidget, name: str, placeholder: str = "") -> QLineEdit:
    """A one-line entry: ``name`` what a screen reader says, ``placeholder`` an example."""
    field = QLineEdit(parent)
    field.setAccessibleName(name)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


def text_label(parent: QWidget, text: str = "", *, name: str = "", look: str = "",
               wrap: bool = False, hint: bool = False) -> QLabel:
    """A line of text. ``look`` is the theme's object name for it ("heading", "subtle",
    "inlineError", "passwordNote"); ``hint`` greys an explanation."""
    label = QLabel(text, parent)
    if look:
        label.setObjectName(look)
    if name:
        label.setAccessibleName(name)
    if wrap:
        label.setWordWrap(True)
    if hint:
        label.setStyleSheet(HINT_STYLE)
    return label


def inline_error(parent: QWidget, name: str = "", *, wrap: bool = True) -> QLabel:
    """Why a form was refused, shown inside the dialog; hidden until there is a reason."""
    label = text_label(parent, name=name, look="inlineError", wrap=wrap)
    label.hide()
    return label


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """Buttons side by side from the left; the space left over on the right."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def form_buttons(dialog: QDialog, submit: Callable[..., Any], *,
                 standard: QDialogButtonBox.StandardButton | None = None
                 ) -> QDialogButtonBox:
    """The dialog's button box (``standard`` beside the submit button: Cancel unless
    given): accepting calls ``submit`` (which closes the dialog when it succeeds),
    rejecting closes it."""
    from PySide6.QtWidgets import QDialogButtonBox  # (not for the sign-in dialog)

    if standard is None:
        standard = QDialogButtonBox.StandardButton.Cancel
    box = QDialogButtonBox(standard, dialog)
    box.accepted.connect(submit)
    box.rejected.connect(dialog.reject)
    return box


def submit_button(box: QDialogButtonBox, text: str, name: str) -> QPushButton:
    """The box's default button that submits the form (Enter presses it)."""
    made = box.addButton(text, type(box).ButtonRole.AcceptRole)
    made.setAccessibleName(name)
    made.setDefault(True)
    return made


def stacked(parent: QWidget, top: QWidget, bottom: QWidget, stretch: tuple[int, int]
            ) -> QSplitter:
    """``top`` over ``bottom``, sharing the height by ``stretch``; neither collapses."""
    from PySide6.QtWidgets import QSplitter  # (not for the sign-in dialog)

    splitter = QSplitter(QtCore.Qt.Orientation.Vertical, parent)
    splitter.addWidget(top)
    splitter.addWidget(bottom)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setChildrenCollapsible(False)
    return splitter


def beside_logo(logo: QLabel, *texts: QWidget) -> QLayout:
    """A dialog's top: the logo on the left, its texts stacked on the right."""
    top = QHBoxLayout()
    top_left(logo)  # (the welcome dialog is one of the first windows: see kit/early.py)
    top.addWidget(logo)
    column = QVBoxLayout()
    for text in texts:
        column.addWidget(text)
    column.addStretch(1)  # the texts together at the top, however tall the logo or row
    top.addLayout(column, 1)
    return top


class FormEnd(NamedTuple):
    """What ``finish_form`` adds under a form: why it was refused, and the buttons."""

    error: QLabel
    buttons: QDialogButtonBox
    submit: QPushButton

    def refuse(self, text: str) -> bool:
        """Say why the form was not accepted (the dialog stays open with what was
        typed); False, for the submit method to return."""
        self.error.setText(text)
        self.error.show()
        return False


def finish_form(dialog: QDialog, form: QLayout, note: QWidget, submit: Callable[..., Any],
                *, button: tuple[str, str], refused: str, width: int) -> FormEnd:
    """A dialog that submits its form itself: the form over ``note``, the refusal
    (accessible name ``refused``, hidden until there is one) and Cancel beside the default
    ``button`` (text, accessible name) that calls ``submit``. Called once the fields are
    built, so the buttons come last in the Tab order."""
    error = inline_error(dialog, refused)
    buttons = form_buttons(dialog, submit)
    made = submit_button(buttons, *button)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(note)
    layout.addWidget(error)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(width)
    return FormEnd(error, buttons, made)
