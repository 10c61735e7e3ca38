"""Offline copies of a team workspace: what they refuse, what a sync decides (DESIGN §6).

A member takes a team workspace offline as a local copy; drafts are edited there and
synced back. Everything that needs the team — approving, publishing, cancelling,
member and settings changes — is refused in the copy with one sentence. A sync decides
each flow's fate from three contents: the *base* (the team's draft or live version the
copy started from), *mine* (the copy's draft now) and *theirs* (the team's now).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flowbench.domain.roles import Permission

# What an offline copy refuses: everything that needs the team workspace itself.
NEEDS_THE_TEAM: frozenset[Permission] = frozenset({
    Permission.APPROVE, Permission.PUBLISH, Permission.OVERRIDE_APPROVALS,
    Permission.CANCEL_INSTANCES, Permission.CANCEL_CARDS, Permission.MANAGE_MEMBERS,
    Permission.MANAGE_SETTINGS,
})


def offline_refusal(workspace_name: str) -> str:
    """The one sentence every refused action says in an offline copy (an interface)."""
    return (f"This is an offline copy of {workspace_name}: approve/publish when back "
            "online")


class SyncOutcome(StrEnum):
    """What a sync did with one flow."""

    SENT = "sent"            # the offline edit became a new revision of the team's draft
    CREATED = "created"      # a flow new offline now exists on the team workspace
    UNCHANGED = "unchanged"  # nothing to send (not edited, or the team already has it)
    CONFLICT = "conflict"    # the team's draft moved on: shown side by side, not sent
    REFUSED = "refused"      # the team workspace refused it (e.g. your role); still pending


@dataclass(frozen=True)
class Snapshot:
    """One side's content of a flow as the sync sees it: which version, which revision."""

    version: int
    revision: int
    status: str  # draft / live / previous
    content_hash: str
    definition: str  # canonical JSON
    saved_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "revision": self.revision, "status": self.status,
                "content_hash": self.content_hash, "definition": self.definition,
                "saved_by": self.saved_by}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        return cls(int(data["version"]), int(data["revision"]), str(data["status"]),
                   str(data["content_hash"]), str(data["definition"]),
                   str(data.get("saved_by") or ""))


def decide(base_hash: str | None, mine_hash: str, theirs_hash: str | None) -> SyncOutcome:
    """The fate of a flow the copy holds, from the three contents' hashes.

    ``base_hash`` None: the flow is new offline. ``theirs_hash`` None: the team has no
    such flow (created offline) — it is created. The team already holding exactly my
    content (sent by an earlier, interrupted sync, or the same edit) is no conflict.
    """
    if theirs_hash is None:
        return SyncOutcome.CREATED
    if mine_hash == theirs_hash:
        return SyncOutcome.UNCHANGED
    if base_hash is not None and mine_hash == base_hash:
        return SyncOutcome.UNCHANGED  # not edited offline: the refresh brings theirs
    if base_hash is not None and theirs_hash == base_hash:
        return SyncOutcome.SENT
    return SyncOutcome.CONFLICT
