"""Live counts kept by the database itself, so the publish summary reads a few rows.

Counting a million index entries takes SQLite 100–200 ms; the pre-publish summary must
come back in tens of milliseconds. Triggers keep three tallies exact whatever code
changes the rows (the engine, a publish, a bulk import, hand-written SQL):

* ``runtime_tally``: instances and cards per version, kind, status and test flag;
* ``segment_tally``: members per segment and test flag;
* ``segment_flow_tally``: per segment and flow, the live members who run that flow now.

SQLite gets row triggers; a PostgreSQL workspace gets statement-level PL/pgSQL triggers
over transition tables that keep the same counts (see ``PG_TRIGGERS``).

Bulk paths on SQLite (a publish, a cancel, the clock, imports) hold the row triggers of
``instance`` and ``card`` for the length of one engine call (``held_row_triggers``) and
keep the tallies themselves with one grouped statement per tally
(``flowbench.runtime.bulk_tallies``): millions of trigger runs become a few statements.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database


def _tables(flag: str, count: str) -> list[str]:
    """The three tallies' tables; ``flag`` and ``count`` are the backend's column types for
    the test flag and the counts (SQLite: INTEGER both; PostgreSQL: BOOLEAN, BIGINT)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS runtime_tally (
        version_id INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
        is_test {flag} NOT NULL, n {count} NOT NULL DEFAULT 0,
        PRIMARY KEY (version_id, kind, status, is_test))""",
        f"""CREATE TABLE IF NOT EXISTS segment_tally (
        segment_id INTEGER NOT NULL, is_test {flag} NOT NULL, n {count} NOT NULL DEFAULT 0,
        PRIMARY KEY (segment_id, is_test))""",
        f"""CREATE TABLE IF NOT EXISTS segment_flow_tally (
        segment_id INTEGER NOT NULL, flow_id INTEGER NOT NULL, n {count} NOT NULL DEFAULT 0,
        PRIMARY KEY (segment_id, flow_id))""",
    ]


TABLES = _tables("INTEGER", "INTEGER")


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

# Migration step 5: an instance moved onto another version (the publish's fourth choice)
# is counted under its new version. PostgreSQL's statement triggers already count every
# UPDATE that way; an UPDATE that changes the status as well is counted by the status
# trigger above.
SQLITE_MOVE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS tally_instance_move
        AFTER UPDATE OF version_id ON instance
        WHEN OLD.version_id <> NEW.version_id AND OLD.status = NEW.status BEGIN
        {_bump('instance', 'OLD', -1)}
        {_bump('instance', 'NEW', 1)}
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


# --- PostgreSQL: statement-level PL/pgSQL triggers over transition tables ------------------
#
# One trigger run per statement (not per row) folds all the rows a statement changed
# into one grouped upsert per tally, so a bulk start of a million instances stays a
# handful of statements. ``is_test`` is a real BOOLEAN there.

PG_TABLES = _tables("BOOLEAN", "BIGINT")


def _pg_rows(event: str, columns: str, where: str = "TRUE") -> str:
    """``columns`` and a delta ``d`` of the rows a statement inserted, deleted or changed.

    An update counts every old row -1 and every new row +1: a row whose counted values
    did not change nets to zero (no join of the two transition tables, which have no
    index). ``columns``/``where`` name the row ``r``.
    """
    old = f"SELECT {columns}, -1 AS d FROM old_rows r WHERE {where}"
    new = f"SELECT {columns}, 1 AS d FROM new_rows r WHERE {where}"
    if event == "INSERT":
        return new
    if event == "DELETE":
        return old
    return f"{old} UNION ALL {new}"


def _pg_runtime(kind: str, event: str) -> str:
    rows = _pg_rows(event, "r.version_id, r.status, r.is_test")
    return (f"INSERT INTO runtime_tally (version_id, kind, status, is_test, n) "
            f"SELECT version_id, '{kind}', status, is_test, SUM(d) FROM ({rows}) x "
            f"GROUP BY version_id, status, is_test HAVING SUM(d) <> 0 "
            f"ON CONFLICT (version_id, kind, status, is_test) "
            f"DO UPDATE SET n = runtime_tally.n + EXCLUDED.n;")


def _pg_instance_segments(event: str) -> str:
    rows = _pg_rows(event, "r.customer_id, r.flow_id", "r.status = 'running' AND NOT r.is_test")
    return (f"INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
            f"SELECT sm.segment_id, x.flow_id, SUM(x.d) FROM ({rows}) x "
            f"JOIN segment_member sm ON sm.customer_id = x.customer_id AND NOT sm.is_test "
            f"GROUP BY sm.segment_id, x.flow_id HAVING SUM(x.d) <> 0 "
            f"ON CONFLICT (segment_id, flow_id) "
            f"DO UPDATE SET n = segment_flow_tally.n + EXCLUDED.n;")


def _pg_member_count(event: str) -> str:
    rows = _pg_rows(event, "r.segment_id, r.is_test")
    return (f"INSERT INTO segment_tally (segment_id, is_test, n) "
            f"SELECT segment_id, is_test, SUM(d) FROM ({rows}) x GROUP BY segment_id, is_test "
            f"HAVING SUM(d) <> 0 "
            f"ON CONFLICT (segment_id, is_test) DO UPDATE SET n = segment_tally.n + EXCLUDED.n;")


def _pg_member_flows(event: str) -> str:
    rows = _pg_rows(event, "r.segment_id, r.customer_id", "NOT r.is_test")
    return (f"INSERT INTO segment_flow_tally (segment_id, flow_id, n) "
            f"SELECT x.segment_id, i.flow_id, SUM(x.d) FROM ({rows}) x "
            f"JOIN instance i ON i.customer_id = x.customer_id AND i.status = 'running' "
            f"AND NOT i.is_test GROUP BY x.segment_id, i.flow_id HAVING SUM(x.d) <> 0 "
            f"ON CONFLICT (segment_id, flow_id) "
            f"DO UPDATE SET n = segment_flow_tally.n + EXCLUDED.n;")


_REFERENCING = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}


def _pg_trigger(table: str, event: str, body: list[str]) -> list[str]:
    name = f"tally_{table}_{event.lower()}"
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
        f"BEGIN {' '.join(body)} RETURN NULL; END $fn$",
        f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} "
        f"REFERENCING {_REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


PG_TRIGGERS: list[str] = []
for _event in ("INSERT", "UPDATE", "DELETE"):
    PG_TRIGGERS += _pg_trigger("instance", _event, [_pg_runtime("instance", _event),
                                                    _pg_instance_segments(_event)])
    PG_TRIGGERS += _pg_trigger("card", _event, [_pg_runtime("card", _event)])
    PG_TRIGGERS += _pg_trigger("segment_member", _event, [_pg_member_count(_event),
                                                          _pg_member_flows(_event)])

PG_BACKFILL = BACKFILL[:-1] + [
    """INSERT INTO segment_flow_tally (segment_id, flow_id, n)
       SELECT sm.segment_id, i.flow_id, COUNT(*) FROM segment_member sm
       JOIN instance i ON i.customer_id = sm.customer_id
       WHERE NOT sm.is_test AND NOT i.is_test AND i.status = 'running'
       GROUP BY sm.segment_id, i.flow_id""",
]


def _is_sqlite(db: Database) -> bool:
    from peewee import SqliteDatabase

    return isinstance(db, SqliteDatabase)


def install(db: Database) -> None:
    """Create the tallies and their triggers, and fill them from the rows there are."""
    statements = (TABLES + SQLITE_TRIGGERS + BACKFILL if _is_sqlite(db)
                  else PG_TABLES + PG_TRIGGERS + PG_BACKFILL)
    for statement in statements:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]


def install_move_triggers(db: Database) -> None:
    """Step 5: tallies follow an instance moved onto another version (SQLite; PostgreSQL's
    statement triggers already do)."""
    if _is_sqlite(db):
        for statement in SQLITE_MOVE_TRIGGERS:
            db.execute_sql(statement)  # type: ignore[no-untyped-call]


@contextmanager
def held_row_triggers(db: Database, tables: tuple[str, ...]) -> Iterator[None]:
    """SQLite, inside the caller's write transaction: drop the tally row triggers of
    ``tables`` (of ``instance``, ``card``, ``segment_member``), and create them again (the
    same SQL, read back from the schema) before the block ends.

    Safe with other connections because SQLite has one writer at a time: the write
    transaction holds the lock from its ``BEGIN IMMEDIATE`` to its commit, so no other
    connection writes while the triggers are away, and readers (WAL) only ever see the
    last committed schema, which has them. The block runs in a savepoint: an error undoes
    the drop together with the block's work. The block must not commit (a stage boundary
    must fall outside it).
    """
    names = ", ".join(f"'{table}'" for table in tables)
    held = [(str(name), str(text)) for name, text in db.execute_sql(  # type: ignore[no-untyped-call]
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%' "
        f"AND tbl_name IN ({names}) ORDER BY name")]
    with db.atomic():
        for name, _ in held:
            db.execute_sql(f'DROP TRIGGER "{name}"')  # type: ignore[no-untyped-call]
        yield
        for _, text in held:
            db.execute_sql(text)  # type: ignore[no-untyped-call]


def recount(db: Database) -> None:
    """Rebuild every tally from the rows (a repair tool; the triggers keep them exact)."""
    for statement in BACKFILL if _is_sqlite(db) else PG_BACKFILL:
        db.execute_sql(statement)  # type: ignore[no-untyped-call]
