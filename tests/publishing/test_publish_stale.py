"""Every stale case refuses the publish and writes nothing."""

from __future__ import annotations

import re

import pytest
from publishing_world import onboarding, publish_first_version, start_next

from flowbench.domain.errors import PermissionDenied, PublishBlocked, StaleError
from flowbench.domain.publish_plan import BlockerKind, PublishChoices
from flowbench.services import approvals, drafts, members, publishing, workspace
from flowbench.services.publish_plan import prepare_publish
from flowbench.store import models

ALL = PublishChoices(True, True, True)


def snapshot() -> tuple:
    """Everything a publish could change."""
    return (
        list(models.FlowVersion.select(models.FlowVersion.id, models.FlowVersion.status,
                                       models.FlowVersion.revision).order_by(
            models.FlowVersion.id).tuples()),
        list(models.Instance.select(models.Instance.id, models.Instance.status).tuples()),
        list(models.Card.select(models.Card.id, models.Card.status).tuples()),
        models.AuditEntry.select().where(models.AuditEntry.action == "flow.publish").count(),
    )


@pytest.fixture
def drafted(cast) -> int:
    flow_id = publish_first_version(cast.owner)
    start_next(cast.owner, flow_id, "Welcome back")
    return flow_id


def _refused(cast, plan, error, match: str, **kwargs) -> None:
    before = snapshot()
    with pytest.raises(error, match=match):
        publishing.publish(cast.publisher, plan, ALL, **kwargs)
    assert snapshot() == before


def test_draft_saved_again(cast, drafted) -> None:
    plan = prepare_publish(cast.publisher, drafted)
    drafts.save_draft(cast.editor, drafted, onboarding(title="Changed meanwhile"),
                      expected_version=plan.version, expected_revision=plan.revision)
    _refused(cast, plan, StaleError, "changed since you looked")


def test_someone_else_published(cast, drafted) -> None:
    plan = prepare_publish(cast.publisher, drafted)
    publishing.publish(cast.owner, prepare_publish(cast.owner, drafted))
    _refused(cast, plan, StaleError, re.escape(
        f"Someone else published Version {plan.version} of '{plan.flow_name}' — review it "
        "again."))


def test_someone_else_published_and_drafted_again(cast, drafted) -> None:
    plan = prepare_publish(cast.publisher, drafted)
    publishing.publish(cast.owner, prepare_publish(cast.owner, drafted))
    start_next(cast.owner, drafted, "Version 3")
    _refused(cast, plan, StaleError, "changed since you looked")


def test_role_changed(cast, drafted) -> None:
    plan = prepare_publish(cast.publisher, drafted)
    members.set_role(cast.owner, "publisher@example.com", "editor")
    _refused(cast, plan, PermissionDenied, "Editor")


def test_approval_withdrawn(cast, drafted) -> None:
    workspace.set_approvals(cast.owner, True)
    approvals.approve(cast.legal, drafted, "Legal")
    approvals.approve(cast.marketing, drafted, "Marketing")
    plan = prepare_publish(cast.publisher, drafted)
    assert plan.can_publish
    approvals.reject(cast.marketing, drafted, "Marketing", "Wrong tone after all")
    _refused(cast, plan, StaleError, "approvals changed")


def test_approvals_missing_need_an_override_reason_and_permission(cast, drafted) -> None:
    workspace.set_approvals(cast.owner, True)
    approvals.approve(cast.legal, drafted, "Legal")
    plan = prepare_publish(cast.publisher, drafted)
    assert [b.group for b in plan.blockers if b.kind == BlockerKind.APPROVAL] == ["Marketing"]
    assert not plan.can_override
    _refused(cast, plan, PublishBlocked, "Marketing")
    _refused(cast, plan, PermissionDenied, "without approvals", override_reason="urgent fix")
    owner_plan = prepare_publish(cast.owner, drafted)
    assert owner_plan.can_publish_with_override
    result = publishing.publish(cast.owner, owner_plan, override_reason="Legal hotfix")
    assert result.overridden
    entry = models.AuditEntry.select().where(models.AuditEntry.action == "flow.publish") \
        .order_by(models.AuditEntry.id.desc()).first()
    assert "Legal hotfix" in entry.summary and "Legal hotfix" in entry.details


def test_content_change_withdraws_approvals(cast, drafted) -> None:
    workspace.set_approvals(cast.owner, True)
    approvals.approve(cast.legal, drafted, "Legal")
    approvals.approve(cast.marketing, drafted, "Marketing")
    assert prepare_publish(cast.publisher, drafted).can_publish
    draft = drafts.get_draft(drafted)
    drafts.save_draft(cast.editor, drafted, draft.definition,  # a save without changes
                      expected_version=draft.version, expected_revision=draft.revision)
    assert prepare_publish(cast.publisher, drafted).can_publish
    drafts.save_draft(cast.editor, drafted, onboarding(title="Really new"),
                      expected_version=draft.version, expected_revision=draft.revision)
    assert prepare_publish(cast.publisher, drafted).approvals_missing == ["Legal", "Marketing"]


def test_validation_errors_block(cast, drafted) -> None:
    draft = drafts.get_draft(drafted)
    drafts.save_draft(cast.owner, drafted, onboarding(title=""),
                      expected_version=draft.version, expected_revision=draft.revision)
    plan = prepare_publish(cast.publisher, drafted)
    assert [(b.kind, b.step, b.field) for b in plan.blockers] == [
        (BlockerKind.VALIDATION, "welcome", "title")]
    _refused(cast, plan, PublishBlocked, "validation error")


def test_nothing_to_publish_and_no_permission_are_blockers(cast) -> None:
    flow_id = publish_first_version(cast.owner)
    plan = prepare_publish(cast.editor, flow_id)
    kinds = {b.kind for b in plan.blockers}
    assert kinds == {BlockerKind.PERMISSION, BlockerKind.NOTHING_TO_PUBLISH}
    assert not plan.can_publish
