"""Keyboard mnemonics (Alt+letter) of a window, and the clashes among them.

What is on screen together shares one set of Alt keys: labels (with a buddy), buttons,
group boxes, tab titles and a main window's menu titles. The pages of a stacked widget
(a tab widget's pages too) are never on screen together, so each page is checked with
what surrounds it but not with its sibling pages. Each menu is its own scope.
"""

from __future__ import annotations

import itertools
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QWidget,
)

_MNEMONIC = re.compile(r"&([^&\s])")
Mnemonic = tuple[str, str]  # (letter, where it is)
_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def letter_of(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _own(widget: QWidget) -> list[Mnemonic]:
    texts: list[str] = []
    labelled = isinstance(widget, QLabel) and widget.buddy() is not None
    if labelled or isinstance(widget, QAbstractButton):
        texts.append(widget.text())
    elif isinstance(widget, QGroupBox):
        texts.append(widget.title())
    elif isinstance(widget, QTabBar):
        texts.extend(widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i))
    found = []
    for text in texts:
        letter = letter_of(text)
        if letter:
            found.append((letter, f"{type(widget).__name__} “{text}”"))
    return found


def _shown(widget: QWidget) -> bool:
    """Whether the widget is meant to be seen (not hidden on purpose)."""
    return not widget.isHidden()


def scopes(widget: QWidget, root: bool = True) -> list[list[Mnemonic]]:
    """Every set of mnemonics that can be on screen together within ``widget``."""
    if not root and not _shown(widget):
        return [[]]
    if isinstance(widget, QStackedWidget):
        pages = [widget.widget(i) for i in range(widget.count())]
        return [s for page in pages for s in scopes(page, root=True)] or [[]]
    options: list[list[list[Mnemonic]]] = [[_own(widget)]]
    for child in widget.findChildren(QWidget, options=_DIRECT):
        if child.isWindow():
            continue
        options.append(scopes(child, root=False))
    combined: list[list[Mnemonic]] = []
    for choice in itertools.product(*options):
        combined.append([m for part in choice for m in part])
        if len(combined) > 2000:
            break
    return combined


def clashes(window: QWidget) -> list[str]:
    """Sentences naming each Alt key used twice in something shown together."""
    found: set[str] = set()
    extra: list[Mnemonic] = []
    menus: list[QMenu] = []
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            letter = letter_of(action.text())
            if letter and action.isVisible():
                extra.append((letter, f"menu “{action.text()}”"))
            if action.menu() is not None:
                menus.append(action.menu())
    for scope in scopes(window):
        by_letter: dict[str, list[str]] = {}
        for letter, where in extra + scope:
            by_letter.setdefault(letter, []).append(where)
        for letter, places in by_letter.items():
            if len(places) > 1:
                found.add(f"Alt+{letter.upper()}: " + ", ".join(sorted(places)))
    for menu in menus:
        seen: dict[str, list[str]] = {}
        for action in menu.actions():
            letter = letter_of(action.text())
            if letter and action.isVisible():
                seen.setdefault(letter, []).append(action.text())
        for letter, texts in seen.items():
            if len(texts) > 1:
                found.add(f"{menu.title()} menu, Alt+{letter.upper()}: " + ", ".join(texts))
    return sorted(found)


def unreachable_tool_buttons(window: QWidget) -> list[str]:
    """Tool buttons with neither an Alt key nor a shortcut (of their action)."""
    found = []
    for button in window.findChildren(QToolButton):
        if isinstance(button.parent(), QTabBar | QLineEdit) or button.objectName().startswith(
                "qt_"):
            continue  # Qt's own: tab scrolling, a search field's clear button
        action = button.defaultAction()
        if letter_of(button.text()) or not button.shortcut().isEmpty() or (
                action is not None and not action.shortcut().isEmpty()):
            continue
        found.append(f"tool button “{button.text() or button.accessibleName()}”")
    return found


def tab_traps(window: QWidget) -> list[str]:
    """Item views inside ``window`` where Tab moves from cell to cell."""
    return [f"{type(view).__name__} “{view.accessibleName() or view.objectName()}”"
            for view in window.findChildren(QAbstractItemView)
            if view.tabKeyNavigation()]

