"""Approving and rejecting drafts on behalf of approval groups."""

from __future__ import annotations

from dataclasses import dataclass

from flowbench.domain.approvals import (
    ApprovalRecord,
    Decision,
    GroupStatus,
    approval_refusal,
    group_statuses,
    missing_groups,
    summary_state,
)
from flowbench.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StaleError
from flowbench.domain.roles import Permission
from flowbench.domain.versions import VersionStatus
from flowbench.services.context import Actor, audit, get_flow, require, settings
from flowbench.store import models
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class ApprovalView:
    enabled: bool
    version: int | None
    revision: int | None
    groups: list[GroupStatus]

    @property
    def missing(self) -> list[str]:
        return missing_groups(self.groups) if self.enabled else []

    @property
    def state(self) -> str:
        return summary_state(self.enabled, self.groups)


def _group_names() -> list[str]:
    return [g.name for g in models.ApprovalGroup.select().order_by(models.ApprovalGroup.name)]


def records_for(version: models.FlowVersion) -> list[ApprovalRecord]:
    rows = (models.Approval
            .select(models.Approval, models.ApprovalGroup, models.Member)
            .join(models.ApprovalGroup).switch(models.Approval).join(models.Member)
            .where(models.Approval.version == version.id)
            .order_by(models.Approval.id))
    return [ApprovalRecord(row.group.name, row.member.id, row.member.name, row.content_hash,
                           Decision(row.decision), row.comment, str(row.created_at))
            for row in rows]


def draft_of(flow: models.Flow) -> models.FlowVersion | None:
    return models.FlowVersion.get_or_none(
        (models.FlowVersion.flow == flow.id)
        & (models.FlowVersion.status == VersionStatus.DRAFT.value))


def statuses_for(version: models.FlowVersion) -> list[GroupStatus]:
    return group_statuses(_group_names(), records_for(version), version.content_hash)


def approval_view(flow_ref: str | int) -> ApprovalView:
    flow = get_flow(flow_ref)
    draft = draft_of(flow)
    enabled = settings().approvals_enabled
    if draft is None:
        return ApprovalView(enabled, None, None, [])
    return ApprovalView(enabled, draft.number, draft.revision, statuses_for(draft))


def draft_approval_states(only_flow: int | None = None) -> dict[int, str]:
    """flow id → approval summary of its draft, in three queries whatever the size."""
    if not models.WorkspaceSettings.select().exists():
        return {}
    enabled = settings().approvals_enabled
    groups = _group_names()
    drafts = models.FlowVersion.select(models.FlowVersion.id, models.FlowVersion.flow,
                                       models.FlowVersion.content_hash).where(
        models.FlowVersion.status == VersionStatus.DRAFT.value)
    if only_flow is not None:
        drafts = drafts.where(models.FlowVersion.flow == only_flow)
    by_version = {row.id: row for row in drafts}
    records: dict[int, list[ApprovalRecord]] = {}
    if enabled and by_version:
        rows = (models.Approval.select(models.Approval, models.ApprovalGroup)
                .join(models.ApprovalGroup)
                .join_from(models.Approval, models.FlowVersion)
                .where((models.FlowVersion.status == VersionStatus.DRAFT.value)
                       & (models.Approval.content_hash == models.FlowVersion.content_hash))
                .order_by(models.Approval.id))
        for row in rows:
            records.setdefault(row.version_id, []).append(ApprovalRecord(
                row.group.name, row.member_id, "", row.content_hash,
                Decision(row.decision)))
    result = {}
    for version_id, draft in by_version.items():
        statuses = group_statuses(groups, records.get(version_id, []), draft.content_hash)
        result[draft.flow_id] = summary_state(enabled, statuses)
    return result


def _decide(actor: Actor, flow_ref: str | int, group_name: str, expected_revision: int | None,
            decision: Decision, comment: str) -> ApprovalView:
    with write_transaction():
        member = require(actor, Permission.APPROVE)
        flow = get_flow(flow_ref)
        if not settings().approvals_enabled:
            raise InvalidInput("Approvals are switched off in this workspace.")
        draft = draft_of(flow)
        if draft is None:
            raise NotFound(f"'{flow.name}' has no draft to approve.")
        if expected_revision is not None and draft.revision != expected_revision:
            raise StaleError(f"The draft of '{flow.name}' changed since you looked "
                             f"(revision {draft.revision}, you saw {expected_revision}) — "
                             "review it again.")
        group = models.ApprovalGroup.get_or_none(
            models.ApprovalGroup.name_key == group_name.strip().lower())
        if group is None:
            raise NotFound(f"There is no approval group named '{group_name}'.")
        member_groups = {m.group.name for m in models.GroupMembership.select(
            models.GroupMembership, models.ApprovalGroup).join(models.ApprovalGroup).where(
            models.GroupMembership.member == member.id)}
        editors = {e.member_id for e in models.VersionEditor.select().where(
            models.VersionEditor.version == draft.id)}
        reason = approval_refusal(member_id=member.id, group=group.name,
                                  member_groups=member_groups, editors=editors,
                                  allow_self_approval=settings().allow_self_approval)
        if reason:
            raise PermissionDenied(reason)
        latest = models.Approval.select().where(
            (models.Approval.version == draft.id) & (models.Approval.group == group.id)
            & (models.Approval.content_hash == draft.content_hash)).order_by(
            models.Approval.id.desc()).first()
        if decision == Decision.APPROVED and latest is not None \
                and latest.decision == Decision.APPROVED.value:
            raise Conflict(f"{group.name} already approved Version {draft.number} of "
                           f"'{flow.name}' as it is now; nothing was recorded.")
        models.Approval.create(version=draft, group=group, member=member,
                               content_hash=draft.content_hash, decision=decision.value,
                               comment=comment)
        verb = "Approved" if decision == Decision.APPROVED else "Rejected"
        audit(member, f"approval.{decision.value}",
              f"{verb} Version {draft.number} of '{flow.name}' for {group.name}"
              + (f": {comment}" if comment else ""), flow=flow, version=draft.number,
              group=group.name, revision=draft.revision, comment=comment)
    return approval_view(flow.id)


def approve(actor: Actor, flow_ref: str | int, group: str,
            expected_revision: int | None = None) -> ApprovalView:
    return _decide(actor, flow_ref, group, expected_revision, Decision.APPROVED, "")


def reject(actor: Actor, flow_ref: str | int, group: str, comment: str,
           expected_revision: int | None = None) -> ApprovalView:
    if not comment.strip():
        raise InvalidInput("Say why you reject the draft: a comment is required.")
    return _decide(actor, flow_ref, group, expected_revision, Decision.REJECTED,
                   comment.strip())


def missing_groups_for(version: models.FlowVersion) -> list[str]:
    return missing_groups(statuses_for(version))
