"""The small model tests/integration/test_stateful_versions.py checks the services
against: one flow's draft (number, revision, content, editors, approval decisions), its
live and published versions and what the approvals should say; the members, groups and
contents the random sequences are made of."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowbench.domain.approvals import GroupState
from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger

FLOWS = ("Onboarding",)  # one flow: deeper histories per example, cheaper invariants
ROLES = ("owner", "admin", "publisher", "editor", "viewer")
GROUPS = ("Legal", "Marketing")
# the template's groups, plus the Owner in Marketing and the Admin in Legal (set up below)
MEMBERSHIP = {"owner": {"Marketing"}, "admin": {"Legal"}, "publisher": {"Marketing"},
              "editor": {"Legal"}, "viewer": {"Legal"}}


def _content(title: str, wait: str = "P2D") -> FlowDefinition:
    return FlowDefinition(
        trigger=Trigger("api_event", event="signup_completed"),
        steps=(Step("welcome", "send_card", title=title, body="Let's get you set up.",
                    buttons=(Button("Start", "submit"),), priority=5),
               Step("later", "wait_duration", parent="welcome", duration=wait)))


CONTENTS = (_content("A"), _content("B"), _content("C"), _content("", wait="P0D"))


@dataclass
class Draft:
    number: int
    revision: int
    hash: str
    definition: FlowDefinition
    editors: set[int] = field(default_factory=set)
    decisions: list[tuple[str, str, str]] = field(default_factory=list)  # group, hash, verdict


@dataclass
class FlowModel:
    draft: Draft | None
    live: int | None = None
    published: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # hash, json, rev
    discarded: dict[int, int] = field(default_factory=dict)  # number -> its last revision

    def expected_groups(self) -> dict[str, GroupState]:
        assert self.draft is not None
        latest: dict[str, str] = {}
        for group, content_hash, verdict in self.draft.decisions:
            if content_hash == self.draft.hash:
                latest[group] = verdict
        return {g: GroupState(latest[g]) if g in latest else GroupState.MISSING
                for g in GROUPS}

    def next_number(self) -> int:
        return max(self.published, default=0) + 1

    def first_revision(self) -> int:
        """A new draft's revisions start past those of a discarded draft of its number."""
        return self.discarded.get(self.next_number(), 0) + 1
