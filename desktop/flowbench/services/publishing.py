"""Publishing a draft: every check again inside one transaction, then make it live."""

from __future__ import annotations

from dataclasses import dataclass

from flowbench.domain.errors import NotFound, PermissionDenied, PublishBlocked, StaleError
from flowbench.domain.roles import Permission, has_permission, refusal
from flowbench.domain.validation import has_errors
from flowbench.domain.versions import VersionStatus
from flowbench.services import approvals as approval_service
from flowbench.services.context import Actor, audit, get_flow, require, settings
from flowbench.services.drafts import problems_of
from flowbench.store import models
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class PublishResult:
    flow: str
    version: int
    previous_live: int | None
    overridden: bool

    def to_dict(self) -> dict[str, object]:
        return {"flow": self.flow, "version": self.version,
                "previous_live": self.previous_live, "overridden": self.overridden}


def publish_draft(actor: Actor, flow_ref: str | int, *, expected_revision: int | None = None,
                  expected_live: int | None | bool = False,
                  override_reason: str | None = None) -> PublishResult:
    """The basic publish: permission, validation, approvals (or override), revision."""
    with write_transaction():
        member = require(actor, Permission.PUBLISH)
        flow = get_flow(flow_ref)
        draft = approval_service.draft_of(flow)
        if draft is None:
            raise NotFound(f"'{flow.name}' has no draft to publish.")
        if expected_revision is not None and draft.revision != expected_revision:
            raise StaleError(f"The draft of '{flow.name}' changed since you looked "
                             f"(now revision {draft.revision}) — review it again.")
        live = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                              & (models.FlowVersion.status == "live"))
        if expected_live is not False and (live.number if live else None) != expected_live:
            raise StaleError(f"Someone else published '{flow.name}' since you looked — "
                             "review it again.")
        from flowbench.domain.definition import FlowDefinition

        problems = problems_of(flow.name, FlowDefinition.from_json(draft.definition))
        if has_errors(problems):
            errors = [p.message for p in problems if p.is_error]
            raise PublishBlocked(f"'{flow.name}' has {len(errors)} validation "
                                 f"error{'s' if len(errors) != 1 else ''}: {errors[0]}", errors)
        overridden = False
        if settings().approvals_enabled:
            missing = approval_service.missing_groups_for(draft)
            if missing:
                if not override_reason or not override_reason.strip():
                    raise PublishBlocked("Approvals are missing from: " + ", ".join(missing)
                                         + ".", [f"approval missing: {g}" for g in missing])
                if not has_permission(member.role, Permission.OVERRIDE_APPROVALS):
                    raise PermissionDenied(refusal(member.role, Permission.OVERRIDE_APPROVALS))
                overridden = True
        now = models.utcnow()
        if live is not None:
            live.status = VersionStatus.PREVIOUS.value
            live.save()
        draft.status = VersionStatus.LIVE.value
        draft.published_by = member
        draft.published_at = now
        draft.save()
        audit(member, "flow.publish", f"Published Version {draft.number} of '{flow.name}'"
              + (f" without approvals: {override_reason}" if overridden else ""), flow=flow,
              version=draft.number, revision=draft.revision,
              previous_live=live.number if live else None,
              override_reason=override_reason if overridden else None)
    return PublishResult(flow.name, draft.number, live.number if live else None, overridden)
