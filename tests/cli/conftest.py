"""Command-line tests: ``flowbench.cli.main`` run in-process on copies of a template.

The template workspace (built once per session through the services, because hashing a
password costs tens of milliseconds) holds one member of every built-in role and the
approval groups Legal and Marketing; approvals are off. Everybody's password is
``PASSWORD``; ``run`` hands it over through ``$FLOWBENCH_PASSWORD``.

========  ==================  ===============
role      email               approval groups
========  ==================  ===============
owner     olive@example.com   –
admin     ada@example.com     –
publisher pat@example.com     Marketing
editor    ed@example.com      Legal
viewer    vi@example.com      Legal
========  ==================  ===============
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import Outcome, assert_refused, remember_hashing
from workspaces import (
    Location,
    all_rows,
    make_template,
)

from flowbench.cli import main
from flowbench.services import members, workspace
from flowbench.store.connection import close_workspace, open_workspace

PASSWORD = "correct horse battery"
EMAILS = {
    "owner": "olive@example.com",
    "admin": "ada@example.com",
    "publisher": "pat@example.com",
    "editor": "ed@example.com",
    "viewer": "vi@example.com",
}
PEOPLE = (("admin", "Ada", ()), ("publisher", "Pat", ("Marketing",)),
          ("editor", "Ed", ("Legal",)), ("viewer", "Vi", ("Legal",)))


def flow_document(name: str = "Welcome series", *, title: str = "Welcome!",
                  wait: str = "P2D", **top: Any) -> dict[str, Any]:
    """The issue's example flow file as a dict (valid: no validation errors)."""
    document: dict[str, Any] = {
        "format": "flowbench.flow", "format_version": 1,
        "name": name, "description": "optional",
        "trigger": {"kind": "api_event", "event": "signup_completed"},
        "steps": [
            {"id": "welcome", "kind": "send_card", "title": title,
             "body": "Let's get you set up.",
             "buttons": [{"label": "Start", "action": "submit"},
                         {"label": "Docs", "action": "link", "url": "https://example.com"}],
             "expires_after": "P7D", "priority": 5},
            {"id": "ping", "kind": "send_push", "parent": "welcome", "title": "New card",
             "body": "Open the app", "card": "welcome"},
            {"id": "wait", "kind": "wait_card_action", "parent": "welcome",
             "card": "welcome", "action": "submitted", "timeout": "P3D"},
            {"id": "nudge", "kind": "send_push", "parent": "wait", "path": "otherwise",
             "title": "Still there?", "body": "Your workspace is waiting"},
            {"id": "later", "kind": "wait_duration", "parent": "welcome", "duration": wait},
        ]}
    document.update(top)
    return document


@pytest.fixture(autouse=True)
def remembered_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    remember_hashing(monkeypatch)


@pytest.fixture(scope="session")
def template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Location, None]:
    with pytest.MonkeyPatch.context() as patch:
        remember_hashing(patch)
        location, _ = make_template(backend, tmp_path_factory.mktemp("cli-template"),
                                    _build_template)
    return location, None


def _build_template(path: Location) -> None:
    open_workspace(path)
    try:
        owner = workspace.create_workspace("Production", EMAILS["owner"], "Olive", PASSWORD)
        for group in ("Legal", "Marketing"):
            members.add_group(owner, group)
        for role, name, groups in PEOPLE:
            members.add_member(owner, EMAILS[role], name, role, PASSWORD)
            for group in groups:
                members.add_group_member(owner, group, EMAILS[role])
    finally:
        close_workspace()


Run = Callable[..., Outcome]


@pytest.fixture
def run(ws_path: Location, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """``run("flows", "list", as_="owner")``: the exit code and what was printed.

    ``as_`` is a role of the template (or an email); ``workspace=None`` leaves the
    option out. The workspace is always closed afterwards, as after a real process.
    """
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    monkeypatch.delenv("FLOWBENCH_WORKSPACE", raising=False)

    def invoke(*args: str, as_: str | None = None,
               workspace: Path | None | str = "default") -> Outcome:
        argv: list[str] = []
        if workspace == "default":
            argv += ["--workspace", str(ws_path)]
        elif workspace is not None:
            argv += ["--workspace", str(workspace)]
        if as_ is not None:
            argv += ["--as", EMAILS.get(as_, as_)]
        capsys.readouterr()
        code = main([*argv, *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    yield invoke
    close_workspace()


@pytest.fixture
def flow_file(tmp_path: Path) -> Callable[..., Path]:
    """``flow_file(document_or_text, name="f.json")``: write a flow file, return its path."""
    counter = iter(range(1, 10_000))

    def write(content: dict[str, Any] | str | bytes | None = None, **options: Any) -> Path:
        path = tmp_path / f"flow{next(counter)}.json"
        if content is None:
            content = flow_document(**options)
        if isinstance(content, dict):
            content = json.dumps(content, indent=2)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def db_rows(ws_path: Location) -> Callable[[], dict[str, list[tuple[object, ...]]]]:
    """Every row of the workspace's tables, read without Flowbench (for "unchanged")."""
    def read() -> dict[str, list[tuple[object, ...]]]:
        return all_rows(ws_path)

    return read


@pytest.fixture
def refused() -> Callable[..., None]:
    return assert_refused


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    return flow_document
