"""May the signed-in member approve or reject a flow's draft, group by group? (No writes.)

The Publish tab asks before it enables Approve and Reject; ``approvals.approve`` and
``approvals.reject`` check the same rules again when the member acts.
"""

from __future__ import annotations

from flowbench.domain.approvals import approval_refusal
from flowbench.domain.roles import Permission
from flowbench.services.approvals import draft_of
from flowbench.services.context import Actor, current_member, get_flow, refusal_for, settings
from flowbench.store import models


def approval_rights(actor: Actor, flow_ref: str | int) -> dict[str, str | None]:
    """Group name → None when the member may act for it on the draft, else why not.

    Empty when approvals are off or the flow has no draft.
    """
    member = current_member(actor)
    flow = get_flow(flow_ref)
    draft = draft_of(flow)
    row = settings()
    if draft is None or not row.approvals_enabled:
        return {}
    groups = [g.name for g in models.ApprovalGroup.select().order_by(models.ApprovalGroup.name)]
    reason = refusal_for(member, Permission.APPROVE)
    if reason:
        return dict.fromkeys(groups, reason)
    member_groups = {m.group.name for m in models.GroupMembership.select(
        models.GroupMembership, models.ApprovalGroup).join(models.ApprovalGroup).where(
        models.GroupMembership.member == member.id)}
    editors = {e.member_id for e in models.VersionEditor.select().where(
        models.VersionEditor.version == draft.id)}
    return {group: approval_refusal(member_id=member.id, group=group,
                                    member_groups=member_groups, editors=editors,
                                    allow_self_approval=row.allow_self_approval)
            for group in groups}
