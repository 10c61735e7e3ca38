"""File → Open Team Workspace: the address, the password prompt, and others' changes
showing up. The server is stood in for (a workspace file behind a postgresql:// name):
what is tested is what the window does with the answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from flowbench.domain.errors import PasswordRequired
from flowbench.services import flows
from flowbench.store import connection

pytestmark = pytest.mark.ui

ADDRESS = "postgresql://ana@db.example.com:5432/flowbench"


@pytest.fixture
def team_server(made_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch):
    """``ADDRESS`` opens a workspace file, but only with the password "s3cret"."""
    path = made_workspace()
    tried: list[str | None] = []
    real_open = connection.open_workspace

    def open_workspace(location, *, password=None, create=False):
        if str(location) != ADDRESS:
            return real_open(location, password=password, create=create)
        tried.append(password)
        if password != "s3cret":
            raise PasswordRequired("The team workspace ana@db.example.com:5432/flowbench "
                                   "needs a password.")
        opened = real_open(path)
        opened.location = ADDRESS
        monkeypatch.setattr(type(opened), "is_team", property(lambda self: True))
        return opened

    monkeypatch.setattr(connection, "open_workspace", open_workspace)
    return tried


def test_open_team_workspace_asks_for_the_address_and_password(shell, team_server) -> None:
    shell.prompts.texts = [ADDRESS, "wrong", "s3cret"]
    shell.controller.open_team_workspace.trigger()

    assert team_server == [None, "wrong", "s3cret"]
    assert shell.session.location == ADDRESS
    labels = [label for _, label in shell.prompts.asked]
    assert any("postgresql://USER@HOST:PORT/DATABASE" in label for label in labels)
    assert sum("Password for " + ADDRESS in label for label in labels) == 2
    assert shell.controller.open_team_workspace.text() == "Open &Team Workspace…"
    assert shell.controller.open_team_workspace in shell.window.menu_actions.file_menu.actions()


def test_cancelling_the_password_opens_nothing(shell, team_server) -> None:
    shell.prompts.texts = [ADDRESS, None]
    shell.controller.open_team_workspace.trigger()

    assert team_server == [None]
    assert shell.session.location != ADDRESS
    assert shell.prompts.errors == []  # a cancel is not an error


def test_an_address_that_is_not_a_server_is_explained(shell, team_server) -> None:
    shell.prompts.texts = ["/tmp/some.flowbench"]
    shell.controller.open_team_workspace.trigger()
    assert team_server == []
    assert "starts with postgresql://" in shell.prompts.errors[-1][1]


def test_changes_made_by_another_member_show_in_the_flow_list(shell, team_server) -> None:
    shell.prompts.texts = ["s3cret"]
    shell.start(ADDRESS)
    shell.sign_in()
    assert shell.session.watch_timer.isActive()
    before = shell.flow_names()

    # another member, elsewhere, adds a flow (here: straight through the services)
    flows.create_flow(shell.session.actor, "Made elsewhere")
    assert shell.flow_names() == before  # nothing told this window yet

    assert shell.session.check_remote_changes()  # what the timer and focus-in do
    shell.qtbot.waitUntil(lambda: "Made elsewhere" in shell.flow_names())
    assert not shell.session.check_remote_changes()  # nothing new since


def test_coming_back_to_flowbench_shows_changes_made_meanwhile(shell, team_server) -> None:
    shell.prompts.texts = ["s3cret"]
    shell.start(ADDRESS)
    shell.sign_in()
    flows.create_flow(shell.session.actor, "Made while away")
    app = QGuiApplication.instance()
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert "Made while away" not in shell.flow_names()

    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)  # back in front
    shell.qtbot.waitUntil(lambda: "Made while away" in shell.flow_names())


def test_a_server_gone_mid_edit_keeps_the_unsaved_edit(qtbot, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QObject, Qt, Signal

    from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
    from flowbench.domain.errors import ServerUnavailable
    from flowbench.services import drafts
    from flowbench.services.workspace import create_workspace
    from flowbench.ui.edit.edit_tab import EditTab

    class Session(QObject):
        changed = Signal()

        def __init__(self, actor) -> None:
            super().__init__()
            self.actor = actor

    class Prompts:
        told: list[tuple[str, str]] = []

        def confirm(self, parent, title, text) -> bool:
            return False

        def inform(self, parent, title, text) -> None:
            self.told.append((title, text))

    connection.open_workspace(tmp_path / "ws.flowbench")
    try:
        owner = create_workspace("Team", "olive@example.com", "Olive", "correct horse 1")
        card = Step("card_1", "send_card", title="Hello", body="Welcome",
                    buttons=(Button("OK", "submit"),), priority=5)
        flow = flows.create_flow(owner, "Shared", FlowDefinition(
            trigger=Trigger("api_event", event="signup"), steps=(card,)))
        prompts = Prompts()
        tab = EditTab(Session(owner), prompts=prompts)
        qtbot.addWidget(tab)
        tab.show()
        qtbot.waitExposed(tab)
        tab.show_flow(flow.id)
        title = tab.step_form.pages["send_card"].title
        title.setFocus()
        qtbot.keyClick(title, Qt.Key.Key_End)
        qtbot.keyClicks(title, " team")

        def server_gone(*args, **kwargs):
            raise ServerUnavailable("The connection to the team workspace server "
                                    "ana@db:5432/flowbench was lost (server closed the "
                                    "connection unexpectedly). The last change was not "
                                    "saved; your unsaved edits are kept — try again when "
                                    "the server is back.")

        real_save = drafts.save_draft
        monkeypatch.setattr(drafts, "save_draft", server_gone)
        assert not tab.save()
        (heading, text), = prompts.told
        assert heading == "Not saved" and "was lost" in text
        assert tab.has_unsaved_changes() and title.text() == "Hello team"

        monkeypatch.setattr(drafts, "save_draft", real_save)  # the server is back
        assert tab.save()
        assert drafts.open_flow(flow.id).definition.step("card_1").title == "Hello team"
    finally:
        connection.close_workspace()
