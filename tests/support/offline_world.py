"""Offline copies of a team workspace (tests/offline): the Acme cast and helpers.

The template team workspace "Acme" (built once per session through the services) has an
Owner, two Editors and a Publisher, and three flows: Alpha and Beta with drafts at
revision 1, Gamma published (Version 1 live, no draft). Everybody's password is PASSWORD.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cli_support import Outcome

from flowbench.cli import main
from flowbench.domain.definition import FlowDefinition
from flowbench.services import drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.store.connection import close_workspace, open_workspace

PASSWORD = "correct horse battery"
EMAILS = {"owner": "olive@example.com", "ed": "ed@example.com", "eve": "eve@example.com",
          "pat": "pat@example.com"}


def definition(title: str = "Welcome!", wait: str = "P2D", **extra: Any) -> FlowDefinition:
    """A valid flow: a card, and a wait under it."""
    steps = [{"id": "welcome", "kind": "send_card", "title": title, "body": "Hello",
              "buttons": [{"label": "Start", "action": "submit"}], "priority": 5},
             {"id": "later", "kind": "wait_duration", "parent": "welcome", "duration": wait}]
    steps += extra.pop("steps", [])
    return FlowDefinition.from_dict({"description": extra.get("description", ""),
                                     "trigger": {"kind": "api_event", "event": "signed_up"},
                                     "steps": steps})


def build_acme(url: Any) -> None:
    open_workspace(url)
    try:
        owner = workspace.create_workspace("Acme", EMAILS["owner"], "Olive", PASSWORD)
        members.add_member(owner, EMAILS["ed"], "Ed", "editor", PASSWORD)
        members.add_member(owner, EMAILS["eve"], "Eve", "editor", PASSWORD)
        members.add_member(owner, EMAILS["pat"], "Pat", "publisher", PASSWORD)
        members.add_group(owner, "Legal")
        for name in ("Alpha", "Beta", "Gamma"):
            flows.create_flow(owner, name, definition(f"{name} card"))
        publishing.publish_draft(owner, "Gamma")
    finally:
        close_workspace()


@contextmanager
def opened(location: str | Path, who: str = "ed") -> Iterator[Actor]:
    """The workspace open in this process, with ``who`` signed in."""
    open_workspace(location)
    try:
        yield workspace.sign_in(EMAILS[who], PASSWORD)
    finally:
        close_workspace()


def edit(actor: Actor, flow: str, new: FlowDefinition) -> drafts.FlowContent:
    """Save ``new`` as the next revision of the open workspace's draft (or live)."""
    seen = drafts.open_flow(flow)
    return drafts.save_draft(actor, flow, new, expected_version=seen.version,
                             expected_revision=seen.revision)


def cli(*args: str, who: str | None = "ed") -> Outcome:
    """``flowbench`` in this process; returns what it printed (captured by capsys)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    argv = [*args[:2], *(["--as", EMAILS[who]] if who else []), *args[2:]]
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    close_workspace()
    return Outcome(code, out.getvalue(), err.getvalue())
