"""Customers of the local runtime: import from CSV, set attributes, list.

Importing or changing customers re-evaluates the segments they may enter or leave, and
entering a segment starts the live flows triggered by it — all in the same transaction.
Permission: ``edit_draft`` (rehearsal data; see ``runtime_access``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import SQL, fn

from flowbench.domain.errors import InvalidInput, NotFound
from flowbench.domain.wording import count_of
from flowbench.runtime import clock
from flowbench.runtime.customers import CustomerChange, UpsertResult, upsert_customers
from flowbench.services.context import Actor, audit, require
from flowbench.services.runtime.access import REHEARSAL
from flowbench.services.runtime.files import check_external_id, parse_assignments
from flowbench.services.runtime.files import parse_customers_csv as parse_csv
from flowbench.store import models
from flowbench.store.connection import write_transaction
from flowbench.store.long_writes import LongWrite
from flowbench.store.query_rows import tuples


@dataclass(frozen=True)
class CustomerImport:
    added: int
    updated: int
    unchanged: int
    entered: dict[str, int] = field(default_factory=dict)  # segment -> customers
    left: dict[str, int] = field(default_factory=dict)
    started: int = 0  # instances started by customers entering segments

    @classmethod
    def of(cls, result: UpsertResult) -> CustomerImport:
        change = result.membership
        return cls(result.added, result.updated, result.unchanged, dict(change.entered),
                   dict(change.left), change.started)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "entered": self.entered, "left": self.left, "started": self.started}

    def describe(self) -> str:
        parts = [f"{self.added:,} added, {self.updated:,} updated, "
                 f"{self.unchanged:,} unchanged."]
        for name, count in sorted(self.entered.items()):
            parts.append(f"{count:,} entered '{name}'.")
        for name, count in sorted(self.left.items()):
            parts.append(f"{count:,} left '{name}'.")
        if self.started:
            parts.append(f"Started {count_of(self.started, 'flow instance')}.")
        return " ".join(parts)


@dataclass(frozen=True)
class CustomerInfo:
    id: str
    is_test: bool
    attributes: dict[str, Any]
    segments: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "test": self.is_test, "attributes": self.attributes,
                "segments": self.segments}


def _apply(actor: Actor, changes: list[CustomerChange], action: str,
           summary: str) -> CustomerImport:
    work = LongWrite(f"importing {len(changes):,} customers", len(changes))
    with write_transaction(work):
        member = require(actor, REHEARSAL, "change the runtime's customers")
        result = CustomerImport.of(upsert_customers(changes, clock.current_time()))
        audit(member, action, summary + f": {result.describe()}", **result.to_dict())
    return result


def import_customers_csv(actor: Actor, data: bytes | str,
                         source: str = "the file") -> CustomerImport:
    """Add unknown ids and update known ones; a bad row refuses the whole file."""
    changes = parse_csv(data, source)  # refused here, before anything is written
    return _apply(actor, changes, "customers.import",
                  f"Imported {len(changes):,} customer{'' if len(changes) == 1 else 's'} "
                  f"from {source}")


def set_customer(actor: Actor, external_id: str, assignments: Iterable[str]) -> CustomerImport:
    """``KEY=VALUE`` attributes for one customer (added if new); ``KEY=`` removes one,
    ``test=yes|no`` sets the test flag."""
    external_id = external_id.strip()
    problem = check_external_id(external_id)
    if problem:
        raise InvalidInput(f"Not a customer id: {problem}.")
    attributes, is_test = parse_assignments(assignments)
    if not attributes and is_test is None:
        raise InvalidInput("Say what to set: KEY=VALUE (KEY= removes an attribute).")
    return _apply(actor, [CustomerChange(external_id, attributes, is_test)], "customers.set",
                  f"Set {', '.join(sorted(attributes) + (['test'] if is_test is not None else []))}"
                  f" of customer '{external_id}'")


def _segments_of(customer_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(customer_ids), 500):
        rows = (models.SegmentMember.select(models.SegmentMember.customer, models.Segment.name)
                .join(models.Segment)
                .where(models.SegmentMember.customer.in_(customer_ids[start:start + 500]))
                .order_by(models.Segment.name))
        for customer_id, name in tuples(rows, tuple[int, str]):
            found.setdefault(customer_id, []).append(name)
    return found


def list_customers(*, segment: str | None = None, test: bool | None = None,
                   limit: int | None = None) -> list[CustomerInfo]:
    """Customers by id, optionally only a segment's members or only (non-)test accounts."""
    query = models.Customer.select().order_by(models.Customer.external_id)
    if segment is not None:
        found = models.Segment.get_or_none(models.Segment.name == segment)
        if found is None:
            raise NotFound(f"There is no segment named '{segment}'.")
        query = query.where(models.Customer.id.in_(
            models.SegmentMember.select(models.SegmentMember.customer)
            .where(models.SegmentMember.segment == found.id)))
    if test is not None:
        query = query.where(models.Customer.is_test == test)
    if limit is not None:
        query = query.limit(limit)
    customers = list(query)
    segments = _segments_of([c.id for c in customers])
    return [CustomerInfo(c.external_id, bool(c.is_test), json.loads(c.attributes or "{}"),
                         segments.get(c.id, [])) for c in customers]


def get_customer(external_id: str) -> models.Customer:
    customer = models.Customer.get_or_none(models.Customer.external_id == external_id.strip())
    if customer is None:
        raise NotFound(f"There is no customer '{external_id}'.")
    return customer


# --- browsing many customers a page at a time (the desktop app's customer table) ---------

def _matching(search: str | None) -> Any:
    query = models.Customer.select()
    text = (search or "").strip()
    if text:
        query = query.where(models.Customer.external_id.contains(text))
    return query


def page_customers(*, search: str | None = None, after: str | None = None,
                   limit: int = 200) -> list[CustomerInfo]:
    """Up to ``limit`` customers by id whose id contains ``search`` (ignoring case), after
    the id ``after``: one page of a table that may hold millions, read by the index."""
    query = _matching(search)
    if after is not None:
        query = query.where(models.Customer.external_id > after)
    customers = list(query.order_by(models.Customer.external_id).limit(max(1, limit)))
    segments = _segments_of([c.id for c in customers])
    return [CustomerInfo(c.external_id, bool(c.is_test), json.loads(c.attributes or "{}"),
                         segments.get(c.id, [])) for c in customers]


def count_customers(*, search: str | None = None, cap: int | None = None) -> int:
    """How many customers match ``search``; with ``cap``, counting stops there (so a
    search over millions answers quickly: show "10,000+")."""
    query = _matching(search).select(models.Customer.id)
    if cap is None:
        return int(query.count())
    capped = query.limit(cap).alias("capped")
    return int(models.Customer.select(fn.COUNT(SQL("*"))).from_(capped).scalar() or 0)


def get_customer_info(external_id: str) -> CustomerInfo:
    """One customer as the table shows it."""
    customer = get_customer(external_id)
    segments = _segments_of([customer.id])
    return CustomerInfo(customer.external_id, bool(customer.is_test),
                        json.loads(customer.attributes or "{}"), segments.get(customer.id, []))
