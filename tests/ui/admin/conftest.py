"""The workspace the Members and Settings window tests work on (Owner, Admin, Editor,
Viewer; one group Legal) and the window opened as one of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from admin_support import PASSWORD
from pytestqt.qtbot import QtBot

from flowbench.services import members, workspace
from flowbench.services.context import Actor
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.admin.members_window import MembersAndSettingsWindow
from flowbench.ui.session import AppSession


@pytest.fixture(autouse=True)
def _each_password_hashed_once(fast_hashing: None) -> None:
    """argon2id is slow on purpose: see ``fast_hashing`` in tests/conftest.py."""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Actor]]:
    """An open workspace: Owner, Admin, Editor, Viewer; one group Legal."""
    open_workspace(tmp_path / "admin.flowbench")
    try:
        owner = workspace.create_workspace("Acme Production", "owner@example.com", "Olivia",
                                           PASSWORD)
        cast = {"owner": owner}
        for role, email, name in (("admin", "ada@example.com", "Ada"),
                                  ("editor", "ed@example.com", "Ed"),
                                  ("viewer", "vi@example.com", "Vi")):
            info = members.add_member(owner, email, name, role, PASSWORD)
            cast[role] = Actor(info.id, info.email, info.name, info.role)
        members.add_group(owner, "Legal")
        members.add_group_member(owner, "Legal", "ed@example.com")
        yield cast
    finally:
        close_workspace()


@pytest.fixture
def open_as(qtbot: QtBot, prompts, world) -> Callable[[str], MembersAndSettingsWindow]:
    def make(role: str) -> MembersAndSettingsWindow:
        session = AppSession()
        session.sign_in(world[role])
        window = MembersAndSettingsWindow(session, prompts)
        qtbot.addWidget(window)
        window.show()
        return window

    return make
