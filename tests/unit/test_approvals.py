"""Approval rules: one per group, bound to a content hash, self-approval, reject."""

from __future__ import annotations

from flowbench.domain.approvals import (
    ApprovalRecord,
    Decision,
    GroupState,
    approval_refusal,
    group_statuses,
    missing_groups,
    summary_state,
)

GROUPS = ["Legal", "Marketing"]
A, B = "a" * 64, "b" * 64


def record(group: str, member: int, content: str, decision: Decision = Decision.APPROVED,
           comment: str = "") -> ApprovalRecord:
    return ApprovalRecord(group, member, f"Member {member}", content, decision, comment)


def states(records: list[ApprovalRecord], content: str = A) -> dict[str, GroupState]:
    return {s.group: s.state for s in group_statuses(GROUPS, records, content)}


def test_nothing_decided_means_every_group_is_missing() -> None:
    statuses = group_statuses(GROUPS, [], A)
    assert states([]) == {"Legal": GroupState.MISSING, "Marketing": GroupState.MISSING}
    assert missing_groups(statuses) == GROUPS
    assert summary_state(True, statuses) == "awaiting 0/2"
    assert statuses[0].describe() == "Legal: waiting for approval"


def test_one_approval_per_group_is_enough() -> None:
    records = [record("Legal", 1, A), record("Marketing", 2, A)]
    statuses = group_statuses(GROUPS, records, A)
    assert missing_groups(statuses) == []
    assert summary_state(True, statuses) == "approved"
    assert statuses[0].describe() == "Legal: approved by Member 1"


def test_two_approvals_from_one_group_do_not_cover_another_group() -> None:
    records = [record("Legal", 1, A), record("Legal", 3, A)]
    assert missing_groups(group_statuses(GROUPS, records, A)) == ["Marketing"]
    assert summary_state(True, group_statuses(GROUPS, records, A)) == "awaiting 1/2"


def test_approvals_for_other_content_do_not_count() -> None:
    records = [record("Legal", 1, A), record("Marketing", 2, A)]
    assert states(records, content=B) == {"Legal": GroupState.MISSING,
                                          "Marketing": GroupState.MISSING}


def test_approvals_of_groups_that_no_longer_exist_are_ignored() -> None:
    statuses = group_statuses(["Legal"], [record("Security", 1, A)], A)
    assert [(s.group, s.state) for s in statuses] == [("Legal", GroupState.MISSING)]


def test_a_rejection_blocks_and_carries_its_comment() -> None:
    records = [record("Legal", 1, A), record("Marketing", 2, A, Decision.REJECTED,
                                             "Wrong tone")]
    statuses = group_statuses(GROUPS, records, A)
    assert states(records)["Marketing"] == GroupState.REJECTED
    assert missing_groups(statuses) == ["Marketing"]
    assert summary_state(True, statuses) == "rejected"
    assert statuses[1].describe() == "Marketing: rejected by Member 2 — “Wrong tone”"


def test_the_latest_decision_of_a_group_wins() -> None:
    rejected_then_approved = [record("Legal", 1, A, Decision.REJECTED, "No"),
                              record("Legal", 3, A)]
    assert states(rejected_then_approved)["Legal"] == GroupState.APPROVED
    approved_then_rejected = list(reversed(rejected_then_approved))
    assert states(approved_then_rejected)["Legal"] == GroupState.REJECTED


def test_a_decision_on_old_content_does_not_override_one_on_the_current_content() -> None:
    records = [record("Legal", 1, A), record("Legal", 1, B, Decision.REJECTED, "old")]
    assert states(records, content=A)["Legal"] == GroupState.APPROVED


def test_summary_when_approvals_are_off_or_no_groups() -> None:
    assert summary_state(False, group_statuses(GROUPS, [], A)) == "not required"
    assert summary_state(True, []) == "no groups"


def test_only_members_of_the_group_act_for_it() -> None:
    reason = approval_refusal(member_id=1, group="Legal", member_groups={"Marketing"},
                              editors=set(), allow_self_approval=True)
    assert reason == "You are not a member of the approval group 'Legal'."


def test_editors_may_not_approve_their_own_draft_unless_allowed() -> None:
    def refusal(allow: bool) -> str | None:
        return approval_refusal(member_id=1, group="Legal", member_groups={"Legal"},
                                editors={1, 2}, allow_self_approval=allow)

    assert refusal(False) == "You edited this draft, so you cannot approve it yourself."
    assert refusal(True) is None


def test_a_group_member_who_did_not_edit_may_approve() -> None:
    assert approval_refusal(member_id=3, group="Legal", member_groups={"Legal"},
                            editors={1, 2}, allow_self_approval=False) is None
