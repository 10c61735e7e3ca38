"""Every role × every service action: allowed ones succeed and are audited, refused ones
raise PermissionDenied and leave every table exactly as it was.

The table below is written out by hand from issue 2 and DESIGN §4 — it is the oracle,
deliberately not derived from ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import PermissionDenied
from flowbench.services import approvals, drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.store import models

ROLES = ("owner", "admin", "publisher", "editor", "viewer")
EDITORS = {"owner", "admin", "publisher", "editor"}
PUBLISHERS = {"owner", "admin", "publisher"}
MANAGERS = {"owner", "admin"}
FLOW = "Welcome series"


@dataclass(frozen=True)
class Action:
    """``prepare`` sets the scene as the Owner and returns what the action needs;
    ``act`` runs the action as the member; ``done`` checks its visible effect."""

    allowed: set[str]
    prepare: Callable[..., object]
    act: Callable[[Actor, object], object]
    done: Callable[[object], bool]


def group_for(cast, actor: Actor) -> str:
    """A group ``actor`` belongs to (Owner and Admin are added to Legal for the test)."""
    if actor.role == "publisher":
        return "Marketing"
    if actor.role in MANAGERS:
        members.add_group_member(cast.owner, "Legal", actor.email)
    return "Legal"


def draft_by_someone_else(cast, actor: Actor, content) -> None:
    """A valid draft whose author is not ``actor`` (so self-approval is not the refusal)."""
    author = cast.editor if actor.role != "editor" else cast.owner
    flows.create_flow(author, FLOW, content("Welcome!"))


def published(cast, content, *titles: str) -> None:
    flows.create_flow(cast.owner, FLOW, content(titles[0]))
    publishing.publish_draft(cast.owner, FLOW)
    for title in titles[1:]:
        live = drafts.open_flow(FLOW)
        drafts.save_draft(cast.owner, FLOW, content(title), expected_version=live.version,
                          expected_revision=live.revision)
        publishing.publish_draft(cast.owner, FLOW)


def other_member(cast, actor: Actor) -> str:
    return "vi@example.com" if actor.role != "viewer" else "ed@example.com"


def approval_setup(cast, actor: Actor, content) -> str:
    workspace.set_approvals(cast.owner, True)
    draft_by_someone_else(cast, actor, content)
    return group_for(cast, actor)


def draft_definition() -> FlowDefinition | None:
    draft = drafts.get_draft(FLOW)
    return draft.definition if draft else None


def draft_version() -> int | None:
    draft = drafts.get_draft(FLOW)
    return draft.version if draft else None


ACTIONS: dict[str, Action] = {
    "create flow": Action(
        EDITORS, lambda cast, actor, content: None,
        lambda actor, _: flows.create_flow(actor, "Brand new"),
        lambda _: [f.name for f in flows.list_flows()] == ["Brand new"]),
    "rename flow": Action(
        EDITORS, lambda cast, actor, content: flows.create_flow(cast.owner, FLOW),
        lambda actor, _: flows.rename_flow(actor, FLOW, "Onboarding"),
        lambda _: [f.name for f in flows.list_flows()] == ["Onboarding"]),
    "archive flow": Action(
        PUBLISHERS, lambda cast, actor, content: flows.create_flow(cast.owner, FLOW),
        lambda actor, _: flows.set_archived(actor, FLOW, True),
        lambda _: flows.list_flows() == []),
    "save draft": Action(
        EDITORS, lambda cast, actor, content: (flows.create_flow(cast.owner, FLOW),
                                               content("Edited"))[1],
        lambda actor, new: drafts.save_draft(actor, FLOW, new, expected_version=1,
                                             expected_revision=1),
        lambda new: draft_definition() == new),
    "start next draft": Action(
        EDITORS, lambda cast, actor, content: published(cast, content, "V1"),
        lambda actor, _: drafts.start_next_draft(actor, FLOW, expected_live=1),
        lambda _: draft_version() == 2),
    "discard draft": Action(
        EDITORS, lambda cast, actor, content: (
            published(cast, content, "V1"),
            drafts.start_next_draft(cast.owner, FLOW, expected_live=1)),
        lambda actor, _: drafts.discard_draft(actor, FLOW, expected_revision=1),
        lambda _: draft_version() is None),
    "restore version": Action(
        EDITORS, lambda cast, actor, content: (published(cast, content, "V1", "V2"),
                                               content("V1"))[1],
        lambda actor, _: drafts.restore_version(actor, FLOW, 1, expected_version=2,
                                                expected_revision=1),
        lambda v1: draft_definition() == v1),
    "approve": Action(
        EDITORS, approval_setup,
        lambda actor, group: approvals.approve(actor, FLOW, group),
        lambda group: group not in approvals.approval_view(FLOW).missing),
    "reject": Action(
        EDITORS, approval_setup,
        lambda actor, group: approvals.reject(actor, FLOW, group, "Not yet."),
        lambda group: approvals.approval_view(FLOW).state == "rejected"),
    "publish": Action(
        PUBLISHERS, lambda cast, actor, content: flows.create_flow(cast.owner, FLOW,
                                                                  content("V1")),
        lambda actor, _: publishing.publish_draft(actor, FLOW),
        lambda _: flows.list_flows()[0].live_version == 1),
    "override publish": Action(
        MANAGERS, lambda cast, actor, content: (
            workspace.set_approvals(cast.owner, True),
            flows.create_flow(cast.owner, FLOW, content("V1"))),
        lambda actor, _: publishing.publish_draft(actor, FLOW, override_reason="Outage"),
        lambda _: flows.list_flows()[0].live_version == 1),
    "add member": Action(
        MANAGERS, lambda cast, actor, content: None,
        lambda actor, _: members.add_member(actor, "new@example.com", "New", "editor",
                                            "correct horse battery"),
        lambda _: "new@example.com" in {m.email for m in members.list_members()}),
    "set role": Action(
        MANAGERS, lambda cast, actor, content: other_member(cast, actor),
        lambda actor, email: members.set_role(actor, email, "publisher"),
        lambda email: members.get_member(email).role == "publisher"),
    "deactivate member": Action(
        MANAGERS, lambda cast, actor, content: other_member(cast, actor),
        lambda actor, email: members.deactivate(actor, email),
        lambda email: not members.get_member(email).active),
    "add group": Action(
        MANAGERS, lambda cast, actor, content: None,
        lambda actor, _: members.add_group(actor, "Security"),
        lambda _: "Security" in members.list_groups()),
    "add group member": Action(
        MANAGERS, lambda cast, actor, content: None,
        lambda actor, _: members.add_group_member(actor, "Marketing", "ed@example.com"),
        lambda _: "ed@example.com" in members.list_groups()["Marketing"]),
    "set approvals": Action(
        MANAGERS, lambda cast, actor, content: None,
        lambda actor, _: workspace.set_approvals(actor, True),
        lambda _: workspace.workspace_info().approvals_enabled),
    "set self-approval": Action(
        MANAGERS, lambda cast, actor, content: None,
        lambda actor, _: workspace.set_self_approval(actor, True),
        lambda _: workspace.workspace_info().allow_self_approval),
}

CASES = [pytest.param(role, name, id=f"{role}-{name.replace(' ', '_')}")
         for name in ACTIONS for role in ROLES]


def test_the_table_covers_every_action_and_role() -> None:
    assert len(ACTIONS) == 18 and len(CASES) == 90
    for action in ACTIONS.values():
        assert action.allowed <= set(ROLES) and "viewer" not in action.allowed
        assert {"owner", "admin"} <= action.allowed


@pytest.mark.parametrize("role, name", CASES)
def test_role_action(cast, content, fast_hashing, snapshot, role: str, name: str) -> None:
    action = ACTIONS[name]
    actor = cast.by_role(role)
    scene = action.prepare(cast, actor, content)
    audit_before = models.AuditEntry.select().count()
    before = snapshot()
    if role in action.allowed:
        action.act(actor, scene)
        assert action.done(scene), f"{role} could not {name}"
        newest = models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()
        assert models.AuditEntry.select().count() > audit_before
        assert newest.member_id == actor.member_id
    else:
        with pytest.raises(PermissionDenied) as caught:
            action.act(actor, scene)
        message = str(caught.value)
        assert message.endswith(".") and ("does not allow" in message)
        assert snapshot() == before
        assert not action.done(scene)
