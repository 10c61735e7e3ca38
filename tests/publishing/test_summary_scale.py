"""The pre-publish summary counts in the database: it never loads runtime rows."""

from __future__ import annotations

from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import publish_first_version, start_next

from flowbench.services.publish_plan import prepare_publish
from flowbench.store import models

SIZE = 30_000


class CountingCursor:
    """Wraps the database's cursor (sqlite3 or psycopg) and counts statements and rows."""

    rows = 0
    statements = 0

    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def execute(self, *args, **kwargs):
        CountingCursor.statements += 1
        self._cursor.execute(*args, **kwargs)
        return self

    def fetchone(self):
        row = self._cursor.fetchone()
        CountingCursor.rows += row is not None
        return row

    def fetchmany(self, *args, **kwargs):
        rows = self._cursor.fetchmany(*args, **kwargs)
        CountingCursor.rows += len(rows)
        return rows

    def fetchall(self):
        rows = self._cursor.fetchall()
        CountingCursor.rows += len(rows)
        return rows

    def __iter__(self):
        return self

    def __next__(self):
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row


def test_summary_of_a_large_workspace_fetches_a_handful_of_rows(cast, monkeypatch) -> None:
    flow_id = publish_first_version(cast.owner)
    first, last = add_customers(2 * SIZE)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, last)
    add_running_instances(flow_id, version_id(flow_id, 1), first, first + SIZE - 1)
    start_next(cast.owner, flow_id, "v2")

    db = models.database.obj
    real = db.cursor
    monkeypatch.setattr(db, "cursor", lambda *a, **k: CountingCursor(real(*a, **k)))
    CountingCursor.rows = CountingCursor.statements = 0
    plan = prepare_publish(cast.publisher, flow_id)

    assert plan.previous_versions[0].running_instances == SIZE
    assert plan.previous_versions[0].open_cards == SIZE
    assert (plan.segment.members, plan.segment.already_running) == (2 * SIZE, SIZE)
    assert CountingCursor.rows < 60, CountingCursor.rows  # counts, not rows
    assert CountingCursor.statements < 40
