"""The live tallies on bulk paths: one grouped statement per tally, not a trigger per row.

On SQLite the tallies (store/tallies.py) are kept by row triggers: a publish that cancels
a million instances and a million cards and starts a million more fires ~5 million
trigger programs, a third of its time. An engine call that will change many rows opens
``bulk(expected)``: the row triggers of ``instance`` and ``card`` are held (dropped and
created again inside the caller's write transaction, see ``tallies.held_row_triggers``),
and every statement of the engine that changes those rows calls ``status_changing``
(before an ``UPDATE … SET status``) or ``inserted`` (after an ``INSERT``), which then
moves the counts of all the rows it touches with one grouped upsert per tally.

Outside ``bulk`` — and always on PostgreSQL, whose statement-level triggers already count
a whole statement at once — these calls do nothing and the triggers count as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import SqliteDatabase

from flowbench.runtime.sql import F, Fragment, db, run, scalar
from flowbench.store.tallies import held_row_triggers

BULK_ROWS = 2_000  # fewer rows than this: the row triggers cost less than holding them
KINDS = {"instance": "instance", "card": "card"}

_RUNTIME = ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) ")
_RUNTIME_UPSERT = (" ON CONFLICT (version_id, kind, status, is_test) "
                   "DO UPDATE SET n = runtime_tally.n + excluded.n")
_SEGMENT_FLOW_UPSERT = (" ON CONFLICT (segment_id, flow_id) "
                        "DO UPDATE SET n = segment_flow_tally.n + excluded.n")

_state = threading.local()  # one connection per thread (peewee): the flag is per connection


def holding() -> bool:
    """Are the row triggers held on this connection now (this code keeps the tallies)?"""
    return bool(getattr(_state, "holding", False))


def may_hold() -> bool:
    """Would a large enough ``bulk`` hold the triggers? (Worth counting the rows first.)"""
    return not holding() and isinstance(db(), SqliteDatabase)


@contextmanager
def bulk(expected: int) -> Iterator[None]:
    """An engine call about to change about ``expected`` instance and card rows.

    On SQLite, from ``BULK_ROWS`` rows on, the tally row triggers are held for the block
    (inside the caller's transaction; nested blocks join the outer one).
    """
    if expected < BULK_ROWS or not may_hold():
        yield
        return
    with held_row_triggers(db()):
        _state.holding = True
        try:
            yield
        finally:
            _state.holding = False


def expected_rows(statement: str | Fragment, params: tuple[object, ...] = ()) -> int:
    """A count for ``bulk``, taken only when it could matter (SQLite, not yet holding)."""
    return int(scalar(statement, params) or 0) if may_hold() else 0


def _kind(table: str) -> str:
    if table not in KINDS:
        raise ValueError(f"no tally counts the rows of {table}")
    return KINDS[table]


def status_changing(table: str, where: Fragment, status: str) -> None:
    """Before ``UPDATE {table} SET status = {status} WHERE {where}``: move the counts.

    ``where`` is the update's own condition (columns unqualified, as in the update).
    """
    if not holding():
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
    if not holding():
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
    if not holding():
        return 0
    return int(scalar(f"SELECT MAX(id) FROM {_kind(table)}") or 0)


def _segment_flows(rows: Fragment, sign: int) -> None:
    """(segment, flow) tallies for running live instances ``rows`` (customer_id, flow_id)
    that start (+1) or stop (-1) counting, joined to their customers' live memberships."""
    run(F("INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
          "SELECT sm.segment_id, x.flow_id, ? * COUNT(*) FROM (", sign) + rows
        + F(") AS x JOIN segment_member sm ON sm.customer_id = x.customer_id "
            "WHERE NOT sm.is_test GROUP BY sm.segment_id, x.flow_id" + _SEGMENT_FLOW_UPSERT))
