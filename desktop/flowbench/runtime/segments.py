"""Segment membership, kept materialised, and the flows that start when customers enter.

Rules are evaluated in Python (portable, exact) over the customers that changed, and the
membership changes are written in bulk (``executemany``). Customers who entered a
segment then start, as one cohort per flow, every flow whose live version has a
``segment_entered`` trigger on it (a customer already running the flow is skipped).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowbench.domain.segment_rules import Rule, RuleError, parse_rule
from flowbench.runtime import bulk_tallies, engine, sql
from flowbench.runtime.bulk_tallies import bulk
from flowbench.runtime.plans import live_flows_on_segment
from flowbench.runtime.sql import F

PAGE = 20_000  # customers read at a time when a whole segment is evaluated


@dataclass(frozen=True)
class CustomerState:
    id: int
    attributes: dict[str, Any]
    is_test: bool


@dataclass
class MembershipChange:
    entered: dict[str, int] = field(default_factory=dict)  # segment name -> customers
    left: dict[str, int] = field(default_factory=dict)
    started: int = 0  # instances started by the entries

    def merge(self, other: MembershipChange) -> None:
        for name, count in other.entered.items():
            self.entered[name] = self.entered.get(name, 0) + count
        for name, count in other.left.items():
            self.left[name] = self.left.get(name, 0) + count
        self.started += other.started


def segment_rules() -> list[tuple[int, str, Rule]]:
    found = []
    for segment_id, name, text in sql.rows("SELECT id, name, rule FROM segment ORDER BY id"):
        try:
            found.append((int(segment_id), str(name), parse_rule(json.loads(text))))
        except (RuleError, ValueError, TypeError, AttributeError):
            continue  # a damaged rule matches nobody rather than stopping the runtime
    return found


def _memberships(customer_ids: Sequence[int]) -> dict[int, set[int]]:
    current: dict[int, set[int]] = {}
    for chunk in sql.chunks(list(customer_ids)):
        for customer_id, segment_id in sql.rows(
                F("SELECT customer_id, segment_id FROM segment_member WHERE ")
                + sql.in_list("customer_id", chunk)):
            current.setdefault(int(customer_id), set()).add(int(segment_id))
    return current


def refresh_customers(customers: Sequence[CustomerState], now: int, *,
                      new: Iterable[int] = ()) -> MembershipChange:
    """Re-evaluate every segment for ``customers`` (``new``: ids known to be in none)."""
    rules = segment_rules()
    if not rules or not customers:
        return MembershipChange()
    fresh = set(new)
    current = _memberships([c.id for c in customers if c.id not in fresh])
    enters: list[tuple[int, int, bool, int]] = []
    leaves: list[tuple[int, int]] = []
    for customer in customers:
        was_in = current.get(customer.id, set())
        for segment_id, _, rule in rules:
            inside = rule.matches(customer.attributes)
            if inside and segment_id not in was_in:
                enters.append((segment_id, customer.id, customer.is_test, now))
            elif not inside and segment_id in was_in:
                leaves.append((segment_id, customer.id))
    return _apply(rules, enters, leaves, now)


def refresh_segment(segment_id: int, now: int) -> MembershipChange:
    """Evaluate one segment's rule over every customer (after it was imported or changed)."""
    rules = [entry for entry in segment_rules() if entry[0] == segment_id]
    if not rules:
        return MembershipChange()
    rule = rules[0][2]
    members = {int(row[0]) for row in sql.rows(
        "SELECT customer_id FROM segment_member WHERE segment_id = ?", (segment_id,))}
    enters: list[tuple[int, int, bool, int]] = []
    leaves: list[tuple[int, int]] = []
    last = 0
    while True:
        page = sql.rows("SELECT id, attributes, is_test FROM customer WHERE id > ? "
                        "ORDER BY id LIMIT ?", (last, PAGE))
        if not page:
            break
        for customer_id, attributes, is_test in page:
            inside = rule.matches(attributes_of(attributes))
            if inside and customer_id not in members:
                enters.append((segment_id, customer_id, bool(is_test), now))
            elif not inside and customer_id in members:
                leaves.append((segment_id, customer_id))
        last = page[-1][0]
    return _apply(rules, enters, leaves, now)


def attributes_of(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _apply(rules: list[tuple[int, str, Rule]], enters: list[tuple[int, int, bool, int]],
           leaves: list[tuple[int, int]], now: int) -> MembershipChange:
    names = {segment_id: name for segment_id, name, _ in rules}
    change = MembershipChange()
    for segment_id, _customer in leaves:
        name = names[segment_id]
        change.left[name] = change.left.get(name, 0) + 1
    with bulk(len(leaves) + len(enters), ("segment_member",)):
        bulk_tallies.members_leaving(leaves)
        sql.executemany("DELETE FROM segment_member WHERE segment_id = ? AND customer_id = ?",
                        leaves)
        before = int(sql.scalar("SELECT MAX(id) FROM segment_member") or 0)
        sql.executemany("INSERT INTO segment_member (segment_id, customer_id, is_test, "
                        "entered_at) VALUES (?, ?, ?, ?)", enters)
        bulk_tallies.members_entered(before)
    sql.executemany("INSERT INTO segment_change (segment_id, customer_id, entered, at) "
                    "VALUES (?, ?, ?, ?)",  # the history the forecast replays
                    [(segment_id, customer, False, now) for segment_id, customer in leaves]
                    + [(segment_id, customer, True, at) for segment_id, customer, _, at
                       in enters])
    entered_segments = sorted({segment_id for segment_id, *_ in enters})
    for segment_id, *_ in enters:
        name = names[segment_id]
        change.entered[name] = change.entered.get(name, 0) + 1
    for segment_id in entered_segments:
        change.started += start_entered(segment_id, names[segment_id], after_member=before,
                                        now=now)
    return change


def start_entered(segment_id: int, segment_name: str, *, after_member: int, now: int) -> int:
    """Start the live flows triggered by the segment for members who entered just now."""
    started = 0
    newcomers = F("SELECT customer_id FROM segment_member WHERE segment_id = ? AND id > ?",
                  segment_id, after_member)
    for flow in live_flows_on_segment(segment_name):
        started += engine.start_instances(flow.flow_id, flow.version_id, newcomers, now=now)
    return started


def sync_test_flags(flags: Sequence[tuple[int, bool]]) -> None:
    """Memberships carry their customer's test flag: copy changed flags across."""
    sql.executemany("UPDATE segment_member SET is_test = ? WHERE customer_id = ?",
                    [(flag, customer_id) for customer_id, flag in flags])
