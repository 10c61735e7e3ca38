"""The sample workspace's sign-in dialog shows its demo accounts every time it is shown —
after Sign Out and at the next start too — and choosing one signs in with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.services.sample_content import OWNER, WORKSPACE_NAME
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.dialogs.sign_in import SignInDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def small_sample(tmp_path: Path) -> Path:
    """A workspace that is the sample as far as signing in goes: its name, its Owner
    (the full sample hashes a dozen passwords, which is slow)."""
    path = tmp_path / "sample.flowbench"
    open_workspace(path)
    try:
        create_workspace(WORKSPACE_NAME, OWNER.email, OWNER.name, OWNER.password)
    finally:
        close_workspace()
    return path


def demo_rows(dialog: SignInDialog) -> list[tuple[str, str, str]]:
    table = dialog.demo_table
    assert table is not None and table.isVisible()
    return [tuple(table.item(row, column).text() for column in range(3))  # type: ignore[misc]
            for row in range(table.rowCount())]


def test_the_demo_accounts_are_shown_again_after_sign_out(
        qtbot: QtBot, shell: Any, small_sample: Path) -> None:
    shell.start(small_sample)
    dialog: SignInDialog = shell.dialog(SignInDialog)
    try:
        assert demo_rows(dialog) == [(OWNER.email, "Owner", OWNER.password)]
        table = dialog.demo_table
        assert table is not None
        rect = table.visualRect(table.model().index(0, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert (dialog.email.text(), dialog.password.text()) == (OWNER.email, OWNER.password)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shell.session.signed_in)
    finally:
        if dialog.isVisible():
            dialog.reject()
    shell.window.menu_actions.sign_out.trigger()
    again: SignInDialog = shell.dialog(SignInDialog)
    try:
        assert again is not dialog
        assert demo_rows(again) == [(OWNER.email, "Owner", OWNER.password)]
    finally:
        again.reject()


def test_an_ordinary_workspace_shows_no_demo_accounts(
        qtbot: QtBot, shell: Any, made_workspace: Any) -> None:
    shell.start(made_workspace())
    dialog: SignInDialog = shell.dialog(SignInDialog)
    try:
        assert dialog.demo_table is None
    finally:
        dialog.reject()
