"""Start-up as a member meets it: the first-run welcome, signing in (a wrong password
refused), signing out, refused workspace files, and what a Viewer may do."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.services import flows
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog

pytestmark = pytest.mark.ui
OWNER = "owner@example.com"
PASSWORD = "correct horse 1"


def test_first_run_creates_the_workspace_and_its_owner(qtbot: QtBot, shell: Any,
                                                        tmp_path: Path) -> None:
    shell.start(tmp_path / "first.flowbench")
    dialog: WelcomeDialog = shell.dialog(WelcomeDialog)
    try:
        assert shell.window.isVisible()  # the window is up before the question
        qtbot.keyClicks(dialog.workspace_name, "Acme Production")
        qtbot.keyClick(dialog.workspace_name, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.owner_name  # tab order follows the form
        qtbot.keyClicks(dialog.owner_name, "Olivia Owner")
        qtbot.keyClicks(dialog.email, OWNER)
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClicks(dialog.repeat, "correct horse 2")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and not shell.session.signed_in
        assert "differ" in dialog.error.text() and dialog.error.isVisible()

        dialog.repeat.clear()
        qtbot.keyClicks(dialog.repeat, PASSWORD)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.session.signed_in)
    finally:
        if dialog.isVisible():
            dialog.reject()
    shell.wait_for_flow_list()
    window = shell.window
    assert window.member_label.text() == "Member: Olivia Owner"
    assert window.role_label.text() == "Role: Owner"
    assert window.workspace_label.text() == "Workspace: Acme Production"
    # the workspace, then the app, as desktop windows name a document (ending with the
    # app, Qt adds no second "— Flowbench" to it on Linux and Windows)
    assert window.windowHandle().title() == "Acme Production — Flowbench"
    assert window.flow_list.count.text() == "No flows yet"
    assert window.menu_actions.new_flow.isEnabled()


def test_a_wrong_password_is_refused_and_the_right_one_accepted(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    dialog: SignInDialog = shell.dialog(SignInDialog)
    try:
        qtbot.keyClicks(dialog.email, OWNER)
        qtbot.keyClicks(dialog.password, "wrong password")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and not shell.session.signed_in
        assert dialog.error.text() == "Wrong email or password."
        assert dialog.password.hasSelectedText()  # ready to type it again

        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: shell.session.signed_in)
        assert not dialog.isVisible()
    finally:
        if dialog.isVisible():
            dialog.reject()
    assert shell.session.actor.email == OWNER
    assert shell.window.member_label.text() == "Member: Olivia Owner"
    assert shell.settings.last_email == OWNER


def test_sign_out_asks_again_with_the_last_email_filled_in(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    actions = shell.window.menu_actions
    assert actions.sign_out.isVisible() and not actions.sign_in.isVisible()
    shell.click_menu(actions.file_menu, actions.sign_out)
    assert not shell.session.signed_in
    assert shell.window.member_label.text() == "Not signed in"
    dialog: SignInDialog = shell.dialog(SignInDialog)
    try:
        assert dialog.email.text() == OWNER
        assert "Acme Production" in dialog.where.text()
    finally:
        dialog.reject()
    assert shell.window.pages.currentWidget() is shell.window.signed_out
    assert actions.sign_in.isVisible() and actions.sign_in.isEnabled()
    page = shell.window.signed_out  # its texts centred (set by name: see signed_out_page)
    assert page.heading.alignment() == Qt.AlignmentFlag.AlignCenter
    assert page.status.alignment() == Qt.AlignmentFlag.AlignCenter
    assert page.sample_button.isVisible()  # not the sample: it may be explored


def test_the_window_names_the_workspace_the_same_before_and_after_signing_in(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    """The title and status bar name the open workspace by its name from the moment it
    opens — not by its file name until someone signs in."""
    shell.start(made_workspace())
    shell.dialog(SignInDialog)
    window = shell.window
    named = ("Workspace: Acme Production", "Acme Production — Flowbench")
    assert (window.workspace_label.text(), window.windowHandle().title()) == named
    shell.sign_in()
    assert (window.workspace_label.text(), window.windowHandle().title()) == named
    shell.click_menu(window.menu_actions.file_menu, window.menu_actions.sign_out)
    shell.dialog(SignInDialog).reject()
    assert (window.workspace_label.text(), window.windowHandle().title()) == named


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"name,email\nOlivia,olivia@example.com\n")


def _damaged(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)


def _from_the_future(path: Path) -> None:
    open_workspace(path)
    close_workspace()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE flowbench_meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()


@pytest.mark.parametrize(("make", "expected"), [
    (_not_a_database, "not a Flowbench workspace"),
    (_damaged, "damaged"),
    (_from_the_future, "newer Flowbench"),
])
def test_a_refused_workspace_is_explained_and_left_untouched(
        shell: Any, made_workspace: Callable[..., Path], tmp_path: Path,
        make: Callable[[Path], None], expected: str) -> None:
    home = made_workspace()
    shell.start(home)
    shell.sign_in()
    refused = tmp_path / "other" / "refused.flowbench"
    refused.parent.mkdir()
    make(refused)
    before = hashlib.sha256(refused.read_bytes()).hexdigest()
    siblings = sorted(p.name for p in refused.parent.iterdir())

    shell.prompts.files.append(refused)
    shell.shortcut(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File → Open Workspace

    assert shell.prompts.asked[-1][0] == "Open Workspace"
    title, text = shell.prompts.errors[-1]
    assert title == "Workspace not opened" and expected in text
    assert hashlib.sha256(refused.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in refused.parent.iterdir()) == siblings  # no -wal, no backup
    # the workspace that was open stays open, and the member signed in
    assert shell.session.signed_in and shell.session.location == str(home)
    assert flows.list_flows() == []
    assert str(refused) not in shell.settings.recent_workspaces()


def test_recent_workspaces_are_listed_and_reopen(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    first = made_workspace(name="first.flowbench")
    second = made_workspace(name="second.flowbench")
    shell.start(first)
    shell.sign_in()
    shell.prompts.files.append(second)
    shell.shortcut(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    shell.sign_in()
    assert shell.session.location == str(second)
    actions = shell.window.menu_actions
    actions.fill_recent(shell.settings.recent_workspaces(), shell.session.location)
    entries = {a.text(): a for a in actions.recent_menu.actions()}
    assert list(entries) == ["second.flowbench", "first.flowbench"]
    assert entries["second.flowbench"].isChecked()
    entries["first.flowbench"].trigger()
    shell.sign_in()
    assert shell.session.location == str(first)


def test_a_viewer_sees_everything_read_only(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    path = made_workspace(viewer=True)
    open_workspace(path)
    flows.create_flow(sign_in(OWNER, PASSWORD), "Welcome series")
    close_workspace()
    shell.start(path)
    shell.sign_in("vi@example.com")
    actions = shell.window.menu_actions
    assert shell.window.role_label.text() == "Role: Viewer"
    assert not actions.new_flow.isEnabled()
    assert not actions.import_flow.isEnabled()
    shell.shortcut(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert shell.prompts.asked == []  # Ctrl+N did not even ask for a name
    shell.click_flow("Welcome series")
    assert actions.export_flow.isEnabled()  # looking and exporting are fine
    versions = shell.window.versions_tab
    assert not versions.restore_button.isEnabled()
    assert "Viewer" in versions.reason.text()
