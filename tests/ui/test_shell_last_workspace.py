"""The last workspace comes back at start: the most recent one that still opens; a
missing one is said and dropped from Recent Workspaces; the first-run welcome only when
there is nothing to open; ``--workspace`` still wins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def own_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default workspace file lives in this test's own data folder."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("FLOWBENCH_WORKSPACE", raising=False)
    return data


def start_without_arguments(shell: Any) -> None:
    shell.controller.start(None)
    shell.qtbot.waitExposed(shell.window)


def signed_in_then_new_workspace(shell: Any, made_workspace: Callable[..., Path],
                                 tmp_path: Path) -> tuple[Path, Path, WelcomeDialog]:
    """Signed in to first.flowbench, File → New Workspace… named "Second team": the first
    file, the new one and its welcome dialog."""
    first = made_workspace(name="first.flowbench")
    shell.start(first)
    shell.sign_in()
    shell.prompts.files = [tmp_path / "Second team"]
    shell.window.menu_actions.new_workspace.trigger()
    return first, tmp_path / "Second team.flowbench", shell.dialog(WelcomeDialog)


def create_in(shell: Any, dialog: WelcomeDialog, name: str, owner: str, email: str) -> None:
    """Fill in the welcome dialog and create the workspace; wait until signed in."""
    qtbot = shell.qtbot
    qtbot.keyClicks(dialog.workspace_name, name)
    qtbot.keyClicks(dialog.owner_name, owner)
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClicks(dialog.password, "correct horse 2")
    qtbot.keyClicks(dialog.repeat, "correct horse 2")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: shell.session.signed_in)


def test_a_start_reopens_the_last_workspace_not_the_empty_default(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    older = made_workspace(name="older.flowbench")
    last = made_workspace(name="last.flowbench")
    shell.settings.add_recent(str(older))
    shell.settings.add_recent(str(last))
    start_without_arguments(shell)
    dialog = shell.dialog(SignInDialog)  # not the first-run welcome
    dialog.close()
    assert shell.session.location == str(last)
    assert shell.prompts.informed == []


def test_a_missing_workspace_is_said_dropped_and_the_next_one_opens(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path], tmp_path: Path) -> None:
    still_there = made_workspace(name="still.flowbench")
    gone = tmp_path / "moved-away.flowbench"
    shell.settings.add_recent(str(still_there))
    shell.settings.add_recent(str(gone))
    start_without_arguments(shell)
    shell.dialog(SignInDialog).close()
    assert shell.session.location == str(still_there)
    [(title, text)] = shell.prompts.informed
    assert title == "Workspace not found"
    assert str(gone) in text and "removed from Recent Workspaces" in text
    assert shell.settings.recent_workspaces() == [str(still_there)]


def test_the_welcome_appears_only_when_there_is_nothing_to_open(
        qtbot: QtBot, shell: Any, tmp_path: Path, own_default_folder: Path) -> None:
    shell.settings.add_recent(str(tmp_path / "gone.flowbench"))
    start_without_arguments(shell)
    dialog = shell.dialog(WelcomeDialog)
    assert shell.session.location == dialog.location
    assert Path(dialog.location).is_relative_to(own_default_folder)
    assert shell.settings.recent_workspaces() == [dialog.location]


def test_workspace_given_at_start_still_wins(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    recent = made_workspace(name="recent.flowbench")
    asked = made_workspace(name="asked.flowbench")
    shell.settings.add_recent(str(recent))
    shell.start(asked)
    shell.dialog(SignInDialog).close()
    assert shell.session.location == str(asked)


def test_file_new_workspace_creates_a_file_and_welcomes_it(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path], tmp_path: Path) -> None:
    """File → New Workspace…: the file named (the suffix added) is created and the welcome
    dialog sets it up; the workspace that was open stays as it was."""
    from flowbench.services import opening

    first, created, dialog = signed_in_then_new_workspace(shell, made_workspace, tmp_path)
    assert dialog.location == str(created) and created.is_file()
    assert shell.prompts.asked[-1] == ("New Workspace", str(first.parent / "workspace.flowbench"))
    create_in(shell, dialog, "Second team", "Nina New", "nina@example.com")
    assert shell.session.location == str(created)
    assert shell.session.actor is not None and shell.session.actor.email == "nina@example.com"
    assert shell.settings.recent_workspaces()[:2] == [str(created), str(first)]
    opening.close_workspace()
    opening.open_workspace(first)  # untouched: still its own Owner
    from flowbench.services.workspace import sign_in

    assert sign_in("owner@example.com", "correct horse 1").email == "owner@example.com"


def test_file_new_workspace_never_replaces_a_file(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path], tmp_path: Path) -> None:
    first = made_workspace(name="first.flowbench")
    there = tmp_path / "notes.flowbench"
    there.write_bytes(b"somebody's file")
    shell.start(first)
    shell.sign_in()
    shell.prompts.files = [there]
    shell.window.menu_actions.new_workspace.trigger()
    [(title, text)] = shell.prompts.errors
    assert title == "Workspace not created" and "is there already" in text
    assert there.read_bytes() == b"somebody's file"
    assert shell.session.location == str(first) and shell.session.signed_in


def test_a_new_workspace_not_set_up_goes_and_the_one_before_comes_back(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path], tmp_path: Path) -> None:
    """File → New Workspace…, then Cancel on its welcome dialog: the file it created goes
    again (nothing was set up in it), so the same name can be chosen next time, and the
    workspace that was open before opens again."""
    first, created, dialog = signed_in_then_new_workspace(shell, made_workspace, tmp_path)
    assert created.is_file()
    messages: list[str] = []
    shell.window.statusBar().messageChanged.connect(messages.append)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not created.exists()
    assert not any(p.name.startswith("Second team") for p in tmp_path.iterdir())
    assert messages[0] == "Second team.flowbench was not set up, so it was removed."
    assert shell.settings.recent_workspaces() == [str(first)]
    shell.dialog(SignInDialog)  # the workspace before, to sign in to again
    assert shell.session.location == str(first)
    shell.sign_in()
    shell.prompts.files = [tmp_path / "Second team"]  # the same name is free again
    shell.window.menu_actions.new_workspace.trigger()
    assert shell.dialog(WelcomeDialog).location == str(created)
    assert shell.prompts.errors == []


def test_a_first_run_welcome_closed_leaves_no_file_and_offers_a_new_workspace(
        qtbot: QtBot, shell: Any, tmp_path: Path, own_default_folder: Path) -> None:
    start_without_arguments(shell)
    dialog = shell.dialog(WelcomeDialog)
    default = Path(dialog.location)
    dialog.cancel_button.click()
    assert not default.exists() and shell.session.location is None
    assert shell.settings.recent_workspaces() == []
    page = shell.window.signed_out
    assert shell.window.pages.currentWidget() is page and page.isVisible()
    assert page.status.text().startswith("No workspace is open. Create one,")
    assert page.new_button.isVisible() and not page.sign_in_button.isVisible()
    shell.prompts.files = [tmp_path / "Ours"]
    page.new_button.click()
    assert shell.prompts.asked[-1][0] == "New Workspace"
    assert shell.dialog(WelcomeDialog).location == str(tmp_path / "Ours.flowbench")


def test_a_new_workspace_opened_over_an_unset_one_takes_that_one_back_not_itself(
        qtbot: QtBot, shell: Any, tmp_path: Path, own_default_folder: Path) -> None:
    """New Workspace… chosen while the first run's welcome dialog is open: the first
    run's file, never set up, goes as the second opens — and closing the first's dialog
    on the way never takes the second file with it."""
    start_without_arguments(shell)
    default = Path(shell.dialog(WelcomeDialog).location)
    shell.prompts.files = [tmp_path / "Second"]
    shell.window.menu_actions.new_workspace.trigger()
    second = tmp_path / "Second.flowbench"
    dialog = shell.dialog(WelcomeDialog)
    assert dialog.location == str(second) and shell.session.location == str(second)
    assert second.is_file()
    create_in(shell, dialog, "Second", "Sid", "sid@example.com")
    assert shell.session.location == str(second)
    # the first run's file, left without being set up, went when the second opened
    assert not default.exists()
    assert shell.settings.recent_workspaces() == [str(second)]
