"""Reading the audit trail: who did what when, newest first, filtered and in pages.

The log only grows, so it is read in pages by *keyset*: a page is the ``limit`` newest
entries that match, older than the last one already shown (``before_id``). Each page is
one indexed query however long the log is. Reading needs the ``view_audit`` permission
(Owners, Admins and Publishers); it writes nothing, not even an audit entry.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN

from flowbench.domain.errors import InvalidInput
from flowbench.domain.roles import Permission
from flowbench.services.context import Actor, require
from flowbench.store import models
from flowbench.store.query_rows import tuples

PAGE_SIZE = 200
MAX_PAGE_SIZE = 2000
FAMILY = ".*"  # "member.*" means every action that starts with "member."


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime.datetime  # UTC, no tzinfo (as stored)
    member_email: str | None  # None: done by nobody signed in (e.g. a failed sign-in)
    member_name: str | None
    action: str
    flow_id: int | None
    flow_name: str | None
    summary: str
    details: dict[str, Any]

    @property
    def who(self) -> str:
        if self.member_email is None:
            return "—"
        return f"{self.member_name} <{self.member_email}>" if self.member_name \
            else self.member_email

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat() + "Z", "member": self.member_email,
                "action": self.action, "flow": self.flow_name, "summary": self.summary,
                "details": self.details}


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show. ``action``: an exact action, or a family such as
    ``member.*``; ``text``: words found in the summary or the details (any case)."""

    flow_id: int | None = None
    member_id: int | None = None
    action: str | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return (self.flow_id is None and self.member_id is None and not self.action
                and not self.text.strip())


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]
    more: bool  # older entries match too: ask again with before_id=next_before

    @property
    def next_before(self) -> int | None:
        return self.records[-1].id if self.records else None


@dataclass(frozen=True)
class AuditChoices:
    """What the filters can offer: flows and members that appear in the log, and actions."""

    flows: list[tuple[int, str]] = field(default_factory=list)
    members: list[tuple[int, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def families(self) -> list[str]:
        """``flow.*``, ``member.*`` … for each prefix used by more than one action."""
        prefixes: dict[str, int] = {}
        for action in self.actions:
            if "." in action:
                prefix = action.split(".", 1)[0]
                prefixes[prefix] = prefixes.get(prefix, 0) + 1
        return [prefix + FAMILY for prefix, count in sorted(prefixes.items()) if count > 1]


def _details(text: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(text or "{}")
    except ValueError:
        return {"text": text}
    return loaded if isinstance(loaded, dict) else {"value": loaded}


def read_audit(actor: Actor, filters: AuditFilter | None = None, *,
               before_id: int | None = None, limit: int = PAGE_SIZE) -> AuditPage:
    """The newest ``limit`` entries matching ``filters`` (older than ``before_id``)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"A page holds 1 to {MAX_PAGE_SIZE:,} entries.")
    require(actor, Permission.VIEW_AUDIT)
    chosen = filters or AuditFilter()
    entry, member, flow = models.AuditEntry, models.Member, models.Flow
    query = (entry.select(entry.id, entry.at, entry.action, entry.summary, entry.details,
                          entry.flow, member.email, member.name, flow.name)
             .join(member, JOIN.LEFT_OUTER, on=(entry.member == member.id))
             .switch(entry)
             .join(flow, JOIN.LEFT_OUTER, on=(entry.flow == flow.id)))
    if before_id is not None:
        query = query.where(entry.id < before_id)
    if chosen.flow_id is not None:
        query = query.where(entry.flow == chosen.flow_id)
    if chosen.member_id is not None:
        query = query.where(entry.member == chosen.member_id)
    if chosen.action:
        if chosen.action.endswith(FAMILY):
            query = query.where(entry.action.startswith(chosen.action[:-1]))
        else:
            query = query.where(entry.action == chosen.action)
    for word in chosen.text.split():
        query = query.where(entry.summary.contains(word) | entry.details.contains(word)
                            | member.email.contains(word) | flow.name.contains(word))
    rows = list(tuples(query.order_by(entry.id.desc()).limit(limit + 1), tuple[
        int, datetime.datetime | str, str, str, str, int | None, str | None, str | None,
        str | None]))
    records = [AuditRecord(id=row[0], at=_moment(row[1]), action=row[2], summary=row[3] or "",
                           details=_details(row[4]), flow_id=row[5], member_email=row[6],
                           member_name=row[7], flow_name=row[8]) for row in rows[:limit]]
    return AuditPage(records, more=len(rows) > limit)


def _moment(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))


# The distinct values of an indexed column, one index probe per value (a "loose index
# scan"): milliseconds on a log of millions of entries, where SELECT DISTINCT reads it all.
_DISTINCT = ("WITH RECURSIVE seen(v) AS ("
             "SELECT MIN({col}) FROM audit_entry "
             "UNION ALL SELECT (SELECT MIN({col}) FROM audit_entry WHERE {col} > seen.v) "
             "FROM seen WHERE seen.v IS NOT NULL) "
             "SELECT v FROM seen WHERE v IS NOT NULL")


def _distinct(column: str) -> list[Any]:
    assert column in ("action", "flow_id")
    cursor = models.database.obj.execute_sql(_DISTINCT.format(col=column))
    return [row[0] for row in cursor.fetchall()]


def audit_choices(actor: Actor) -> AuditChoices:
    """Flows and members that appear in the log, and every action recorded."""
    require(actor, Permission.VIEW_AUDIT)
    flow_ids = _distinct("flow_id")
    flows = [(f.id, f.name) for f in models.Flow.select(models.Flow.id, models.Flow.name)
             .where(models.Flow.id.in_(flow_ids)).order_by(models.Flow.name_key)] \
        if flow_ids else []
    people = [(m.id, f"{m.name} <{m.email}>") for m in models.Member.select()
              .order_by(models.Member.name, models.Member.email)]
    return AuditChoices(flows, people, sorted(_distinct("action")))
