"""Migration step 5 keeps the runtime history the forecast replays: an older workspace's
segment members become its first recorded entries, and entries and exits are recorded
from then on with their times."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from flowbench.services import workspace
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import segments as runtime_segments
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_sqlite, open_workspace


def test_an_older_workspace_gets_its_members_as_first_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.flowbench"
    assert open_sqlite(path, until=3).schema_version == 3
    close_workspace()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO customer (external_id, attributes, is_test, created_at, "
                     "updated_at) VALUES ('ann', '{}', 0, 10, 10), ('bob', '{}', 1, 20, 20)")
        conn.execute("INSERT INTO segment (name, rule, created_at) VALUES ('Trial', '{}', 5)")
        conn.execute("INSERT INTO segment_member (segment_id, customer_id, is_test, "
                     "entered_at) VALUES (1, 2, 1, 30), (1, 1, 0, 40)")
    conn.close()

    open_workspace(path)
    try:
        rows = list(models.SegmentChange.select(
            models.SegmentChange.segment, models.SegmentChange.customer,
            models.SegmentChange.entered, models.SegmentChange.at)
            .order_by(models.SegmentChange.id).tuples())
    finally:
        close_workspace()
    assert rows == [(1, 2, True, 30), (1, 1, True, 40)]


def test_entries_and_exits_are_recorded_with_their_times(tmp_path: Path) -> None:
    open_workspace(tmp_path / "ws.flowbench")
    try:
        owner = workspace.create_workspace("W", "olive@example.com", "Olive",
                                           "correct horse battery")
        models.RuntimeClock.create(now=1_000)
        runtime_segments.import_segments_json(owner, json.dumps(
            {"name": "Trial", "match": "all",
             "conditions": [{"attribute": "plan", "op": "eq", "value": "trial"}]}), "s.json")
        runtime_customers.import_customers_csv(owner, "id,plan\nann,trial\nbob,free\n", "c.csv")
        models.RuntimeClock.update(now=2_000).execute()
        runtime_customers.import_customers_csv(owner, "id,plan\nann,free\nbob,trial\n", "c.csv")
        names = dict(models.Customer.select(models.Customer.id, models.Customer.external_id)
                     .tuples())
        history = [(names[c], entered, at) for c, entered, at in models.SegmentChange.select(
            models.SegmentChange.customer, models.SegmentChange.entered,
            models.SegmentChange.at).order_by(models.SegmentChange.id).tuples()]
    finally:
        close_workspace()
    assert history == [("ann", True, 1_000), ("ann", False, 2_000), ("bob", True, 2_000)]
