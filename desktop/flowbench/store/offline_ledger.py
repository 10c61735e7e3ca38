# peewee's stubs leave execute_sql untyped:
# mypy: disable-error-code="no-untyped-call"
"""An offline copy's bookkeeping, kept in its ``flowbench_meta`` key/value table.

* ``offline.copy_of``: the team workspace's address (never its password). Its presence
  is what makes a workspace file an offline copy.
* ``offline.base.<flow id>``: for every flow the copy took from the team, the team's flow
  id and the content the copy started from (the draft's version and revision, or the live
  version when the flow had no draft): the *base* of a later sync.
* ``offline.conflict.<flow id>``: the team's content a sync found instead of the base,
  kept until the member resolves the conflict.

Plain SQL on a given peewee database, so that a sync can write the copy's bookkeeping
while the team workspace is the open one (one short transaction per write).
"""

from __future__ import annotations

import json
from typing import Any

from peewee import Database

COPY_OF = "offline.copy_of"
BASE = "offline.base."
CONFLICT = "offline.conflict."


def read(db: Database, key: str) -> str | None:
    row = db.execute_sql(f"SELECT value FROM flowbench_meta WHERE key = {db.param}",
                         (key,)).fetchone()
    return None if row is None else str(row[0])


def write(db: Database, key: str, value: str) -> None:
    param = db.param
    db.execute_sql(f"INSERT INTO flowbench_meta (key, value) VALUES ({param}, {param}) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def delete(db: Database, key: str) -> None:
    db.execute_sql(f"DELETE FROM flowbench_meta WHERE key = {db.param}", (key,))


def with_prefix(db: Database, prefix: str) -> dict[str, str]:
    rows = db.execute_sql(f"SELECT key, value FROM flowbench_meta WHERE key LIKE {db.param}",
                          (prefix + "%",)).fetchall()
    return {str(key): str(value) for key, value in rows}


def flow_records(db: Database, prefix: str) -> dict[int, dict[str, Any]]:
    """``offline.base.*`` or ``offline.conflict.*`` by local flow id."""
    return {int(key[len(prefix):]): json.loads(value)
            for key, value in with_prefix(db, prefix).items()
            if key[len(prefix):].isdigit()}


def write_record(db: Database, prefix: str, flow_id: int, record: dict[str, Any]) -> None:
    write(db, f"{prefix}{flow_id}", json.dumps(record, sort_keys=True))


def forget_flows(db: Database) -> None:
    """Every flow record (a refresh writes them again)."""
    for prefix in (BASE, CONFLICT):
        db.execute_sql(f"DELETE FROM flowbench_meta WHERE key LIKE {db.param}",
                       (prefix + "%",))
