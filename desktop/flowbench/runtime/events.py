"""Events in batches: recorded in bulk, then one cohort start per flow they trigger.

An ``api_event`` starts every flow whose live version has that event as its trigger, for
the customer it names (unless they already run the flow). A batch is grouped by event
name; the customers of each name start together. When one customer sends the same event
twice in a batch, the second counts after the first — the rare later rounds start the
customers named again (they start again only if the first run has ended meanwhile).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from flowbench.runtime import engine, sql
from flowbench.runtime.plans import live_flows_on_event
from flowbench.runtime.sql import F


class EventRecord(NamedTuple):  # a tuple: a batch holds 100,000s of them
    customer_id: int
    name: str
    payload: str = "{}"  # JSON object


@dataclass
class EventOutcome:
    recorded: int = 0
    started: dict[int, int] = field(default_factory=dict)  # flow id -> instances started

    @property
    def started_total(self) -> int:
        return sum(self.started.values())


def record_events(events: Sequence[EventRecord], now: int) -> EventOutcome:
    outcome = EventOutcome(recorded=len(events))
    if not events:
        return outcome
    before = int(sql.scalar("SELECT MAX(id) FROM event") or 0)
    sql.executemany("INSERT INTO event (customer_id, name, payload, at) VALUES (?, ?, ?, ?)",
                    [(*event, now) for event in events])
    last = int(sql.scalar("SELECT MAX(id) FROM event") or 0)
    repeats: dict[str, list[list[int]]] = {}  # name -> customers of round 2, 3, …
    keys = [(event.name, event.customer_id) for event in events]
    if len(set(keys)) < len(keys):  # someone sent the same event twice: rounds 2, 3, …
        seen: dict[tuple[str, int], int] = {}
        for key in keys:
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            if occurrence:
                rounds = repeats.setdefault(key[0], [])
                while len(rounds) < occurrence:
                    rounds.append([])
                rounds[occurrence - 1].append(key[1])
    for name in sorted({event.name for event in events}):
        flows = live_flows_on_event(name)
        if not flows:
            continue
        first_round = F("SELECT customer_id FROM event WHERE id > ? AND id <= ? AND name = ?",
                        before, last, name)
        for flow in flows:
            count = engine.start_instances(flow.flow_id, flow.version_id, first_round, now=now)
            for customers in repeats.get(name, []):
                count += engine.start_instances(flow.flow_id, flow.version_id, customers,
                                                now=now)
            outcome.started[flow.flow_id] = outcome.started.get(flow.flow_id, 0) + count
    return outcome
