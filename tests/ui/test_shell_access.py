"""Every interactive widget of the shell has an accessible name (screen readers read
it), and the keyboard reaches the flow list and the tabs in a sensible order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QDialog, QWidget
from pytestqt.qtbot import QtBot

from flowbench.services.sample_content import ACCOUNTS
from flowbench.ui.dialogs.about import AboutDialog
from flowbench.ui.dialogs.sample_accounts import SampleAccountsDialog
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog

pytestmark = pytest.mark.ui


def unnamed(root: QWidget, skip: QWidget | None = None) -> list[str]:
    """Focusable widgets without an accessible name (inside ``skip`` not counted)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        if skip is not None and (widget is skip or skip.isAncestorOf(widget)):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            continue  # a view's viewport: the view carries the name
        name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
        if not name.replace("&", "").strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_the_main_window_names_its_controls(shell: Any,
                                            made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    window = shell.window
    assert unnamed(window, skip=window.edit_tab) == []
    for label in (window.member_label, window.role_label, window.workspace_label):
        assert label.accessibleName()


def test_tab_goes_from_the_search_to_the_list_to_the_tabs(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    window = shell.window
    window.flow_list.search.setFocus()
    qtbot.keyClick(window.flow_list.search, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.flow_list.view
    qtbot.keyClick(window.flow_list.view, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.tabs.tabBar()


@pytest.mark.parametrize("make", [
    lambda: WelcomeDialog("workspace.flowbench"),
    lambda: SignInDialog(_settings(), "Acme"),
    lambda: SampleAccountsDialog(ACCOUNTS, "sample.flowbench", True),
    lambda: AboutDialog(),
    lambda: UnexpectedErrorDialog("Boom", "Traceback…", Path("flowbench.log")),
])
def test_dialogs_name_their_controls(qtbot: QtBot, make: Callable[[], QDialog]) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.accessibleName()
    assert unnamed(dialog) == []


def _settings() -> Any:
    from PySide6.QtCore import QSettings

    from flowbench.ui.app_settings import AppSettings

    return AppSettings(QSettings("flowbench-tests", "unused"))
