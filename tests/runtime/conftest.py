"""Shared set-up of the runtime tests: scenario tests through the services, CLI tests.

A template workspace (members hashed with argon2 once per session) is copied per test:

=========  ===========  ==================
key        role         email
=========  ===========  ==================
owner      Owner        olive@example.com
publisher  Publisher    pat@example.com
editor     Editor       ed@example.com
viewer     Viewer       vi@example.com
=========  ===========  ==================

Its runtime clock starts at ``START`` (2027-01-15T08:00:00Z). Test modules are imported
in importlib mode and cannot import this file, so what they share comes as fixtures:
``cast``, ``world`` (a ``World``: flows, customers, segments and what the runtime did),
``run`` (the CLI in-process), ``db_rows`` and ``refused``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cli_support import Outcome, assert_refused, remember_hashing
from workspaces import (
    Location,
    all_rows,
    make_template,
)

from flowbench.cli import main
from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger, condition_from_dict
from flowbench.services import drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime import segments as runtime_segments
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace

PASSWORD = "correct horse battery"
START = 1_800_000_000
EMAILS = {"owner": "olive@example.com", "publisher": "pat@example.com",
          "editor": "ed@example.com", "viewer": "vi@example.com"}


@dataclass(frozen=True)
class Cast:
    owner: Actor
    publisher: Actor
    editor: Actor
    viewer: Actor


# --- password hashing: real results, remembered for the session ------------------------

@pytest.fixture(autouse=True)
def remembered_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    remember_hashing(monkeypatch)


def _build_template(path: Location) -> Cast:
    open_workspace(path)
    try:
        owner = workspace.create_workspace("Rehearsal", EMAILS["owner"], "Olive", PASSWORD)
        actors = {"owner": owner}
        for role, name in (("publisher", "Pat"), ("editor", "Ed"), ("viewer", "Vi")):
            info = members.add_member(owner, EMAILS[role], name, role, PASSWORD)
            actors[role] = Actor(info.id, info.email, info.name, info.role)
        models.RuntimeClock.create(now=START)
    finally:
        close_workspace()
    return Cast(**actors)


@pytest.fixture(scope="session")
def template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Location, Cast]:
    with pytest.MonkeyPatch.context() as patch:
        remember_hashing(patch)
        location, cast = make_template(backend, tmp_path_factory.mktemp("runtime-template"),
                                       _build_template)
        return location, cast


@pytest.fixture
def cast(template: tuple[Location, Cast], ws_path: Location) -> Iterator[Cast]:
    """The copied workspace, open for the test (service-level tests)."""
    open_workspace(ws_path)
    yield template[1]
    close_workspace()


# --- building flows ----------------------------------------------------------------------

def card(step_id: str, parent: str | None = None, *, title: str | None = None,
         expires: str | None = None, path: str | None = None) -> Step:
    return Step(step_id, "send_card", parent=parent, title=title or f"Card {step_id}",
                body="Hello", buttons=(Button("OK", "submit"),), expires_after=expires,
                priority=5, path=path)


def push(step_id: str, parent: str | None = None, *, link: str | None = None,
         path: str | None = None) -> Step:
    return Step(step_id, "send_push", parent=parent, title=f"Push {step_id}", body="Hi",
                card=link, path=path)


def split(step_id: str, parent: str | None, *conditions: dict[str, Any],
          match: str = "all", path: str | None = None) -> Step:
    return Step(step_id, "split", parent=parent, match=match, path=path,
                conditions=tuple(condition_from_dict(c) for c in conditions))


def wait(step_id: str, parent: str | None, duration: str) -> Step:
    return Step(step_id, "wait_duration", parent=parent, duration=duration)


def await_card(step_id: str, parent: str, card_step: str, action: str,
               timeout: str | None = None) -> Step:
    return Step(step_id, "wait_card_action", parent=parent, card=card_step, action=action,
                timeout=timeout)


class World:
    """Scenario building blocks, through the services as a member would use them."""

    card, push, wait, await_card, split = (staticmethod(card), staticmethod(push),
                                           staticmethod(wait), staticmethod(await_card),
                                           staticmethod(split))

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    # flows
    def flow(self, name: str, trigger: Trigger, *steps: Step, publish: bool = True) -> int:
        definition = FlowDefinition(trigger=trigger, steps=tuple(steps))
        summary = flows.create_flow(self.cast.owner, name, definition)
        if publish:
            publishing.publish_draft(self.cast.owner, summary.id)
        return summary.id

    def redraft(self, flow_id: int, *steps: Step) -> None:
        """Save a new draft with ``steps`` (same trigger)."""
        current = drafts.open_flow(flow_id)
        definition = current.definition.with_steps(steps)
        drafts.save_draft(self.cast.owner, flow_id, definition,
                          expected_version=current.version, expected_revision=current.revision)

    def on_event(self, name: str, event: str, *steps: Step) -> int:
        return self.flow(name, Trigger("api_event", event=event), *steps)

    def on_segment(self, name: str, segment: str, *steps: Step) -> int:
        return self.flow(name, Trigger("segment_entered", segment=segment), *steps)

    def manual(self, name: str, *steps: Step) -> int:
        return self.flow(name, Trigger("manual"), *steps)

    # data
    def customers(self, csv_text: str) -> runtime_customers.CustomerImport:
        return runtime_customers.import_customers_csv(self.cast.editor, csv_text, "c.csv")

    def segment(self, name: str, *conditions: dict[str, Any], match: str = "all") -> None:
        runtime_segments.import_segments_json(self.cast.editor, json.dumps(
            {"name": name, "match": match, "conditions": list(conditions)}), "s.json")

    def event(self, customer: str, event: str) -> runtime_events.EventsResult:
        return runtime_events.send_event(self.cast.editor, customer, event)

    def advance(self, duration: str) -> runtime_clock.ClockAdvanced:
        return runtime_clock.advance_clock(self.cast.editor, duration)

    def act(self, card_id: int, action: str) -> runtime_cards.CardInfo:
        return runtime_cards.act_on_card(self.cast.editor, card_id, action)

    # what happened
    def cards(self, customer: str | None = None) -> list[tuple[str, str, str]]:
        """(customer, step, status) of every card, oldest first."""
        return [(c.customer, c.step, c.status)
                for c in reversed(runtime_cards.list_cards(customer=customer))]

    def card_id(self, customer: str, step: str) -> int:
        return next(c.id for c in runtime_cards.list_cards(customer=customer)
                    if c.step == step)

    def instances(self) -> list[tuple[str, int, str, bool]]:
        """(customer, version, status, test) of every instance, oldest first."""
        query = (models.Instance.select(models.Customer.external_id, models.FlowVersion.number,
                                        models.Instance.status, models.Instance.is_test)
                 .join(models.Customer, on=(models.Instance.customer == models.Customer.id))
                 .switch(models.Instance)
                 .join(models.FlowVersion, on=(models.Instance.version == models.FlowVersion.id))
                 .order_by(models.Instance.id).tuples())
        return [(c, v, s, bool(t)) for c, v, s, t in query]

    def pushes(self) -> list[tuple[str, str, str | None]]:
        """(customer, step, linked card's step) of every push, oldest first."""
        rows = []
        for p in models.PushNotification.select().order_by(models.PushNotification.id):
            linked = models.Card.get_by_id(p.card_id).step_id if p.card_id else None
            rows.append((models.Customer.get_by_id(p.customer_id).external_id, p.step_id,
                         linked))
        return rows

    def pending(self) -> list[tuple[str, str]]:
        """(customer, step) of every pending branch."""
        return sorted((models.Customer.get_by_id(models.Instance.get_by_id(
            b.instance_id).customer_id).external_id, b.step_id)
            for b in models.PendingBranch.select())

    def now(self) -> int:
        return runtime_clock.show_clock().now


@pytest.fixture
def world(cast: Cast) -> World:
    return World(cast)


# --- the command line ------------------------------------------------------------------

@pytest.fixture
def run(ws_path: Location, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Outcome]]:
    """``run("clock", "show", as_="editor")``: exit code and output of one command."""
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    monkeypatch.delenv("FLOWBENCH_WORKSPACE", raising=False)

    def invoke(*args: str, as_: str | None = None) -> Outcome:
        argv = ["--workspace", str(ws_path)]
        if as_ is not None:
            argv += ["--as", EMAILS.get(as_, as_)]
        capsys.readouterr()
        code = main([*argv, *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    yield invoke
    close_workspace()


@pytest.fixture
def prepare(template: tuple[Location, Cast],
            ws_path: Location) -> Callable[[Callable[[World], Any]], Any]:
    """``prepare(lambda world: …)``: set the workspace up through the services, then close it
    (as another process would have left it) before the CLI runs."""
    def apply(build: Callable[[World], Any]) -> Any:
        open_workspace(ws_path)
        try:
            return build(World(template[1]))
        finally:
            close_workspace()

    return apply


@pytest.fixture
def db_rows(ws_path: Location) -> Callable[[], dict[str, list[tuple[object, ...]]]]:
    """Every row of every table, read without Flowbench (to show "unchanged")."""
    def read() -> dict[str, list[tuple[object, ...]]]:
        return all_rows(ws_path)

    return read


@pytest.fixture
def refused() -> Callable[..., None]:
    return assert_refused
