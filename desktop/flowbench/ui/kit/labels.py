"""Labels the tabs and dialogs make the same way: a label with its object name (which the
style sheets key on), the name a screen reader says, word wrap and plain text as asked;
a note that explains (``subtle`` unless named otherwise, wrapped); a rich-text block; a
bold heading; the centred "select a flow" text of an empty tab.

Each builder only sets what a caller would have set line by line, so a label built here
looks and reads exactly like one built by hand.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from flowbench.ui.kit.forms import text_label

HEADING_STYLE = "font-weight: 600;"


def label(parent: QWidget, text: str = "", *, name: str = "", look: str = "",
          wrap: bool = False, plain: bool = False, visible: bool = True,
          muted: bool = False) -> QLabel:
    """``kit/forms.text_label`` (``name`` what a screen reader says, ``look`` the object
    name the style sheets key on: "subtle", "staleNote"…), and: ``plain`` shows the text
    as typed, never as HTML (what members or customers wrote); ``visible`` False starts
    it hidden; ``muted`` draws it in the theme's muted text colour (a hint, not something
    to act on; the style sheets key on the ``muted`` property — a disabled label's grey
    is too faint to read, ~1.6:1 against the window)."""
    widget = text_label(parent, text, name=name, look=look, wrap=wrap)
    if plain:
        widget.setTextFormat(Qt.TextFormat.PlainText)
    if muted:
        widget.setProperty("muted", True)
    if not visible:
        widget.hide()
    return widget


def note(parent: QWidget, name: str = "", text: str = "", *, look: str = "subtle",
         visible: bool = True) -> QLabel:
    """A wrapped line or two that explains (why a button is disabled, what changed…)."""
    return label(parent, text, name=name, look=look, wrap=True, visible=visible)


def rich_text(parent: QWidget, name: str, *, selectable: bool = False,
              wrap: bool = True) -> QLabel:
    """A block of HTML (a summary, a forecast), selectable with the mouse if asked."""
    widget = label(parent, name=name, wrap=wrap)
    widget.setTextFormat(Qt.TextFormat.RichText)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def heading(parent: QWidget, name: str) -> QLabel:
    """The bold line above a table that names what it lists."""
    widget = label(parent, name=name)
    widget.setStyleSheet(HEADING_STYLE)
    return widget


def placeholder(parent: QWidget, text: str = "") -> QLabel:
    """Muted, centred, wrapped text standing where a form will be (nothing selected…)."""
    widget = label(parent, text, wrap=True, muted=True)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def empty_state(parent: QWidget, text: str) -> QLabel:
    """What a tab shows, centred, while it has nothing to show."""
    widget = label(parent, text, look="emptyState")
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget
