"""Publishing: the plan the member saw, their three choices, one transaction.

Inside the transaction everything is checked again — permission, validation, approvals
(or an override with a reason), the draft's revision and the live version — and anything
different from the plan refuses the publish with nothing written. Then the draft becomes
live, the chosen cancellations and starts happen, and one audit entry records it all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import (
    FlowbenchError,
    NotFound,
    OperationCancelled,
    PermissionDenied,
    PublishBlocked,
    StaleError,
)
from flowbench.domain.publish_plan import PublishChoices, PublishPlan, check_choices
from flowbench.domain.roles import Permission, has_permission, refusal
from flowbench.domain.validation import has_errors
from flowbench.domain.versions import VersionStatus
from flowbench.services import approvals as approval_service
from flowbench.services.context import Actor, audit, get_flow, require, settings
from flowbench.services.drafts import problems_of
from flowbench.services.migration import move_running_instances
from flowbench.services.publish_plan import prepare_publish, previous_versions
from flowbench.store import models
from flowbench.store.connection import write_transaction
from flowbench.store.long_writes import LongWrite

NO_CHOICES = PublishChoices()
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class PublishResult:
    flow: str
    version: int
    previous_live: int | None
    overridden: bool
    choices: PublishChoices = NO_CHOICES
    cancelled_instances: int = 0
    cancelled_cards: int = 0
    started_instances: int = 0
    moved_instances: int = 0  # moved onto this version (the fourth choice)
    not_moved_instances: int = 0  # running instances of earlier versions that could not

    def to_dict(self) -> dict[str, object]:
        return {"flow": self.flow, "version": self.version,
                "previous_live": self.previous_live, "overridden": self.overridden,
                "choices": self.choices.to_dict(),
                "cancelled_instances": self.cancelled_instances,
                "cancelled_cards": self.cancelled_cards,
                "started_instances": self.started_instances,
                "moved_instances": self.moved_instances,
                "not_moved_instances": self.not_moved_instances}

    def describe(self) -> str:
        parts = [f"Published Version {self.version} of '{self.flow}'."]
        if self.choices.migrate_running_instances:
            parts.append(f"Moved {self.moved_instances:,} running instance"
                         f"{_s(self.moved_instances)} onto Version {self.version}"
                         + (f"; {self.not_moved_instances:,} could not move."
                            if self.not_moved_instances else "."))
        if self.choices.cancel_previous_instances:
            parts.append(f"Cancelled {self.cancelled_instances:,} running instance"
                         f"{_s(self.cancelled_instances)}.")
        if self.choices.cancel_previous_cards:
            parts.append(f"Cancelled {self.cancelled_cards:,} active card"
                         f"{_s(self.cancelled_cards)}.")
        if self.choices.start_existing_segment_members:
            parts.append(f"Started the flow for {self.started_instances:,} customer"
                         f"{_s(self.started_instances)}.")
        if self.overridden:
            parts.append("Approvals were overridden.")
        return " ".join(parts)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _recheck(member: models.Member, flow: models.Flow, plan: PublishPlan,
             override_reason: str | None) -> tuple[models.FlowVersion, models.FlowVersion | None,
                                                   bool]:
    draft = approval_service.draft_of(flow)
    if draft is None or plan.version is None:
        live_now = models.FlowVersion.get_or_none(
            (models.FlowVersion.flow == flow.id)
            & (models.FlowVersion.status == VersionStatus.LIVE.value))
        if plan.version is not None and live_now is not None \
                and live_now.number == plan.version:
            raise StaleError(f"Someone else published Version {plan.version} of "
                             f"'{flow.name}' — review it again.")
        raise NotFound(f"'{flow.name}' has no draft to publish.")
    if draft.number != plan.version or draft.revision != plan.revision \
            or draft.content_hash != plan.content_hash:
        who = (draft.updated_by or draft.created_by).name
        raise StaleError(f"The draft of '{flow.name}' changed since you looked ({who} saved "
                         f"revision {draft.revision}; you reviewed revision {plan.revision}) "
                         "— review it again.")
    live = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                          & (models.FlowVersion.status == VersionStatus.LIVE.value))
    if (live.number if live else None) != plan.live_version:
        raise StaleError(f"Someone else published '{flow.name}' since you looked "
                         f"(Version {live.number if live else '?'} is live now) — "
                         "review it again.")
    problems = problems_of(flow.name, FlowDefinition.from_json(draft.definition))
    if has_errors(problems):
        errors = [p.message for p in problems if p.is_error]
        raise PublishBlocked(f"'{flow.name}' has {len(errors)} validation "
                             f"error{'s' if len(errors) != 1 else ''}: {errors[0]}", errors)
    overridden = False
    if settings().approvals_enabled:
        missing = approval_service.missing_groups_for(draft)
        if missing and sorted(missing) != sorted(plan.approvals_missing):
            raise StaleError("The approvals changed since you looked (missing now: "
                             + ", ".join(missing) + ") — review it again.")
        if missing:
            if not override_reason or not override_reason.strip():
                raise PublishBlocked("Approvals are missing from: " + ", ".join(missing) + ".",
                                     [f"approval missing: {g}" for g in missing])
            if not has_permission(member.role, Permission.OVERRIDE_APPROVALS):
                raise PermissionDenied(refusal(member.role, Permission.OVERRIDE_APPROVALS))
            overridden = True
    return draft, live, overridden


def no_draft_refusal(actor: Actor, plan: PublishPlan,
                     since: datetime.datetime) -> FlowbenchError:
    """Why a plan without a draft cannot be published: another member published it since
    ``since`` (when this member asked: the two raced; times are kept to the second), or
    there is simply no draft."""
    live = models.FlowVersion.get_or_none((models.FlowVersion.flow == plan.flow_id)
                                          & (models.FlowVersion.status
                                             == VersionStatus.LIVE.value))
    if live is not None and live.published_at is not None \
            and live.published_by_id != actor.member_id \
            and live.published_at >= since.replace(microsecond=0):
        return StaleError(f"Someone else published Version {live.number} of "
                          f"'{plan.flow_name}' — review it again (it has no draft to "
                          "publish now).")
    return NotFound(f"'{plan.flow_name}' has no draft to publish.")


def _as_long_write(plan: PublishPlan, choices: PublishChoices) -> LongWrite:
    """What the publish will do, for a write that waits for it in vain (the rows the
    summary counts: the same numbers the member saw)."""
    rows = 1
    if choices.cancel_previous_instances:
        rows += sum(f.running_instances for f in plan.previous_versions)
    if choices.cancel_previous_cards:
        rows += sum(f.open_cards for f in plan.previous_versions)
    if choices.start_existing_segment_members and plan.segment is not None:
        rows += plan.segment.members
    return LongWrite(f"publishing Version {plan.version} of '{plan.flow_name}'", rows)


class PublishCancelled(OperationCancelled):
    """The member cancelled the publish before it committed; nothing changed."""


def _runtime(choices: PublishChoices) -> tuple[Any, int]:
    """The engine and the runtime clock, loaded only when a choice needs them."""
    if not (choices.cancel_previous_instances or choices.cancel_previous_cards
            or choices.start_existing_segment_members or choices.migrate_running_instances):
        return None, 0
    from flowbench.runtime import engine
    from flowbench.runtime.clock import current_time

    return engine, current_time()


def publish(actor: Actor, plan: PublishPlan, choices: PublishChoices = NO_CHOICES,
            override_reason: str | None = None, *, progress: Progress | None = None,
            should_cancel: Callable[[], bool] | None = None) -> PublishResult:
    """Publish the draft of ``plan`` with ``choices``: all of it or none of it."""
    check_choices(plan, choices)
    report = progress or (lambda stage, done, total: None)
    with write_transaction(_as_long_write(plan, choices)):
        member = require(actor, Permission.PUBLISH)
        flow = get_flow(plan.flow_id)
        draft, live, overridden = _recheck(member, flow, plan, override_reason)
        engine, now = _runtime(choices)
        old_ids = [v.id for v in previous_versions(flow.id, exclude=draft.id)]
        cancelled_instances = cancelled_cards = started = moved = not_moved = 0
        if choices.migrate_running_instances and old_ids:  # first: the rest may be cancelled
            report(f"Moving running instances onto Version {draft.number}", 0, 1)
            moved, not_moved = move_running_instances(flow.id, draft)
        if choices.cancel_previous_instances and old_ids:
            report("Cancelling running instances of previous versions", 0, 1)
            cancelled_instances = engine.cancel_instances(
                old_ids, now=now, reason=f"Version {draft.number} was published")
        if live is not None:
            live.status = VersionStatus.PREVIOUS.value
            live.save()
        draft.status = VersionStatus.LIVE.value
        draft.published_by = member
        draft.published_at = models.utcnow()
        draft.save()
        if choices.start_existing_segment_members:
            segment = models.Segment.get(models.Segment.name == plan.segment.name) \
                if plan.segment else None
            if segment is not None:
                customers = models.SegmentMember.select(models.SegmentMember.customer).where(
                    (models.SegmentMember.segment == segment.id)
                    & (models.SegmentMember.is_test == False))  # noqa: E712
                started = engine.start_instances(
                    flow.id, draft.id, customers, now=now,
                    progress=lambda done, total: report(
                        "Starting the flow for customers already in the segment", done, total),
                    should_cancel=should_cancel)
        # after the starts: a cancelled card lets earlier versions' waits go on, and a
        # customer whose instance then ends must not start as well (publish_counts)
        if choices.cancel_previous_cards and old_ids:
            report("Cancelling active cards of previous versions", 0, 1)
            cancelled_cards = engine.cancel_cards(old_ids, now=now)
        if should_cancel is not None and should_cancel():
            raise PublishCancelled("The publish was cancelled; nothing changed.")
        audit(member, "flow.publish", f"Published Version {draft.number} of '{flow.name}'"
              + (f" without approvals: {override_reason}" if overridden else ""), flow=flow,
              version=draft.number, revision=draft.revision,
              previous_live=live.number if live else None, choices=choices.to_dict(),
              cancelled_instances=cancelled_instances, cancelled_cards=cancelled_cards,
              started_instances=started, moved_instances=moved, not_moved_instances=not_moved,
              override_reason=override_reason if overridden else None)
        report("Saving", 1, 1)
    return PublishResult(flow.name, draft.number, live.number if live else None, overridden,
                         choices, cancelled_instances, cancelled_cards, started, moved,
                         not_moved)


def publish_draft(actor: Actor, flow_ref: str | int, *, expected_revision: int | None = None,
                  expected_live: int | None | bool = False,
                  override_reason: str | None = None,
                  choices: PublishChoices = NO_CHOICES) -> PublishResult:
    """Prepare and publish in one go (the CLI's path); the expectations guard staleness."""
    plan = prepare_publish(actor, flow_ref)
    if expected_revision is not None and plan.revision is not None \
            and plan.revision != expected_revision:
        raise StaleError(f"The draft of '{plan.flow_name}' changed since you looked "
                         f"(now revision {plan.revision}) — review it again.")
    if expected_live is not False and plan.live_version != expected_live:
        raise StaleError(f"Someone else published '{plan.flow_name}' since you looked — "
                         "review it again.")
    return publish(actor, plan, choices, override_reason)
