"""Approval rules (DESIGN §4): one approval per group, for exactly one content hash."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class GroupState(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    MISSING = "missing"


@dataclass(frozen=True)
class ApprovalRecord:
    group: str
    member_id: int
    member_name: str
    content_hash: str
    decision: Decision
    comment: str = ""
    at: str = ""


@dataclass(frozen=True)
class GroupStatus:
    group: str
    state: GroupState
    by: str | None = None
    comment: str = ""
    at: str = ""

    def describe(self) -> str:
        if self.state == GroupState.APPROVED:
            return f"{self.group}: approved by {self.by}"
        if self.state == GroupState.REJECTED:
            note = f" — “{self.comment}”" if self.comment else ""
            return f"{self.group}: rejected by {self.by}{note}"
        return f"{self.group}: waiting for approval"


def group_statuses(groups: Iterable[str], records: Iterable[ApprovalRecord],
                   content_hash: str) -> list[GroupStatus]:
    """The state of each group for the current content; the latest decision wins."""
    latest: dict[str, ApprovalRecord] = {}
    for record in records:
        if record.content_hash == content_hash:
            latest[record.group] = record  # records arrive oldest first
    result = []
    for group in groups:
        decided = latest.get(group)
        if decided is None:
            result.append(GroupStatus(group, GroupState.MISSING))
        else:
            state = (GroupState.APPROVED if decided.decision == Decision.APPROVED
                     else GroupState.REJECTED)
            result.append(GroupStatus(group, state, decided.member_name, decided.comment,
                                      decided.at))
    return result


def missing_groups(statuses: Iterable[GroupStatus]) -> list[str]:
    return [s.group for s in statuses if s.state != GroupState.APPROVED]


def approval_refusal(*, member_id: int, group: str, member_groups: Collection[str],
                     editors: Collection[int], allow_self_approval: bool) -> str | None:
    """Why the member may not act for ``group`` on this draft, or None when they may."""
    if group not in member_groups:
        return f"You are not a member of the approval group '{group}'."
    if member_id in editors and not allow_self_approval:
        return "You edited this draft, so you cannot approve it yourself."
    return None


def summary_state(approvals_enabled: bool, statuses: Iterable[GroupStatus]) -> str:
    """One word for flow lists: 'not required', 'approved', 'rejected' or 'awaiting N/M'."""
    if not approvals_enabled:
        return "not required"
    items = list(statuses)
    if not items:
        return "no groups"
    if any(s.state == GroupState.REJECTED for s in items):
        return "rejected"
    done = sum(1 for s in items if s.state == GroupState.APPROVED)
    if done == len(items):
        return "approved"
    return f"awaiting {done}/{len(items)}"
