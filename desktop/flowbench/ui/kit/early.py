"""Settings for the widgets of the first windows (the signed-out page, the sign-in and
welcome dialogs), made by property name — Qt reads "AlignCenter" and the like itself.
Not ``label.setAlignment(Qt.AlignmentFlag.AlignCenter)``: PySide6 builds its whole ``Qt``
namespace (~95 enum classes, ~13 ms) the first time any of it is used, and these windows
are on screen before that (``tests/ui/test_light_start.py`` checks it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def centre_text(label: QLabel) -> None:
    label.setProperty("alignment", "AlignCenter")


def top_left(label: QLabel) -> None:
    """The label's content in its top left corner, however tall its row."""
    label.setProperty("alignment", "AlignTop|AlignLeft")


def selectable_by_mouse(label: QLabel) -> None:
    label.setProperty("textInteractionFlags", "TextSelectableByMouse")
