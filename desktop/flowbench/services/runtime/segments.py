"""Segments of the local runtime: import rules from JSON, list them with member counts.

Importing a segment (new, or a known name with a new rule) evaluates it over every
customer; customers who enter start the live flows triggered by the segment.
Permission: ``edit_draft`` (rehearsal data; see ``runtime_access``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from peewee import fn

from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.domain.safe_text import check_name
from flowbench.domain.segment_rules import Rule, RuleError, parse_rule
from flowbench.domain.wording import count_of
from flowbench.runtime import clock, segments
from flowbench.runtime.plans import live_flows_on_segment
from flowbench.services.context import Actor, audit, require
from flowbench.services.runtime.access import REHEARSAL
from flowbench.services.runtime.files import MAX_NAME, parse_segments_json
from flowbench.store import models, tally_models
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class SegmentImported:
    name: str
    outcome: str  # created / updated / unchanged
    entered: int
    left: int
    started: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "outcome": self.outcome, "entered": self.entered,
                "left": self.left, "started": self.started}

    def describe(self) -> str:
        text = f"Segment '{self.name}' {self.outcome}"
        if self.outcome != "unchanged":
            text += (f": {self.entered:,} customer{'' if self.entered == 1 else 's'} "
                     f"entered, {self.left:,} left")
            if self.started:
                text += f", {count_of(self.started, 'flow instance')} started"
        return text + "."


@dataclass(frozen=True)
class SegmentInfo:
    name: str
    match: str
    conditions: list[dict[str, Any]]
    members: int  # live (non-test) customers in it
    test_members: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "match": self.match, "conditions": self.conditions,
                "members": self.members, "test_members": self.test_members}


def import_segments_json(actor: Actor, data: bytes | str,
                         source: str = "the file") -> list[SegmentImported]:
    """Create or update the segments of the file; a bad one refuses the whole file."""
    specs = parse_segments_json(data, source)
    results: list[SegmentImported] = []
    with write_transaction():
        member = require(actor, REHEARSAL, "change segments")
        now = clock.current_time()
        for spec in specs:
            results.append(_store(spec.name, spec.rule, now))
        audit(member, "segments.import", f"Imported {len(specs)} segment"
              f"{'s' if len(specs) != 1 else ''} from {source}: "
              + " ".join(result.describe() for result in results),
              segments=[result.to_dict() for result in results])
    return results


def _store(name: str, rule: Rule, now: int) -> SegmentImported:
    """Create the segment or give it ``rule``, then re-evaluate its members."""
    text = json.dumps(rule.to_dict(), sort_keys=True, ensure_ascii=False)
    existing = models.Segment.get_or_none(models.Segment.name == name)
    if existing is not None and existing.rule == text:
        return SegmentImported(name, "unchanged", 0, 0, 0)
    if existing is None:
        segment_id = models.Segment.create(name=name, rule=text, created_at=now).id
        outcome = "created"
    else:
        existing.rule = text
        existing.save()
        segment_id, outcome = existing.id, "updated"
    change = segments.refresh_segment(segment_id, now)
    return SegmentImported(name, outcome, change.entered.get(name, 0),
                           change.left.get(name, 0), change.started)


def save_segment(actor: Actor, name: str, match: str,
                 conditions: list[dict[str, Any]], *, new: bool = False) -> SegmentImported:
    """Create (``new``: refused if the name is taken) or change one segment's rule, as
    the desktop app's segment editor does; a bad rule is refused, nothing written."""
    if not name.strip():
        raise InvalidInput("The segment needs a name.")
    name = check_name(name, "The segment name", MAX_NAME)
    try:
        rule = parse_rule({"match": match, "conditions": conditions})
    except RuleError as exc:
        raise InvalidInput(f"Segment '{name}': {exc}") from None
    with write_transaction():
        member = require(actor, REHEARSAL, "change segments")
        existing = models.Segment.get_or_none(fn.LOWER(models.Segment.name) == name.lower())
        if existing is not None and (new or existing.name != name):
            raise Conflict(f"There is already a segment named '{existing.name}'.")
        if existing is None and not new:
            raise NotFound(f"There is no segment named '{name}'.")
        result = _store(name, rule, clock.current_time())
        audit(member, "segments.save", result.describe(), segments=[result.to_dict()])
    return result


def delete_segment(actor: Actor, name: str) -> int:
    """Delete a segment no live flow starts on; returns how many members it had."""
    with write_transaction():
        member = require(actor, REHEARSAL, "change segments")
        found = models.Segment.get_or_none(models.Segment.name == name)
        if found is None:
            raise NotFound(f"There is no segment named '{name}'.")
        flow_ids = [flow.flow_id for flow in live_flows_on_segment(found.name)]
        users = sorted(flow.name for flow in models.Flow.select(models.Flow.name)
                       .where(models.Flow.id.in_(flow_ids))) if flow_ids else []
        if users:
            raise Conflict(f"The segment '{name}' starts the live flow"
                           f"{'s' if len(users) != 1 else ''} "
                           + ", ".join(f"'{user}'" for user in users)
                           + "; publish them with another trigger first.")
        members = models.SegmentMember.select().where(
            models.SegmentMember.segment == found.id).count()
        models.SegmentMember.delete().where(models.SegmentMember.segment == found.id).execute()
        members_tally = tally_models.SegmentTally
        members_tally.delete().where(members_tally.segment_id == found.id).execute()
        found.delete_instance()
        audit(member, "segments.delete", f"Deleted the segment '{name}' "
              f"({members:,} member{'' if members == 1 else 's'}).", segment=name,
              members=members)
    return members


def _counts() -> dict[tuple[int, bool], int]:
    tally = tally_models.SegmentTally
    return {(row.segment_id, bool(row.is_test)): int(row.n) for row in tally.select()}


def list_segments() -> list[SegmentInfo]:
    counts = _counts()
    found = []
    for segment in models.Segment.select().order_by(models.Segment.name):
        try:
            rule = json.loads(segment.rule)
        except ValueError:
            rule = {}
        found.append(SegmentInfo(segment.name, rule.get("match", "all"),
                                 rule.get("conditions", []),
                                 counts.get((segment.id, False), 0),
                                 counts.get((segment.id, True), 0)))
    return found
