"""A rehearsal workspace for the Activity tab, cancel-on-demand and test-send UI tests.

``activity_template`` (session scope) builds it once — members hashed once — and
``activity_world`` copies it per test, opens it and signs a member into a fresh
``AppSession``. Import both fixtures into a test module::

    from activity_world import activity_template, activity_world  # noqa: F401

The workspace: Owner, Publisher, Editor and Viewer; live customers ann…eve and test
accounts tia, tom (not: ann); the manual flow "Onboarding" whose Version 1 runs for
ann, bob, cat and whose live Version 2 runs for dan, eve — each parked at a two-day
wait with an active "Welcome aboard" card.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import starts as runtime_starts
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.session import AppSession

PASSWORD = "correct horse battery"
FLOW = "Onboarding"
CUSTOMERS = "id,test,plan\nann,no,trial\nbob,no,trial\ncat,no,trial\ndan,no,pro\n" \
            "eve,no,pro\ntia,yes,trial\ntom,yes,pro\n"


def onboarding(title: str = "Welcome aboard", *extra: Step) -> FlowDefinition:
    return FlowDefinition(Trigger("manual"), (
        Step("welcome", "send_card", title=title, body="Three steps to your first brew.",
             buttons=(Button("Show me"), Button("Later", "dismiss"))),
        Step("nudge", "send_push", parent="welcome", title="Your box is ready",
             body="Open the app to pick your beans."),
        Step("wait", "wait_duration", parent="welcome", duration="P2D"),
        *extra))


@dataclass(frozen=True)
class Cast:
    owner: Actor
    publisher: Actor
    editor: Actor
    viewer: Actor


@dataclass
class ActivityWorld:
    path: Path
    cast: Cast
    session: AppSession
    flow_id: int

    def sign_in_as(self, actor: Actor) -> None:
        self.session.sign_out()
        self.session.sign_in(actor)


def _build(path: Path) -> tuple[Cast, int]:
    open_workspace(path)
    try:
        owner = workspace.create_workspace("Rehearsal", "olive@example.com", "Olive",
                                           PASSWORD)
        actors = {"owner": owner}
        for role, name in (("publisher", "Pat"), ("editor", "Ed"), ("viewer", "Vi")):
            info = members.add_member(owner, f"{role}@example.com", name, role, PASSWORD)
            actors[role] = Actor(info.id, info.email, info.name, info.role)
        models.RuntimeClock.create(now=1_800_000_000)
        runtime_customers.import_customers_csv(owner, CUSTOMERS, "customers.csv")
        flow_id = flows.create_flow(owner, FLOW, onboarding()).id
        publishing.publish_draft(owner, flow_id)
        runtime_starts.start_manual(owner, flow_id, ["ann", "bob", "cat"])
        live = drafts.open_flow(flow_id)
        drafts.start_next_draft(owner, flow_id, expected_live=live.version)
        draft = drafts.open_flow(flow_id)
        drafts.save_draft(owner, flow_id, onboarding("Welcome to the club"),
                          expected_version=draft.version, expected_revision=draft.revision)
        publishing.publish_draft(owner, flow_id)
        runtime_starts.start_manual(owner, flow_id, ["dan", "eve"])
    finally:
        close_workspace()
    return Cast(**actors), flow_id


@pytest.fixture(scope="session")
def activity_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Cast, int]:
    path = tmp_path_factory.mktemp("activity-template") / "template.flowbench"
    cast, flow_id = _build(path)
    return path, cast, flow_id


@pytest.fixture
def activity_world(activity_template: tuple[Path, Cast, int],
                   tmp_path: Path) -> Iterator[ActivityWorld]:
    """The copied workspace, open, with the Owner signed into a new session."""
    template, cast, flow_id = activity_template
    path = tmp_path / "ws.flowbench"
    shutil.copy(template, path)
    session = AppSession()
    session.adopt(open_workspace(path))
    session.sign_in(cast.owner)
    try:
        yield ActivityWorld(path, cast, session, flow_id)
    finally:
        session.close_workspace()
        close_workspace()
