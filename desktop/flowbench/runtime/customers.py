"""Customers in bulk: add unknown ids, update known ones, then re-evaluate segments.

One ``executemany`` for the new rows and one for the changed ones, whatever their number;
customers whose attributes and test flag did not change are left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowbench.runtime import segments, sql
from flowbench.runtime.segments import CustomerState, MembershipChange


@dataclass(frozen=True)
class CustomerChange:
    """What an import row or a ``customers set`` says about one customer.

    ``attributes`` maps names to values; a value of None removes the attribute.
    ``is_test`` None keeps the flag (new customers are not test accounts by default).
    """

    external_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    is_test: bool | None = None


@dataclass
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    membership: MembershipChange = field(default_factory=MembershipChange)


def _dumps(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, sort_keys=True, ensure_ascii=False)


def existing_customers(external_ids: Iterable[str]) -> dict[str, tuple[int, str, bool]]:
    """external id -> (id, attributes JSON, is_test) for the ids that exist."""
    found: dict[str, tuple[int, str, bool]] = {}
    for chunk in sql.chunks(sorted(set(external_ids))):
        for customer_id, external_id, attributes, is_test in sql.rows(
                sql.F("SELECT id, external_id, attributes, is_test FROM customer WHERE ")
                + sql.in_list("external_id", chunk)):
            found[external_id] = (int(customer_id), attributes, bool(is_test))
    return found


def customer_ids(external_ids: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in sql.chunks(sorted(set(external_ids))):
        for customer_id, external_id in sql.rows(
                sql.F("SELECT id, external_id FROM customer WHERE ")
                + sql.in_list("external_id", chunk)):
            found[external_id] = int(customer_id)
    return found


def _merged(old: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def upsert_customers(changes: Sequence[CustomerChange], now: int) -> UpsertResult:
    """Apply ``changes`` (one per external id) and let customers enter or leave segments."""
    result = UpsertResult()
    known = existing_customers(change.external_id for change in changes)
    inserts: list[tuple[str, str, bool, int, int]] = []
    updates: list[tuple[str, bool, int, int]] = []
    states: list[CustomerState] = []
    flag_changes: list[tuple[int, bool]] = []
    new_attributes: dict[str, tuple[dict[str, Any], bool]] = {}
    for change in changes:
        if change.external_id in known:
            customer_id, old_text, old_test = known[change.external_id]
            old = segments.attributes_of(old_text)
            attributes = _merged(old, change.attributes)
            is_test = old_test if change.is_test is None else change.is_test
            if attributes == old and is_test == old_test:
                result.unchanged += 1
                continue
            updates.append((_dumps(attributes), is_test, now, customer_id))
            states.append(CustomerState(customer_id, attributes, is_test))
            if is_test != old_test:
                flag_changes.append((customer_id, is_test))
            result.updated += 1
        else:
            attributes = _merged({}, change.attributes)
            is_test = bool(change.is_test)
            inserts.append((change.external_id, _dumps(attributes), is_test, now, now))
            new_attributes[change.external_id] = (attributes, is_test)
            result.added += 1
    before = int(sql.scalar("SELECT MAX(id) FROM customer") or 0)
    sql.executemany("INSERT INTO customer (external_id, attributes, is_test, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?)", inserts)
    sql.executemany("UPDATE customer SET attributes = ?, is_test = ?, updated_at = ? "
                    "WHERE id = ?", updates)
    segments.sync_test_flags(flag_changes)
    new_ids: list[int] = []
    if inserts:
        for customer_id, external_id in sql.rows(
                "SELECT id, external_id FROM customer WHERE id > ?", (before,)):
            if external_id in new_attributes:
                attributes, is_test = new_attributes[external_id]
                states.append(CustomerState(int(customer_id), attributes, is_test))
                new_ids.append(int(customer_id))
    result.membership = segments.refresh_customers(states, now, new=new_ids)
    return result
