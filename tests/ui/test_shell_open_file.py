"""``flowbench FILE.flowbench.json``, as the desktop runs it when a flow file is
double-clicked: the window opens, someone signs in, and the flow is imported and shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from flowbench.app import gui_arguments
from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.services import flow_files, flows
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace

pytestmark = pytest.mark.ui
DEFINITION = FlowDefinition(trigger=Trigger("api_event", event="trial.started"), steps=(
    Step("hello", "send_push", title="Welcome", body="Your trial has started."),))


def flow_file(tmp_path: Path, name: str = "Trial welcome") -> Path:
    """A flow file written by another workspace (as a colleague would send it)."""
    open_workspace(tmp_path / "colleague.flowbench")
    try:
        owner = create_workspace("Elsewhere", "col@example.com", "Colleague", "pass word 12")
        created = flows.create_flow(owner, name, DEFINITION)
        text = flow_files.export_flow(created.id)
    finally:
        close_workspace()
    path = tmp_path / "trial-welcome.flowbench.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_flow_file_on_the_command_line_starts_the_window() -> None:
    assert gui_arguments(["/home/me/Trial welcome.flowbench.json"]) == (
        None, [], "/home/me/Trial welcome.flowbench.json")
    assert gui_arguments(["--workspace", "team.flowbench", "x.flowbench.json"]) == (
        "team.flowbench", [], "x.flowbench.json")
    assert gui_arguments(["a.flowbench.json", "b.flowbench.json"]) is None  # one at a time
    assert gui_arguments(["flows", "import", "a.flowbench.json"]) is None  # a command


def test_the_flow_file_is_imported_and_shown_after_sign_in(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path],
        tmp_path: Path) -> None:
    path = flow_file(tmp_path)
    workspace = made_workspace()

    shell.controller.start(str(workspace), str(path))
    qtbot.waitExposed(shell.window)
    assert shell.flow_names() == []  # nothing is imported before someone signs in
    shell.sign_in()

    window = shell.window
    qtbot.waitUntil(lambda: "Trial welcome" in shell.flow_names(), timeout=10_000)
    qtbot.waitUntil(lambda: window.edit_tab.current_flow() == window.current_flow())
    assert window.flow_list.summary(window.current_flow()).name == "Trial welcome"
    assert window.edit_tab.flow_form.name.text() == "Trial welcome"
    assert [step.id for step in window.edit_tab.editor.definition.steps] == ["hello"]
    assert shell.controller.pending_flow_file is None
    assert shell.prompts.errors == []


def test_a_flow_file_opened_while_signed_in_is_imported_at_once(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path],
        tmp_path: Path) -> None:
    """macOS hands a double-clicked file to the running app (a FileOpen event)."""
    path = flow_file(tmp_path, "Second welcome")
    shell.start(made_workspace())
    shell.sign_in()

    shell.controller.open_flow_file(path)

    qtbot.waitUntil(lambda: shell.flow_names() == ["Second welcome"], timeout=10_000)
    qtbot.waitUntil(lambda: shell.window.edit_tab.flow_form.name.text() == "Second welcome")


def test_a_broken_flow_file_is_explained_and_nothing_imported(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path],
        tmp_path: Path) -> None:
    broken = tmp_path / "broken.flowbench.json"
    broken.write_text('{"format": "flowbench-flow", "steps": [', encoding="utf-8")
    shell.controller.start(str(made_workspace()), str(broken))
    shell.sign_in()

    qtbot.waitUntil(lambda: bool(shell.prompts.errors), timeout=10_000)
    title, text = shell.prompts.errors[0]
    assert title == "Flow not imported"
    assert text.startswith("broken.flowbench.json was not imported; nothing was changed.")
    assert shell.flow_names() == []


def test_a_macos_file_open_event_reaches_the_controller(qtbot: QtBot) -> None:
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QFileOpenEvent

    from flowbench.ui.launch import FileOpenFilter

    opened: list[str] = []
    owner = QObject()
    handler = FileOpenFilter(opened.append, owner)

    assert handler.eventFilter(owner, QFileOpenEvent("/tmp/welcome.flowbench.json"))
    assert opened == ["/tmp/welcome.flowbench.json"]
