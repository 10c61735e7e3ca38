"""``approval_rights``: who may act for which group on a draft — and it agrees with what
``approvals.approve`` then allows, member by member, group by group."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import PermissionDenied
from flowbench.services import approvals, drafts, flows, publishing, workspace
from flowbench.services.approval_rights import approval_rights

FLOW = "Welcome series"


@pytest.fixture
def draft(approvals_on, content) -> str:
    """Version 1 drafted by the Editor (a member of Legal); approvals on."""
    cast = approvals_on
    flows.create_flow(cast.owner, FLOW)
    drafts.save_draft(cast.editor, FLOW, content("Welcome!"), expected_version=1,
                      expected_revision=1)
    return FLOW


def test_reasons_for_each_member(draft: str, cast) -> None:
    assert approval_rights(cast.editor, draft) == {
        "Legal": "You edited this draft, so you cannot approve it yourself.",
        "Marketing": "You are not a member of the approval group 'Marketing'."}
    assert approval_rights(cast.publisher, draft) == {
        "Legal": "You are not a member of the approval group 'Legal'.", "Marketing": None}
    assert set(approval_rights(cast.viewer, draft).values()) == {
        "Your role (Viewer) does not allow you to approve drafts."}
    workspace.set_self_approval(cast.owner, True)
    assert approval_rights(cast.editor, draft)["Legal"] is None


def test_nothing_to_decide_without_approvals_or_a_draft(draft: str, cast) -> None:
    workspace.set_approvals(cast.owner, False)
    assert approval_rights(cast.publisher, draft) == {}
    workspace.set_approvals(cast.owner, True)
    publishing.publish_draft(cast.owner, draft, override_reason="test set-up")
    assert approval_rights(cast.publisher, draft) == {}  # published: no draft left


@pytest.mark.parametrize("key", ["owner", "admin", "publisher", "editor", "viewer"])
def test_the_rights_agree_with_what_approving_does(draft: str, cast, key: str) -> None:
    actor = getattr(cast, key)
    for group, refusal in approval_rights(actor, draft).items():
        if refusal is None:
            approvals.approve(actor, draft, group)
        else:
            with pytest.raises(PermissionDenied) as refused:
                approvals.approve(actor, draft, group)
            assert str(refused.value) == refusal
