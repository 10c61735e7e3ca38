"""Live counts kept by the database itself, so the publish summary reads a few rows.

Counting a million index entries takes SQLite 100–200 ms; the pre-publish summary must
come back in tens of milliseconds. Triggers keep three tallies exact whatever code
changes the rows (the engine, a publish, a bulk import, hand-written SQL):

* ``runtime_tally``: instances and cards per version, kind, status and test flag;
* ``segment_tally``: members per segment and test flag;
* ``segment_flow_tally``: per segment and flow, the live members who run that flow now.

The triggers are written for SQLite; a PostgreSQL workspace gets its own equivalents.
"""

from __future__ import annotations

from peewee import Database

TABLES = [
    """CREATE TABLE IF NOT EXISTS runtime_tally (
        version_id INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
        is_test INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (version_id, kind, status, is_test))""",
    """CREATE TABLE IF NOT EXISTS segment_tally (
        segment_id INTEGER NOT NULL, is_test INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (segment_id, is_test))""",
    """CREATE TABLE IF NOT EXISTS segment_flow_tally (
        segment_id INTEGER NOT NULL, flow_id INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (segment_id, flow_id))""",
]


def _bump(kind: str, row: str, delta: int) -> str:
    return (f"INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
            f"VALUES ({row}.version_id, '{kind}', {row}.status, {row}.is_test, {delta}) "
            f"ON CONFLICT (version_id, kind, status, is_test) DO UPDATE SET n = n + ({delta});")


def _segments_of(row: str, delta: int, when: str) -> str:
    """(segment, flow) tallies for the live segments the instance's customer is in."""
    status, is_test = when.split(":")
    return (f"INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
            f"SELECT segment_id, {row}.flow_id, {delta} FROM segment_member "
            f"WHERE customer_id = {row}.customer_id AND is_test = 0 "
            f"AND {status}.status = 'running' AND {is_test}.is_test = 0 "
            f"ON CONFLICT (segment_id, flow_id) DO UPDATE SET n = n + ({delta});")


def _flows_of(row: str, delta: int) -> str:
    """(segment, flow) tallies for the flows the new or leaving member runs now."""
    return (f"INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
            f"SELECT {row}.segment_id, flow_id, {delta} FROM instance "
            f"WHERE customer_id = {row}.customer_id AND status = 'running' AND is_test = 0 "
            f"AND {row}.is_test = 0 "
            f"ON CONFLICT (segment_id, flow_id) DO UPDATE SET n = n + ({delta});")


def _segment_count(row: str, delta: int) -> str:
    return (f"INSERT INTO segment_tally (segment_id, is_test, n) "
            f"VALUES ({row}.segment_id, {row}.is_test, {delta}) "
            f"ON CONFLICT (segment_id, is_test) DO UPDATE SET n = n + ({delta});")


SQLITE_TRIGGERS = [
    # instances
    f"""CREATE TRIGGER IF NOT EXISTS tally_instance_insert AFTER INSERT ON instance BEGIN
        {_bump('instance', 'NEW', 1)}
        {_segments_of('NEW', 1, 'NEW:NEW')}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_instance_update
        AFTER UPDATE OF status ON instance WHEN OLD.status <> NEW.status BEGIN
        {_bump('instance', 'OLD', -1)}
        {_bump('instance', 'NEW', 1)}
        {_segments_of('OLD', -1, 'OLD:OLD')}
        {_segments_of('NEW', 1, 'NEW:NEW')}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_instance_delete AFTER DELETE ON instance BEGIN
        {_bump('instance', 'OLD', -1)}
        {_segments_of('OLD', -1, 'OLD:OLD')}
    END""",
    # cards
    f"""CREATE TRIGGER IF NOT EXISTS tally_card_insert AFTER INSERT ON card BEGIN
        {_bump('card', 'NEW', 1)}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_card_update
        AFTER UPDATE OF status ON card WHEN OLD.status <> NEW.status BEGIN
        {_bump('card', 'OLD', -1)}
        {_bump('card', 'NEW', 1)}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_card_delete AFTER DELETE ON card BEGIN
        {_bump('card', 'OLD', -1)}
    END""",
    # segment members
    f"""CREATE TRIGGER IF NOT EXISTS tally_member_insert AFTER INSERT ON segment_member BEGIN
        {_segment_count('NEW', 1)}
        {_flows_of('NEW', 1)}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_member_delete AFTER DELETE ON segment_member BEGIN
        {_segment_count('OLD', -1)}
        {_flows_of('OLD', -1)}
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS tally_member_update
        AFTER UPDATE OF is_test ON segment_member WHEN OLD.is_test <> NEW.is_test BEGIN
        {_segment_count('OLD', -1)}
        {_segment_count('NEW', 1)}
        {_flows_of('OLD', -1)}
        {_flows_of('NEW', 1)}
    END""",
]

BACKFILL = [
    "DELETE FROM runtime_tally",
    "DELETE FROM segment_tally",
    "DELETE FROM segment_flow_tally",
    """INSERT INTO runtime_tally (version_id, kind, status, is_test, n)
       SELECT version_id, 'instance', status, is_test, COUNT(*) FROM instance
       GROUP BY version_id, status, is_test""",
    """INSERT INTO runtime_tally (version_id, kind, status, is_test, n)
       SELECT version_id, 'card', status, is_test, COUNT(*) FROM card
       GROUP BY version_id, status, is_test""",
    """INSERT INTO segment_tally (segment_id, is_test, n)
       SELECT segment_id, is_test, COUNT(*) FROM segment_member GROUP BY segment_id, is_test""",
    """INSERT INTO segment_flow_tally (segment_id, flow_id, n)
       SELECT sm.segment_id, i.flow_id, COUNT(*) FROM segment_member sm
       JOIN instance i ON i.customer_id = sm.customer_id
       WHERE sm.is_test = 0 AND i.is_test = 0 AND i.status = 'running'
       GROUP BY sm.segment_id, i.flow_id""",
]


def install(db: Database) -> None:
    """Create the tallies and their triggers, and fill them from the rows there are."""
    for statement in TABLES + SQLITE_TRIGGERS + BACKFILL:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]


def recount(db: Database) -> None:
    """Rebuild every tally from the rows (a repair tool; the triggers keep them exact)."""
    for statement in BACKFILL:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
