"""The publish with all three choices written by hand — the baseline figure 3 is held
against — on the SQLite file and, for the team benchmark, on PostgreSQL.

The same statements run on both databases (``?`` becomes psycopg's ``%s``), so the
PostgreSQL floor beside the SQLite floor shows what writing these rows costs on each,
whatever the engine does.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks import workspace as bench_ws

FLOOR_TALLIES_BEFORE = [
    # the counts of the rows about to be cancelled move, one grouped upsert per tally
    ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
     "SELECT version_id, 'instance', s, FALSE, SUM(d) FROM (SELECT version_id, 'running' AS s, "
     "-COUNT(*) AS d FROM instance WHERE version_id IN (SELECT id FROM old_version) "
     "AND status = 'running' AND is_test = FALSE GROUP BY version_id UNION ALL "
     "SELECT version_id, 'cancelled', COUNT(*) FROM instance WHERE version_id IN "
     "(SELECT id FROM old_version) AND status = 'running' AND is_test = FALSE "
     "GROUP BY version_id) x GROUP BY version_id, s "
     "ON CONFLICT (version_id, kind, status, is_test) "
     "DO UPDATE SET n = runtime_tally.n + excluded.n"),
    ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
     "SELECT version_id, 'card', s, FALSE, SUM(d) FROM (SELECT version_id, status AS s, "
     "-COUNT(*) AS d FROM card WHERE version_id IN (SELECT id FROM old_version) "
     "AND status IN ('active', 'snoozed') AND is_test = FALSE GROUP BY version_id, status "
     "UNION ALL SELECT version_id, 'cancelled', COUNT(*) FROM card WHERE version_id IN "
     "(SELECT id FROM old_version) AND status IN ('active', 'snoozed') AND is_test = FALSE "
     "GROUP BY version_id) x GROUP BY version_id, s "
     "ON CONFLICT (version_id, kind, status, is_test) "
     "DO UPDATE SET n = runtime_tally.n + excluded.n"),
    ("INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
     "SELECT sm.segment_id, i.flow_id, -COUNT(*) FROM instance i JOIN segment_member sm "
     "ON sm.customer_id = i.customer_id WHERE i.version_id IN (SELECT id FROM old_version) "
     "AND i.status = 'running' AND i.is_test = FALSE AND sm.is_test = FALSE "
     "GROUP BY sm.segment_id, i.flow_id "
     "ON CONFLICT (segment_id, flow_id) DO UPDATE SET n = segment_flow_tally.n + excluded.n"),
]
FLOOR_TALLIES_AFTER = [
    # the new instances and cards (ids above the old highest) counted once each
    ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
     "SELECT version_id, 'instance', status, is_test, COUNT(*) FROM instance WHERE id > ? "
     "GROUP BY version_id, status, is_test "
     "ON CONFLICT (version_id, kind, status, is_test) "
     "DO UPDATE SET n = runtime_tally.n + excluded.n"),
    ("INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
     "SELECT version_id, 'card', status, is_test, COUNT(*) FROM card WHERE id > ? "
     "GROUP BY version_id, status, is_test "
     "ON CONFLICT (version_id, kind, status, is_test) "
     "DO UPDATE SET n = runtime_tally.n + excluded.n"),
    ("INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
     "SELECT sm.segment_id, i.flow_id, COUNT(*) FROM instance i JOIN segment_member sm "
     "ON sm.customer_id = i.customer_id WHERE i.id > ? AND i.status = 'running' "
     "AND i.is_test = FALSE AND sm.is_test = FALSE GROUP BY sm.segment_id, i.flow_id "
     "ON CONFLICT (segment_id, flow_id) DO UPDATE SET n = segment_flow_tally.n + excluded.n"),
]


@dataclass
class _Raw:
    """One connection of either database, in autocommit, with ``?`` placeholders."""

    conn: Any
    postgres: bool

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        if self.postgres:  # psycopg reads % as a placeholder only when given parameters
            return self.conn.execute(sql.replace("?", "%s"), params or None)
        return self.conn.execute(sql, params)

    def value(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.run(sql, params).fetchone()[0]

    def tally_triggers(self) -> list[tuple[str, str]]:
        """(name, definition) of the tally triggers on ``instance`` and ``card``."""
        if self.postgres:
            sql = ("SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                   "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
                   "AND t.tgname LIKE 'tally%' AND c.relname IN ('instance', 'card')")
        else:
            sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                   "AND name LIKE 'tally%' AND tbl_name IN ('instance', 'card')")
        return [(name, text) for name, text in self.run(sql).fetchall()]

    def drop_trigger(self, name: str, definition: str) -> None:
        table = "card" if "_card_" in name else "instance"
        self.run(f"DROP TRIGGER {name}" + (f" ON {table}" if self.postgres else ""))


def connect_sqlite(copy: Path) -> _Raw:
    from flowbench.store.connection import SQLITE_PRAGMAS

    conn = sqlite3.connect(str(copy), isolation_level=None)
    for name, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    return _Raw(conn, postgres=False)


def connect_postgres(url: str) -> _Raw:
    import psycopg

    return _Raw(psycopg.connect(url, autocommit=True), postgres=True)


def publish_raw(raw: _Raw, flow: int, *, floor: bool = False) -> tuple[float, str]:
    """The same end state as the service's publish, hand-written, in one transaction.

    ``floor``: the set-based floor — the tally triggers dropped for the transaction (and
    created again before it commits) and the tallies kept by one grouped statement per
    tally before the cancellations and after the starts.
    """
    now = int(raw.value("SELECT COALESCE(MAX(now), 1800000000) FROM runtime_clock"))
    draft, number = raw.run("SELECT id, number FROM flow_version WHERE flow_id = ? "
                            "AND status = 'draft'", (flow,)).fetchone()
    live = raw.value("SELECT id FROM flow_version WHERE flow_id = ? AND status = 'live'",
                     (flow,))
    segment = raw.value("SELECT id FROM segment WHERE name = ?", (bench_ws.SEGMENT,))
    started = time.perf_counter()
    raw.run("BEGIN" if raw.postgres else "BEGIN IMMEDIATE")
    triggers = raw.tally_triggers() if floor else []
    for name, definition in triggers:
        raw.drop_trigger(name, definition)
    # PostgreSQL takes no parameter in CREATE TABLE AS; both are our own integers
    raw.run("CREATE TEMP TABLE old_version AS SELECT id FROM flow_version "
            f"WHERE flow_id = {int(flow)} AND status IN ('live', 'previous') "
            f"AND id != {int(draft)}")
    for statement in FLOOR_TALLIES_BEFORE if floor else []:
        raw.run(statement)
    raw.run("DELETE FROM pending_branch WHERE instance_id IN (SELECT id FROM instance "
            "WHERE version_id IN (SELECT id FROM old_version) AND status = 'running' "
            "AND is_test = FALSE)")
    instances = raw.run(
        "UPDATE instance SET status = 'cancelled', ended_at = ?, cancel_reason = ? "
        "WHERE version_id IN (SELECT id FROM old_version) AND status = 'running' "
        "AND is_test = FALSE", (now, f"Version {number} was published")).rowcount
    cards = raw.run(
        "UPDATE card SET status = 'cancelled', closed_at = ? WHERE version_id IN "
        "(SELECT id FROM old_version) AND is_test = FALSE AND status IN ('active', 'snoozed')",
        (now,)).rowcount
    raw.run("UPDATE flow_version SET status = 'previous' WHERE id = ?", (live,))
    raw.run("UPDATE flow_version SET status = 'live', published_by_id = 1, "
            "published_at = CURRENT_TIMESTAMP WHERE id = ?", (draft,))
    before = raw.value("SELECT COALESCE(MAX(id), 0) FROM instance")
    before_card = raw.value("SELECT COALESCE(MAX(id), 0) FROM card")
    started_count = raw.run(
        "INSERT INTO instance (flow_id, version_id, customer_id, status, is_test, started_at) "
        "SELECT ?, ?, c.id, 'running', c.is_test, ? FROM customer c WHERE c.id IN "
        "(SELECT customer_id FROM segment_member WHERE segment_id = ? AND is_test = FALSE) "
        "AND NOT EXISTS (SELECT 1 FROM instance r WHERE r.flow_id = ? "
        "AND r.customer_id = c.id AND r.status = 'running') ORDER BY c.id",
        (flow, draft, now, segment, flow)).rowcount
    raw.run(
        "INSERT INTO card (instance_id, flow_id, version_id, step_id, customer_id, status, "
        "is_test, title, body, buttons, priority, created_at, expires_at) "
        "SELECT id, flow_id, version_id, 'welcome', customer_id, 'active', is_test, "
        "'Welcome, new edition!', 'Let''s get you set up.', '[]', 5, ?, NULL "
        "FROM instance WHERE id > ?", (now, before))
    raw.run("INSERT INTO pending_branch (instance_id, step_id, wait_until) "
            "SELECT id, 'wait', ? FROM instance WHERE id > ?", (now + 2 * 86400, before))
    if floor:
        for statement, after in zip(FLOOR_TALLIES_AFTER, (before, before_card, before),
                                    strict=True):
            raw.run(statement, (after,))
    raw.run("INSERT INTO audit_entry (at, member_id, action, flow_id, summary, details) "
            "VALUES (CURRENT_TIMESTAMP, 1, 'flow.publish', ?, 'Published', '{}')", (flow,))
    for _, definition in triggers:
        raw.run(definition)
    raw.run("DROP TABLE old_version")
    raw.run("COMMIT")
    seconds = time.perf_counter() - started
    raw.conn.close()
    return seconds, (f"cancelled {instances:,} instances and {cards:,} cards, "
                     f"started {started_count:,}")


def publish_floor(built: bench_ws.Built, folder: Path, flow: int, name: str) -> float:
    """Seconds of the set-based floor on a fresh copy of the SQLite file (removed
    afterwards)."""
    copy = bench_ws.fresh_copy(built, folder, name)
    try:
        return publish_raw(connect_sqlite(copy), flow, floor=True)[0]
    finally:
        for stale in folder.glob(f"{name}.flowbench*"):
            stale.unlink()
