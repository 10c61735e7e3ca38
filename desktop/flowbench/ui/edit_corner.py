"""The Edit tab's own buttons, beside the tabs while the Edit tab is current: Save,
Revert to Saved, Test Send… and Test Inbox… — the same actions as the menus, so a
button and its menu item are enabled and disabled together."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QToolButton, QWidget


def add_edit_corner(tabs: QTabWidget, on_tab: int, actions: list[tuple[QAction, str, str]],
                    icon_only: frozenset[str] = frozenset()) -> dict[str, QToolButton]:
    """Buttons for ``actions`` ((action, object name, accessible name)) in the tabs'
    top-right corner, shown while tab ``on_tab`` is current; returned by object name.
    Those named in ``icon_only`` show just their icon (the tooltip names them), so the
    corner stays narrow enough for a small window."""
    corner = QWidget(tabs)
    corner.setObjectName("editCorner")
    row = QHBoxLayout(corner)
    row.setContentsMargins(0, 0, 4, 0)
    row.setSpacing(2)
    buttons: dict[str, QToolButton] = {}
    for action, name, accessible in actions:
        button = QToolButton(corner)
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly if name in icon_only
                                  else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setAccessibleName(accessible)
        row.addWidget(button)
        buttons[name] = button
    tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
    tabs.currentChanged.connect(lambda index: corner.setVisible(index == on_tab))
    corner.setVisible(tabs.currentIndex() == on_tab)
    return buttons
