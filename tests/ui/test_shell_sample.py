"""Explore a sample workspace: from the welcome dialog to a realistic workspace, signed
in as any of its members; and the README screenshots of the main screens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from screenshots import at_first_run_size

from flowbench.services import flows, sample
from flowbench.services.runtime import status as runtime_status
from flowbench.services.workspace import is_initialised
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.dialogs.sample_accounts import SampleAccountsDialog
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog
from flowbench.ui.main_window import VERSIONS_TAB
from flowbench.ui.theme import Theme

pytestmark = [pytest.mark.ui, pytest.mark.slow]

EXPECTED = {  # name -> (live, draft, approval)
    "Order delivered feedback": (1, None, ""),
    "Payment failed reminder": (2, None, ""),
    "Spring promotion": (None, 1, "awaiting 0/2"),
    "Welcome series": (1, 2, "awaiting 0/2"),
    "Win-back offer": (None, 1, "awaiting 1/2"),
}


def test_the_welcome_dialog_opens_a_sample_workspace(qtbot: QtBot, shell: Any,
                                                      tmp_path: Path) -> None:
    mine = tmp_path / "mine.flowbench"
    shell.controller.sample_location = tmp_path / "sample.flowbench"
    shell.start(mine)
    welcome: WelcomeDialog = shell.dialog(WelcomeDialog)
    try:
        qtbot.mouseClick(welcome.sample_button, Qt.MouseButton.LeftButton)
    finally:
        if welcome.isVisible():
            welcome.reject()
    # hashing a dozen members' passwords (argon2) takes long on a busy machine
    qtbot.waitUntil(lambda: shell.controller.task is not None
                    and not shell.controller.task.running, timeout=180_000)
    accounts: SampleAccountsDialog = shell.dialog(SampleAccountsDialog)
    try:
        table = accounts.table
        shown = {table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 4).text())
                 for r in range(table.rowCount())}
        assert {role for role, _ in shown.values()} == {"Owner", "Admin", "Publisher",
                                                         "Editor", "Viewer"}
        assert all(len(password) >= 8 for _, password in shown.values())
        viewer_row = [r for r in range(table.rowCount())
                      if table.item(r, 2).text() == "Viewer"][0]
        rect = table.visualRect(table.model().index(viewer_row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseClick(accounts.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.session.signed_in)
    finally:
        if accounts.isVisible():
            accounts.reject()
    shell.wait_for_flow_list()
    assert shell.session.location == str(tmp_path / "sample.flowbench")
    assert shell.window.role_label.text() == "Role: Viewer"
    assert shell.window.workspace_label.text() == "Workspace: Northwind Coffee (sample)"
    listed = {f.name: (f.live_version, f.draft_version, f.approval_state)
              for f in flows.list_flows()}
    assert listed == EXPECTED
    assert sorted(shell.flow_names()) == sorted(EXPECTED)
    assert not shell.window.menu_actions.new_flow.isEnabled()
    figures = runtime_status.runtime_status("Payment failed reminder")["versions"]
    assert [v["instances"]["running"] for v in figures] == [0, 3]  # Version 1 still runs
    actions = shell.window.menu_actions
    shell.click_menu(actions.file_menu, actions.sign_out)
    shell.dialog(SignInDialog).reject()
    page = shell.window.signed_out  # no offer to explore the sample while it is open
    assert page.isVisible() and page.sign_in_button.isVisible()
    assert not page.sample_button.isVisible()
    shell.session.close_workspace()
    open_workspace(mine)  # the member's own workspace was left alone
    assert not is_initialised()
    close_workspace()


def test_screenshots_of_the_main_screens(qtbot: QtBot, shell: Any, tmp_path: Path,
                                         screenshots: Callable[[QWidget, str], Path]) -> None:
    path = tmp_path / "sample.flowbench"
    sample.open_sample_workspace(path)
    close_workspace()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Theme(app).apply(dark=False)  # the look of the real app (undone at the end)
    try:
        _take_screenshots(qtbot, shell, path, screenshots)
    finally:
        app.setStyleSheet("")


def _take_screenshots(qtbot: QtBot, shell: Any, path: Path,
                      screenshots: Callable[[QWidget, str], Path]) -> None:
    saved = []
    welcome = WelcomeDialog("~/.local/share/Flowbench/workspace.flowbench", shell.window)
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitExposed(welcome)
    for field, text in ((welcome.workspace_name, "Production"),
                        (welcome.owner_name, "Olivia Owens"),
                        (welcome.email, "olivia@northwind.example"),
                        (welcome.password, "a long passphrase"),
                        (welcome.repeat, "a long passphrase")):
        qtbot.keyClicks(field, text)
    saved.append(screenshots(welcome, "welcome"))
    welcome.close()

    shell.start(path)
    dialog: SignInDialog = shell.dialog(SignInDialog)
    try:
        qtbot.keyClicks(dialog.email, "eddie@northwind.example")
        saved.append(screenshots(dialog, "sign_in"))
    finally:
        dialog.reject()
    shell.window.menu_actions.sign_in.trigger()
    shell.sign_in("eddie@northwind.example", "sample-editor")
    at_first_run_size(shell.window)  # as a new user first sees it
    shell.click_flow("Welcome series")
    qtbot.wait(50)
    saved.append(screenshots(shell.window, "main_window"))
    shell.click_flow("Payment failed reminder")
    shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
    qtbot.wait(50)
    saved.append(screenshots(shell.window, "versions_tab"))
    for png in saved:
        assert png.stat().st_size < 200_000, f"{png.name} is too big for the README"
