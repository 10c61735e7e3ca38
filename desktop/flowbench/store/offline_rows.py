"""The rows an offline copy carries, read from one workspace and written into another.

A copy holds the team's settings, members (with their password hashes, so that the same
sign-in works), approval groups, flows with their versions, editors, approvals and kept
draft revisions — never the runtime data nor the audit log. Rows keep their ids, so a
flow, version or member is the same row in the copy and on the team workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from peewee import SqliteDatabase

from flowbench.store import migrations, models, runtime_rows
from flowbench.store.connection import SQLITE_PRAGMAS

APPLICATION_ID = "flowbench"

Rows = dict[str, list[dict[str, Any]]]
CHUNK = 200


def carried_models() -> list[type[models.BaseModel]]:
    """In an order that inserts parents before children (and deletes the other way)."""
    carried: list[type[models.BaseModel]] = [
        models.WorkspaceSettings, models.Member, models.ApprovalGroup,
        models.GroupMembership, models.Flow, models.FlowVersion, models.VersionEditor,
        models.Approval]
    revisions = getattr(models, "DraftRevision", None)  # kept draft revisions (schema 4)
    if revisions is not None:
        carried.append(revisions)
    return carried


def read_rows() -> Rows:
    """Every carried row of the open workspace, in one consistent snapshot."""
    db = models.database.obj
    with db.atomic():
        if not isinstance(db, SqliteDatabase):
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return {model._meta.table_name: cast(list[dict[str, Any]], list(model.select()
                .order_by(model._meta.primary_key).dicts())) for model in carried_models()}


# Rows updated in place rather than replaced: the copy's own audit entries refer to its
# members (members are never deleted, only deactivated).
KEPT_IN_PLACE = ("workspace_settings", "member")


def replace_rows(rows: Rows) -> None:
    """Inside a write transaction of the open workspace: its carried rows become ``rows``
    (test sends of the versions replaced go with them)."""
    carried = carried_models()
    runtime_rows.delete_for_versions(models.FlowVersion.select(models.FlowVersion.id))
    for model in reversed(carried):
        if model._meta.table_name not in KEPT_IN_PLACE:
            model.delete().execute()
    for model in carried:
        found = rows.get(model._meta.table_name, [])
        for start in range(0, len(found), CHUNK):
            query = model.insert_many(found[start:start + CHUNK])
            if model._meta.table_name in KEPT_IN_PLACE:
                key = model._meta.primary_key
                query = query.on_conflict(conflict_target=[key], preserve=[
                    field for field in model._meta.sorted_fields if field is not key])
            query.execute()


@contextmanager
def new_copy_file(path: Path) -> Iterator[None]:
    """The models work on a new workspace file at ``path`` for this block (in this
    thread's process: the window runs it on its own thread, with nothing else querying),
    then on the open workspace again, which stays open throughout."""
    previous = models.database.obj
    db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)
    models.database.initialize(db)
    try:
        db.connect()
        with db.atomic():
            db.create_tables([models.Meta])
            models.Meta.insert(key="application", value=APPLICATION_ID).execute()
        migrations.migrate(db, 0, migrations.LATEST_SCHEMA)
        yield
    finally:
        db.close()
        models.database.initialize(previous)
