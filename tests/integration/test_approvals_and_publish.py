"""Approving, rejecting and the basic publish (permission, validation, approvals, revision)."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.approvals import GroupState
from flowbench.domain.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    PublishBlocked,
    StaleError,
)
from flowbench.services import approvals, drafts, flows, publishing, workspace
from flowbench.store import models

FLOW = "Welcome series"


def states(flow: str = FLOW) -> dict[str, GroupState]:
    return {s.group: s.state for s in approvals.approval_view(flow).groups}


def live_version(flow: str = FLOW) -> int | None:
    return flows.list_flows(include_archived=True)[0].live_version


@pytest.fixture
def draft(approvals_on, content) -> str:
    """A valid Version 1 draft written by the owner; approvals on (Legal, Marketing)."""
    cast = approvals_on
    flows.create_flow(cast.owner, FLOW)
    drafts.save_draft(cast.owner, FLOW, content("Welcome!"), expected_version=1,
                      expected_revision=1)
    return FLOW


# --- approving and rejecting -------------------------------------------------------------------

def test_one_approval_per_group_then_publish(draft: str, cast) -> None:
    assert states() == {"Legal": GroupState.MISSING, "Marketing": GroupState.MISSING}
    view = approvals.approve(cast.editor, draft, "legal", expected_revision=2)
    assert view.state == "awaiting 1/2" and view.missing == ["Marketing"]
    view = approvals.approve(cast.publisher, draft, "Marketing")
    assert view.state == "approved" and view.missing == []
    assert [g.describe() for g in view.groups] == ["Legal: approved by Ed",
                                                   "Marketing: approved by Pat"]
    result = publishing.publish_draft(cast.publisher, draft, expected_revision=2)
    assert (result.version, result.previous_live, result.overridden) == (1, None, False)
    assert live_version() == 1


def test_approving_needs_membership_of_the_group(draft: str, cast, snapshot) -> None:
    before = snapshot()
    with pytest.raises(PermissionDenied, match="not a member of the approval group 'Legal'"):
        approvals.approve(cast.publisher, draft, "Legal")
    with pytest.raises(PermissionDenied, match=r"role \(Viewer\) does not allow"):
        approvals.approve(cast.viewer, draft, "Legal")  # in Legal, but only views
    with pytest.raises(NotFound, match="no approval group named 'Security'"):
        approvals.approve(cast.editor, draft, "Security")
    assert snapshot() == before


def test_an_editor_cannot_approve_a_draft_they_edited(draft: str, cast, content,
                                                      snapshot) -> None:
    drafts.save_draft(cast.editor, draft, content("Ed's words"), expected_version=1,
                      expected_revision=2)
    before = snapshot()
    with pytest.raises(PermissionDenied, match="You edited this draft"):
        approvals.approve(cast.editor, draft, "Legal")
    assert snapshot() == before
    workspace.set_self_approval(cast.owner, True)
    assert approvals.approve(cast.editor, draft, "Legal").missing == ["Marketing"]


def test_the_flow_creator_counts_as_an_editor(approvals_on) -> None:
    cast = approvals_on
    flows.create_flow(cast.editor, "Ed's flow")
    with pytest.raises(PermissionDenied, match="You edited this draft"):
        approvals.approve(cast.editor, "Ed's flow", "Legal")


def test_a_real_change_withdraws_the_approvals(draft: str, cast, content) -> None:
    approvals.approve(cast.editor, draft, "Legal")
    approvals.approve(cast.publisher, draft, "Marketing")
    drafts.save_draft(cast.admin, draft, content("Welcome!"), expected_version=1,
                      expected_revision=2)  # no change: approvals stay
    assert approvals.approval_view(draft).state == "approved"
    drafts.save_draft(cast.admin, draft, content("Welcome, friend!"), expected_version=1,
                      expected_revision=2)
    view = approvals.approval_view(draft)
    assert (view.state, view.missing, view.revision) == ("awaiting 0/2",
                                                         ["Legal", "Marketing"], 3)
    with pytest.raises(PublishBlocked, match="Approvals are missing from: Legal, Marketing"):
        publishing.publish_draft(cast.publisher, draft)


def test_a_draft_started_from_live_needs_new_approvals(draft: str, cast) -> None:
    approvals.approve(cast.editor, draft, "Legal")
    approvals.approve(cast.publisher, draft, "Marketing")
    publishing.publish_draft(cast.publisher, draft)
    drafts.start_next_draft(cast.publisher, draft, expected_live=1)  # same content
    assert approvals.approval_view(draft).missing == ["Legal", "Marketing"]


def test_reject_with_a_comment(draft: str, cast, snapshot) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="a comment is required"):
        approvals.reject(cast.editor, draft, "Legal", "   ")
    assert snapshot() == before
    approvals.approve(cast.publisher, draft, "Marketing")
    view = approvals.reject(cast.editor, draft, "Legal", " The terms link is missing. ")
    assert view.state == "rejected"
    legal = view.groups[0]
    assert (legal.state, legal.by, legal.comment) == (GroupState.REJECTED, "Ed",
                                                      "The terms link is missing.")
    entry = models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()
    assert entry.action == "approval.rejected" and "terms link" in entry.summary
    with pytest.raises(PublishBlocked, match="Legal"):
        publishing.publish_draft(cast.publisher, draft)
    # a later approval by the same group replaces the rejection
    approvals.approve(cast.editor, draft, "Legal")
    assert approvals.approval_view(draft).state == "approved"


def test_approve_refusals_when_off_stale_or_without_draft(draft: str, cast,
                                                           snapshot) -> None:
    before = snapshot()
    with pytest.raises(StaleError, match="changed since you looked"):
        approvals.approve(cast.editor, draft, "Legal", expected_revision=1)
    assert snapshot() == before
    workspace.set_approvals(cast.owner, False)
    with pytest.raises(InvalidInput, match="switched off"):
        approvals.approve(cast.editor, draft, "Legal")
    workspace.set_approvals(cast.owner, True)
    workspace.set_approvals(cast.owner, False)
    publishing.publish_draft(cast.owner, draft)
    workspace.set_approvals(cast.owner, True)
    with pytest.raises(NotFound, match="no draft to approve"):
        approvals.approve(cast.editor, draft, "Legal")


# --- publishing -------------------------------------------------------------------------------

def test_publishing_needs_the_publish_permission(draft: str, cast, snapshot) -> None:
    workspace.set_approvals(cast.owner, False)
    before = snapshot()
    for actor in (cast.editor, cast.viewer):
        with pytest.raises(PermissionDenied, match="does not allow you to publish flows"):
            publishing.publish_draft(actor, draft)
    assert snapshot() == before


def test_validation_errors_block_publishing(cast, broken_content, snapshot) -> None:
    flows.create_flow(cast.owner, "Broken", broken_content)
    before = snapshot()
    with pytest.raises(PublishBlocked, match="has 2 validation errors") as caught:
        publishing.publish_draft(cast.owner, "Broken")
    assert len(caught.value.reasons) == 2
    assert snapshot() == before
    flows.create_flow(cast.owner, "Empty")
    with pytest.raises(PublishBlocked, match="no steps"):
        publishing.publish_draft(cast.owner, "Empty")
    flows.create_flow(cast.owner, "Still broken", broken_content)
    before = snapshot()
    with pytest.raises(PublishBlocked):
        publishing.publish_draft(cast.owner, "Still broken", override_reason="urgent")
    assert snapshot() == before


def test_warnings_do_not_block_publishing(cast, content) -> None:
    # a wait of more than a year (within the 10-year limit) is a warning, not an error
    flows.create_flow(cast.owner, "Quick", content(wait="P2Y"))
    assert publishing.publish_draft(cast.owner, "Quick").version == 1


def test_missing_approvals_block_a_publisher_even_with_a_reason(draft: str, cast,
                                                                snapshot) -> None:
    before = snapshot()
    with pytest.raises(PublishBlocked, match="Approvals are missing"):
        publishing.publish_draft(cast.publisher, draft)
    with pytest.raises(PermissionDenied, match="publish without approvals"):
        publishing.publish_draft(cast.publisher, draft, override_reason="Outage")
    with pytest.raises(PublishBlocked, match="Approvals are missing"):
        publishing.publish_draft(cast.owner, draft, override_reason="   ")
    assert snapshot() == before


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owner_and_admin_override_with_an_audited_reason(draft: str, cast, role: str) -> None:
    actor = cast.by_role(role)
    result = publishing.publish_draft(actor, draft, override_reason="Fixing a live outage")
    assert result.overridden and result.version == 1
    entry = models.AuditEntry.get(models.AuditEntry.action == "flow.publish")
    assert entry.member_id == actor.member_id
    assert "Fixing a live outage" in entry.summary
    assert json.loads(entry.details)["override_reason"] == "Fixing a live outage"


def test_a_reason_is_not_recorded_as_an_override_when_approvals_are_complete(
        draft: str, cast) -> None:
    approvals.approve(cast.editor, draft, "Legal")
    approvals.approve(cast.publisher, draft, "Marketing")
    result = publishing.publish_draft(cast.owner, draft, override_reason="just in case")
    assert not result.overridden
    entry = models.AuditEntry.get(models.AuditEntry.action == "flow.publish")
    assert json.loads(entry.details)["override_reason"] is None


def test_publishing_with_a_stale_revision_is_refused(draft: str, cast, content,
                                                     snapshot) -> None:
    workspace.set_approvals(cast.owner, False)
    before = snapshot()
    with pytest.raises(StaleError, match="changed since you looked"):
        publishing.publish_draft(cast.publisher, draft, expected_revision=1)
    with pytest.raises(StaleError, match="published"):
        publishing.publish_draft(cast.publisher, draft, expected_live=3)
    assert snapshot() == before


def test_publishing_makes_the_draft_live_and_the_old_live_previous(draft: str, cast,
                                                                   content) -> None:
    workspace.set_approvals(cast.owner, False)
    publishing.publish_draft(cast.publisher, draft, expected_live=None)
    drafts.save_draft(cast.editor, draft, content("V2"), expected_version=1,
                      expected_revision=2)
    result = publishing.publish_draft(cast.publisher, draft, expected_revision=1,
                                      expected_live=1)
    assert (result.version, result.previous_live) == (2, 1)
    assert [(v.number, str(v.status)) for v in drafts.version_history(draft)] == [
        (2, "live"), (1, "previous")]
    with pytest.raises(NotFound, match="no draft to publish"):
        publishing.publish_draft(cast.publisher, draft)
