"""The live tallies on bulk paths: one grouped statement per tally, not a trigger per row.

On SQLite the tallies (store/tallies.py) are kept by row triggers: a publish that cancels
a million instances and a million cards and starts a million more fires ~5 million
trigger programs, a third of its time. A call that will change many rows opens
``bulk(expected, tables)``: the row triggers of those tables are held (dropped and
created again inside the caller's write transaction, see ``tallies.held_row_triggers``),
and every statement that changes their rows calls the matching function here —
``status_changing`` before an ``UPDATE … SET status`` of instances or cards,
``inserted`` after an ``INSERT``, ``members_leaving`` / ``members_entered`` around
segment membership changes — which moves the counts of all the rows it touches with one
grouped upsert per tally.

Outside ``bulk`` — and always on PostgreSQL, whose statement-level triggers already count
a whole statement at once — these calls do nothing and the triggers count as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from peewee import SqliteDatabase

from flowbench.runtime.sql import F, Fragment, db, execute, executemany, run, scalar
from flowbench.store.tallies import held_row_triggers

BULK_ROWS = 2_000  # fewer rows than this: the row triggers cost less than holding them
RUNS = ("instance", "card")  # what an engine call changes

_RUNTIME = ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) ")
_RUNTIME_UPSERT = (" ON CONFLICT (version_id, kind, status, is_test) "
                   "DO UPDATE SET n = runtime_tally.n + excluded.n")
_SEGMENT_UPSERT = (" ON CONFLICT (segment_id, is_test) "
                   "DO UPDATE SET n = segment_tally.n + excluded.n")
_SEGMENT_FLOW_UPSERT = (" ON CONFLICT (segment_id, flow_id) "
                        "DO UPDATE SET n = segment_flow_tally.n + excluded.n")

_state = threading.local()  # one connection per thread (peewee): the flag is per connection


def _held() -> frozenset[str]:
    return getattr(_state, "held", frozenset())


def holding(table: str = "instance") -> bool:
    """Are the row triggers of ``table`` held on this connection now (this code keeps its
    tallies)?"""
    return table in _held()


def may_hold(tables: tuple[str, ...] = RUNS) -> bool:
    """Would a large enough ``bulk`` hold triggers? (Worth counting the rows first.)"""
    return isinstance(db(), SqliteDatabase) and not set(tables) <= _held()


@contextmanager
def bulk(expected: int, tables: tuple[str, ...] = RUNS) -> Iterator[None]:
    """A call about to change about ``expected`` rows of ``tables``.

    On SQLite, from ``BULK_ROWS`` rows on, the tally row triggers of those tables are held
    for the block (inside the caller's transaction; tables an outer block holds stay so).
    """
    more = tuple(table for table in tables if table not in _held())
    if expected < BULK_ROWS or not more or not may_hold(tables):
        yield
        return
    before = _held()
    with held_row_triggers(db(), more):
        _state.held = before | set(more)
        try:
            yield
        finally:
            _state.held = before


def expected_rows(statement: str | Fragment, params: tuple[object, ...] = ()) -> int:
    """A count for ``bulk``, taken only when it could matter (SQLite, not yet holding)."""
    return int(scalar(statement, params) or 0) if may_hold() else 0


def _kind(table: str) -> str:
    if table not in RUNS:
        raise ValueError(f"no runtime tally counts the rows of {table}")
    return table


def status_changing(table: str, where: Fragment, status: str) -> None:
    """Before ``UPDATE {table} SET status = {status} WHERE {where}``: move the counts.

    ``where`` is the update's own condition (columns unqualified, as in the update).
    """
    if not holding(table):
        return
    kind = _kind(table)
    run(F("WITH moved AS (SELECT version_id, status, is_test, COUNT(*) AS n "
          f"FROM {table} WHERE (") + where
        + F(") AND status <> ? GROUP BY version_id, status, is_test) " + _RUNTIME
            + "SELECT version_id, ?, s, is_test, SUM(d) FROM ("
            "SELECT version_id, status AS s, is_test, -n AS d FROM moved UNION ALL "
            "SELECT version_id, ? AS s, is_test, n AS d FROM moved) AS x "
            "GROUP BY version_id, s, is_test HAVING SUM(d) <> 0" + _RUNTIME_UPSERT,
            status, kind, status))
    if kind == "instance":
        if status == "running":  # rows that start running again (not a bulk path today)
            rows = F(" AND status <> ?", "running")
        else:
            rows = F(" AND status = ?", "running")
        _segment_flows(F("SELECT customer_id, flow_id FROM instance WHERE (") + where
                       + ") AND NOT is_test" + rows, 1 if status == "running" else -1)


def inserted(table: str, after_id: int) -> None:
    """After an ``INSERT`` into ``table`` whose new rows are the ids above ``after_id``."""
    if not holding(table):
        return
    kind = _kind(table)
    run(F(_RUNTIME + f"SELECT version_id, ?, status, is_test, COUNT(*) FROM {table} "
          "WHERE id > ? GROUP BY version_id, status, is_test" + _RUNTIME_UPSERT,
          kind, after_id))
    if kind == "instance":
        _segment_flows(F("SELECT customer_id, flow_id FROM instance WHERE id > ? "
                         "AND status = ? AND NOT is_test", after_id, "running"), 1)


def last_id(table: str) -> int:
    """The highest id of ``table`` now (0 when empty): call before an insert to name its
    new rows. Only needed while holding (0 otherwise, without a query)."""
    if not holding(table):
        return 0
    return int(scalar(f"SELECT MAX(id) FROM {table}") or 0)


def _segment_flows(rows: Fragment, sign: int) -> None:
    """(segment, flow) tallies for running live instances ``rows`` (customer_id, flow_id)
    that start (+1) or stop (-1) counting, joined to their customers' live memberships."""
    run(F("INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
          "SELECT sm.segment_id, x.flow_id, ? * COUNT(*) FROM (", sign) + rows
        + F(") AS x JOIN segment_member sm ON sm.customer_id = x.customer_id "
            "WHERE NOT sm.is_test GROUP BY sm.segment_id, x.flow_id" + _SEGMENT_FLOW_UPSERT))


# --- segment membership (imports) ------------------------------------------------------------

def members_leaving(pairs: Sequence[tuple[int, int]]) -> None:
    """Before deleting the memberships ``pairs`` (segment id, customer id)."""
    if not holding("segment_member") or not pairs:
        return
    execute("CREATE TEMP TABLE IF NOT EXISTS runtime_leaving ("
            "segment_id INTEGER NOT NULL, customer_id INTEGER NOT NULL, "
            "PRIMARY KEY (segment_id, customer_id))")
    executemany("INSERT OR IGNORE INTO runtime_leaving (segment_id, customer_id) VALUES (?, ?)",
                pairs)
    leaving = ("SELECT sm.segment_id, sm.customer_id, sm.is_test FROM segment_member sm "
               "JOIN runtime_leaving l ON l.segment_id = sm.segment_id "
               "AND l.customer_id = sm.customer_id")
    _members(F(leaving), -1)
    execute("DELETE FROM runtime_leaving")


def members_entered(after_id: int) -> None:
    """After inserting memberships whose ids are above ``after_id``."""
    if holding("segment_member"):
        _members(F("SELECT segment_id, customer_id, is_test FROM segment_member WHERE id > ?",
                   after_id), 1)


def _members(rows: Fragment, sign: int) -> None:
    """Memberships ``rows`` (segment_id, customer_id, is_test) arriving (+1) or leaving (-1):
    their segments' counts, and the flows their live customers run now."""
    run(F("INSERT INTO segment_tally (segment_id, is_test, n) "
          "SELECT segment_id, is_test, ? * COUNT(*) FROM (", sign) + rows
        + F(") AS m GROUP BY segment_id, is_test" + _SEGMENT_UPSERT))
    run(F("INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
          "SELECT m.segment_id, i.flow_id, ? * COUNT(*) FROM (", sign) + rows
        + F(") AS m JOIN instance i ON i.customer_id = m.customer_id AND i.status = ? "
            "AND NOT i.is_test WHERE NOT m.is_test GROUP BY m.segment_id, i.flow_id"
            + _SEGMENT_FLOW_UPSERT, "running"))
