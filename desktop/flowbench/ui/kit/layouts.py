"""Rows and panes the tabs and dialogs make the same way (buttons: ``kit/forms.button``):
the row under a list that gives a note the free width and lines the buttons up on the
right; the coloured banner across the top of a tab, its text beside one button; a
scrolling page; resizable panes; a window's names.

Widgets are created in the order given, so the tab order stays the order of creation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QWidget,
)

from flowbench.ui.kit.labels import label

BANNER_MARGINS = (12, 6, 12, 6)


def action_row(note: QLabel | None, *buttons: QWidget,
               margins: tuple[int, int, int, int] | None = None) -> QHBoxLayout:
    """A row: the note (why a button is disabled, what is running…) stretching, then the
    buttons at their own width."""
    row = QHBoxLayout()
    if margins is not None:
        row.setContentsMargins(*margins)
    if note is not None:
        row.addWidget(note, 1)
    for widget in buttons:
        row.addWidget(widget)
    return row


def scroll_area(parent: QWidget, content: QWidget, name: str, *,
                frame: QFrame.Shape = QFrame.Shape.NoFrame) -> QScrollArea:
    """``content`` scrolling up and down when it is taller than the room it gets; as wide
    as the area (the content follows its width)."""
    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(frame)
    area.setAccessibleName(name)
    return area


def splitter(parent: QWidget, orientation: Qt.Orientation, *panes: tuple[QWidget, int],
             sizes: list[int] | None = None) -> QSplitter:
    """Panes side by side (or one above the other) that a member can resize but never
    collapse to nothing; each pane with its stretch factor (its share of extra room)."""
    split = QSplitter(orientation, parent)
    for index, (pane, stretch) in enumerate(panes):
        split.addWidget(pane)
        split.setStretchFactor(index, stretch)
    if sizes is not None:
        split.setSizes(sizes)
    split.setChildrenCollapsible(False)
    return split


def banner(parent: QWidget, look: str, name: str) -> tuple[QFrame, QLabel]:
    """A banner frame (``look``, its object name, keys its colours) and its wrapped text
    (``name`` what a screen reader calls it); give it its button, then lay it out with
    ``banner_row``."""
    frame = QFrame(parent)
    frame.setObjectName(look)
    return frame, label(frame, name=name, wrap=True)


def banner_row(banner: QFrame, text: QLabel, action: QPushButton) -> QHBoxLayout:
    """Lays a banner out: its text taking the width, its one button on the right. The
    banner starts hidden; whoever owns it shows it when it applies."""
    row = QHBoxLayout(banner)
    row.setContentsMargins(*BANNER_MARGINS)
    row.addWidget(text, 1)
    row.addWidget(action)
    banner.hide()
    return row


def name_window(window: QWidget, object_name: str, title: str, accessible_name: str,
                size: tuple[int, int] | None = None) -> None:
    """A window's or dialog's object name, title bar text and the name a screen reader
    says, and its first size if given."""
    window.setObjectName(object_name)
    window.setWindowTitle(title)
    window.setAccessibleName(accessible_name)
    if size is not None:
        window.resize(*size)
