"""Preparing a publish: the summary a member reviews before publishing (no writes).

The live figures come from the tallies the database keeps (store/tallies.py): a few
rows, whatever the size of the runtime. No runtime rows are loaded into Python.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from peewee import JOIN, SQL, Case, fn

from flowbench.domain.changes import describe_trigger, list_changes
from flowbench.domain.definition import FlowDefinition, TriggerKind
from flowbench.domain.flow_summary import steps_in_words
from flowbench.domain.migration import MigrationFigures
from flowbench.domain.publish_plan import (
    Blocker,
    BlockerKind,
    CardHolders,
    PreviousVersionFigures,
    PublishPlan,
    SegmentFigures,
)
from flowbench.domain.roles import Permission
from flowbench.domain.versions import VersionStatus
from flowbench.services import approvals as approval_service
from flowbench.services.context import Actor, current_member, get_flow, refusal_for, settings
from flowbench.services.drafts import problems_of
from flowbench.store import models, tally_models
from flowbench.store.query_rows import tuples
from flowbench.store.runtime_indexes import OPEN_CARD_STATUSES

OPEN_CARD_STATES = ("active", "snoozed")


def previous_versions(flow_id: int, exclude: int | None = None) -> list[models.FlowVersion]:
    """Published versions that a new publish would leave behind (live and previous)."""
    query = models.FlowVersion.select(models.FlowVersion.id, models.FlowVersion.number).where(
        (models.FlowVersion.flow == flow_id)
        & (models.FlowVersion.status.in_([VersionStatus.LIVE.value,
                                          VersionStatus.PREVIOUS.value])))
    if exclude is not None:
        query = query.where(models.FlowVersion.id != exclude)
    return list(query.order_by(models.FlowVersion.number))


def _tally(kind: str, states: tuple[str, ...], version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    rows = (tally_models.RuntimeTally
            .select(tally_models.RuntimeTally.version_id, fn.SUM(tally_models.RuntimeTally.n))
            .where(tally_models.RuntimeTally.version_id.in_(version_ids)
                   & (tally_models.RuntimeTally.kind == kind)
                   & tally_models.RuntimeTally.status.in_(states)
                   & (tally_models.RuntimeTally.is_test == False))  # noqa: E712
            .group_by(tally_models.RuntimeTally.version_id))
    return {version_id: int(count)
            for version_id, count in tuples(rows, tuple[int, int | Decimal])}


def running_by_version(version_ids: list[int]) -> dict[int, int]:
    """Live running instances per version (from the tallies the database keeps)."""
    return _tally("instance", ("running",), version_ids)


def open_cards_by_version(version_ids: list[int]) -> dict[int, int]:
    """Live open (active or snoozed) cards per version."""
    return _tally("card", OPEN_CARD_STATES, version_ids)


def previous_figures(flow_id: int, exclude: int | None = None) -> list[PreviousVersionFigures]:
    versions = previous_versions(flow_id, exclude)
    ids = [v.id for v in versions]
    running = running_by_version(ids)
    cards = open_cards_by_version(ids)
    return [PreviousVersionFigures(v.number, running.get(v.id, 0), cards.get(v.id, 0))
            for v in versions if running.get(v.id, 0) or cards.get(v.id, 0)]


def segment_figures(flow_id: int, segment_name: str | None) -> SegmentFigures | None:
    segment = models.Segment.get_or_none(models.Segment.name == (segment_name or ""))
    if segment is None:
        return None
    members = tally_models.SegmentTally.select(tally_models.SegmentTally.n).where(
        (tally_models.SegmentTally.segment_id == segment.id)
        & (tally_models.SegmentTally.is_test == False)).scalar() or 0  # noqa: E712
    already = tally_models.SegmentFlowTally.select(tally_models.SegmentFlowTally.n).where(
        (tally_models.SegmentFlowTally.segment_id == segment.id)
        & (tally_models.SegmentFlowTally.flow_id == flow_id)).scalar() or 0
    return SegmentFigures(segment.name, int(members), int(already))


def card_holders(flow_id: int, segment_name: str,
                 versions: list[models.FlowVersion]) -> list[CardHolders]:
    """Per earlier version and card title: the segment's members (not test accounts) who
    still have such an open card, and how many of them are not running the flow now."""
    segment = models.Segment.get_or_none(models.Segment.name == segment_name)
    if segment is None or not versions:
        return []
    card, member = models.Card, models.SegmentMember
    members = member.select(member.customer).where(
        (member.segment == segment.id) & (member.is_test == False))  # noqa: E712
    # Whether the holder runs the flow now: a join to their running instances, not
    # ``NOT IN (SELECT …)``, which PostgreSQL evaluates row by row over the whole list
    # once the list outgrows work_mem (a million running customers: it never came back).
    running = models.Instance.alias("running")
    not_running = fn.COUNT(Case(None, [(running.id.is_null(), card.customer)], None).distinct())
    numbers = {v.id: v.number for v in versions}
    rows = (card.select(card.version, card.title, fn.COUNT(card.customer.distinct()),
                        not_running)
            .join(running, JOIN.LEFT_OUTER, on=(
                (running.flow == flow_id) & (running.customer == card.customer)
                & (running.status == "running") & (running.is_test == False)))  # noqa: E712
            .where((card.flow == flow_id) & card.version.in_(list(numbers))
                   & (card.is_test == False)  # noqa: E712
                   & card.status.in_(SQL(OPEN_CARD_STATUSES))  # as the partial index says
                   & card.customer.in_(members))
            .group_by(card.version, card.title))
    found = [CardHolders(numbers[version], title, everyone, free)
             for version, title, everyone, free in tuples(rows, tuple[int, str, int, int])]
    return sorted(found, key=lambda h: (h.version, h.title))


def count_card_holders(plan: PublishPlan) -> PublishPlan:
    """``plan`` (made without counting them) with who already holds the earlier versions'
    cards counted, as the flow is now — for the pre-publish dialog, off the GUI thread.
    Reads only; the plan as it is when there is nothing to count."""
    if not plan.holders_pending:
        return plan
    flow = get_flow(plan.flow_id)
    draft = approval_service.draft_of(flow)
    holders = [] if plan.segment is None or draft is None else card_holders(
        flow.id, plan.segment.name, previous_versions(flow.id, exclude=draft.id))
    return replace(plan, card_holders=holders, holders_pending=False)


def migration_figures(flow_id: int, draft_id: int, number: int,
                      definition: FlowDefinition) -> MigrationFigures:
    from flowbench.services import migration  # it reads this module's tallies

    return migration.migration_figures(flow_id, draft_id, number, definition)


def _with_segment(figures: MigrationFigures, flow_id: int, draft: models.FlowVersion,
                  definition: FlowDefinition, segment: SegmentFigures | None
                  ) -> MigrationFigures:
    """The migration figures with how many of the segment's customers would keep a moved
    instance running (for the start count when moving and cancelling are both chosen)."""
    if segment is None or figures.running == 0:
        return figures
    from flowbench.services import migration

    moving = migration.segment_members_moving(flow_id, draft.id, draft.number, definition,
                                              segment.name, figures, segment.already_running)
    return replace(figures, segment_members_moving=moving)


def prepare_publish(actor: Actor | None, flow_ref: str | int, *,
                    count_card_holders: bool = True) -> PublishPlan:
    """The pre-publish summary of the flow's draft, with everything that blocks it.

    Without an ``actor`` (a dry run nobody signed in for) nothing depends on who would
    publish: no permission blocker, no override. ``count_card_holders`` False leaves out
    who already holds the earlier versions' cards (``card_holders``: it reads every open
    card, ~1.5 s at a million): the Publish tab's summary shows nothing of it; the
    pre-publish dialog, the dry run and the publish count them."""
    member = current_member(actor) if actor is not None else None
    flow = get_flow(flow_ref)
    draft = approval_service.draft_of(flow)
    live = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                          & (models.FlowVersion.status == VersionStatus.LIVE.value))
    blockers: list[Blocker] = []
    refused = refusal_for(member, Permission.PUBLISH) if member is not None else ""
    if refused:
        blockers.append(Blocker(BlockerKind.PERMISSION, refused))
    if draft is None:
        blockers.append(Blocker(BlockerKind.NOTHING_TO_PUBLISH,
                                f"'{flow.name}' has no draft: there is nothing to publish."))
        return PublishPlan(flow.id, flow.name, None, None, None,
                           live.number if live else None, None, "", [], [], None, None,
                           blockers, previous_versions=previous_figures(flow.id))
    definition = FlowDefinition.from_json(draft.definition)
    for problem in problems_of(flow.name, definition):
        if problem.is_error:
            blockers.append(Blocker(BlockerKind.VALIDATION, problem.message, problem.step,
                                    problem.field))
    missing: list[str] = []
    if settings().approvals_enabled:
        missing = approval_service.missing_groups_for(draft)
        blockers.extend(Blocker(BlockerKind.APPROVAL, f"Waiting for approval from {group}.",
                                group=group) for group in missing)
    old = FlowDefinition.from_json(live.definition) if live else None
    what_changed = list_changes(old, definition)
    editor = draft.updated_by or draft.created_by
    segment = None
    holders: list[CardHolders] = []
    pending = False
    previous = previous_figures(flow.id, exclude=draft.id)
    if definition.trigger.kind == TriggerKind.SEGMENT_ENTERED:
        segment = segment_figures(flow.id, definition.trigger.segment)
        if segment is not None and any(v.open_cards for v in previous):
            if count_card_holders:
                holders = card_holders(flow.id, segment.name,
                                       previous_versions(flow.id, exclude=draft.id))
            else:
                pending = True
    return PublishPlan(
        flow_id=flow.id, flow_name=flow.name, version=draft.number, revision=draft.revision,
        content_hash=draft.content_hash, live_version=live.number if live else None,
        definition=definition, trigger=describe_trigger(definition.trigger),
        steps=steps_in_words(definition), changes=[c.text for c in what_changed],
        edited_by=editor.name if editor else None,
        edited_at=str(draft.updated_at or draft.created_at), blockers=blockers,
        approvals_missing=missing,
        can_override=member is not None and not refusal_for(member,
                                                            Permission.OVERRIDE_APPROVALS),
        previous_versions=previous, segment=segment, card_holders=holders,
        holders_pending=pending, what_changed=what_changed,
        migration=_with_segment(migration_figures(flow.id, draft.id, draft.number, definition),
                                flow.id, draft, definition, segment))
