"""A workspace for the Publish tab's GUI tests: a cast of members, approval groups, and
"Onboarding" (segment-triggered) with live Version 1 and runtime data.

Customers c1…c6 (live) and t1 (a test account); "Trial users" holds c1…c5 and t1.
Version 1: c1–c3 running, each with an active card; c4 finished but its card is still
active. So a new version shows 3 running instances, 4 active cards, and 2 customers
already in the segment who do not run the flow (c4, c5) — 5 if the running ones are
cancelled first. The Editor is also in Legal (to show that nobody approves a draft they
edited); Legal and Marketing each have one more member who may approve.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import PASSWORD, Cast, build_template, onboarding, publish_first_version

from flowbench.services import drafts, members, workspace
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace

__all__ = ["PASSWORD", "World", "make_world", "stage_draft"]
FLOW = "Onboarding"


@dataclass(frozen=True)
class World:
    path: Path
    cast: Cast
    flow_id: int


_templates: dict[bool, tuple[Path, Cast, int]] = {}


def _build(path: Path, approvals: bool) -> tuple[Cast, int]:
    cast = build_template(path)
    open_workspace(path)
    try:
        owner = cast.owner
        members.add_group_member(owner, "Legal", "editor@example.com")
        flow_id = publish_first_version(owner, FLOW)
        first, _last = add_customers(6, prefix="c")
        t_first, t_last = add_customers(1, prefix="t", is_test=True)
        segment = models.Segment.get(models.Segment.name == "Trial users").id
        add_segment_members(segment, first, first + 4)
        add_segment_members(segment, t_first, t_last)
        v1 = version_id(flow_id, 1)
        add_running_instances(flow_id, v1, first, first + 2)
        add_running_instances(flow_id, v1, first + 3, first + 3, status="completed")
        if approvals:
            workspace.set_approvals(owner, True)
    finally:
        close_workspace()
    return cast, flow_id


def make_world(folder: Path, *, approvals: bool, cache: Path) -> World:
    """A fresh copy (in ``folder``) of the world, built once per session in ``cache``."""
    if approvals not in _templates:
        template = cache / f"publish-world-{'approvals' if approvals else 'open'}.flowbench"
        cast, flow_id = _build(template, approvals)
        _templates[approvals] = (template, cast, flow_id)
    template, cast, flow_id = _templates[approvals]
    target = folder / "ws.flowbench"
    shutil.copy(template, target)
    return World(target, cast, flow_id)


def stage_draft(world: World, title: str = "Welcome aboard!") -> None:
    """The Editor's Version 2 (through the service), on the open workspace."""
    seen = drafts.open_flow(world.flow_id)  # the live version: saving it makes Version 2
    drafts.save_draft(world.cast.editor, world.flow_id, onboarding(title=title),
                      expected_version=seen.version, expected_revision=seen.revision)
