"""Building blocks of the publishing tests: a cast of members and a segment-triggered flow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.services import drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.store.connection import close_workspace, open_workspace

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Cast:
    owner: Actor
    publisher: Actor
    editor: Actor
    legal: Actor
    marketing: Actor
    viewer: Actor


def onboarding(segment: str = "Trial users", title: str = "Welcome!") -> FlowDefinition:
    return FlowDefinition(
        trigger=Trigger("segment_entered", segment=segment),
        steps=(Step("welcome", "send_card", title=title, body="Let's get you set up."),
               Step("wait", "wait_duration", parent="welcome", duration="P2D")))


def build_template(path: Path) -> Cast:
    open_workspace(path)
    owner = workspace.create_workspace("Production", "olive@example.com", "Olive", PASSWORD)
    cast = {"owner": owner}
    for key, role in (("publisher", "publisher"), ("editor", "editor"), ("legal", "editor"),
                      ("marketing", "publisher"), ("viewer", "viewer")):
        info = members.add_member(owner, f"{key}@example.com", key.title(), role, PASSWORD)
        cast[key] = Actor(info.id, info.email, info.name, info.role)
    members.add_group(owner, "Legal")
    members.add_group(owner, "Marketing")
    members.add_group_member(owner, "Legal", "legal@example.com")
    members.add_group_member(owner, "Marketing", "marketing@example.com")
    close_workspace()
    return Cast(**cast)


def publish_first_version(owner: Actor, name: str = "Onboarding",
                          definition: FlowDefinition | None = None) -> int:
    """A flow whose Version 1 is live; returns the flow id."""
    from bulk_data import add_segment

    from flowbench.store import models

    if not models.Segment.select().where(models.Segment.name == "Trial users").exists():
        add_segment("Trial users")
    summary = flows.create_flow(owner, name)
    drafts.save_draft(owner, summary.id, definition or onboarding(), expected_version=1,
                      expected_revision=1)
    publishing.publish_draft(owner, summary.id)
    return summary.id


def start_next(owner: Actor, flow_id: int, title: str) -> None:
    live = drafts.open_flow(flow_id)
    drafts.save_draft(owner, flow_id, onboarding(title=title),
                      expected_version=live.version, expected_revision=live.revision)
