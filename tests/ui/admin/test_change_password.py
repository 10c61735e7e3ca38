"""Changing one's own password from the Workspace menu; a refused change says why and
keeps the old password."""

from __future__ import annotations

import pytest
from admin_support import PASSWORD
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flowbench.services import workspace
from flowbench.ui.admin import AdminWindows
from flowbench.ui.session import AppSession


@pytest.mark.parametrize("current, new, again, says", [
    ("wrong password", "a new passphrase", "a new passphrase", "The current password is wrong."),
    (PASSWORD, "a new passphrase", "a new passfrase", "The two new passwords differ"),
    (PASSWORD, "short", "short", "at least 8 characters"),
    (PASSWORD, PASSWORD, PASSWORD, "the same as the current one"),
])
def test_a_refused_password_change_says_why_and_keeps_the_old_one(
        qtbot, prompts, world, current: str, new: str, again: str, says: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    session = AppSession()
    session.sign_in(world["editor"])
    dialog = AdminWindows(session, prompts, parent).open_change_password()
    assert dialog is not None
    try:
        for field, text in ((dialog.current, current), (dialog.new, new),
                            (dialog.repeat, again)):
            qtbot.keyClicks(field, text)
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and says in dialog.error.text()
    finally:
        dialog.close()
    assert workspace.sign_in("ed@example.com", PASSWORD).email == "ed@example.com"


def test_a_member_changes_their_password_from_the_workspace_menu(shell,
                                                                  made_workspace) -> None:
    from flowbench.ui.admin.change_password_dialog import ChangePasswordDialog

    shell.start(made_workspace(viewer=True))
    shell.sign_in("vi@example.com")
    actions = shell.window.menu_actions
    shell.click_menu(actions.workspace_menu, actions.change_password)
    shell.qtbot.waitUntil(lambda: isinstance(shell.window.admin.password,
                                             ChangePasswordDialog))
    dialog = shell.window.admin.password
    try:
        shell.qtbot.keyClicks(dialog.current, PASSWORD)
        shell.qtbot.keyClicks(dialog.new, "my own passphrase")
        shell.qtbot.keyClicks(dialog.repeat, "my own passphrase")
        shell.qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
        shell.qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        dialog.close()
    assert shell.window.statusBar().currentMessage() == "Your password was changed."
    assert workspace.sign_in("vi@example.com", "my own passphrase").email == "vi@example.com"
