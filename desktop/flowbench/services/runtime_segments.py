"""Segments of the local runtime: import rules from JSON, list them with member counts.

Importing a segment (new, or a known name with a new rule) evaluates it over every
customer; customers who enter start the live flows triggered by the segment.
Permission: ``edit_draft`` (rehearsal data; see ``runtime_access``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flowbench.runtime import clock, segments
from flowbench.services.context import Actor, audit, require
from flowbench.services.runtime_access import REHEARSAL
from flowbench.services.runtime_files import parse_segments_json
from flowbench.store import models
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
            text += f": {self.entered:,} customers entered, {self.left:,} left"
            if self.started:
                text += f", {self.started:,} flow instances started"
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
        member = require(actor, REHEARSAL)
        now = clock.current_time()
        for spec in specs:
            rule = json.dumps(spec.rule.to_dict(), sort_keys=True, ensure_ascii=False)
            existing = models.Segment.get_or_none(models.Segment.name == spec.name)
            if existing is not None and existing.rule == rule:
                results.append(SegmentImported(spec.name, "unchanged", 0, 0, 0))
                continue
            if existing is None:
                segment_id = models.Segment.create(name=spec.name, rule=rule,
                                                   created_at=now).id
                outcome = "created"
            else:
                existing.rule = rule
                existing.save()
                segment_id, outcome = existing.id, "updated"
            change = segments.refresh_segment(segment_id, now)
            results.append(SegmentImported(spec.name, outcome, change.entered.get(spec.name, 0),
                                           change.left.get(spec.name, 0), change.started))
        audit(member, "segments.import", f"Imported {len(specs)} segment"
              f"{'s' if len(specs) != 1 else ''} from {source}: "
              + " ".join(result.describe() for result in results),
              segments=[result.to_dict() for result in results])
    return results


def _counts() -> dict[tuple[int, bool], int]:
    tally = models.SegmentTally
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
