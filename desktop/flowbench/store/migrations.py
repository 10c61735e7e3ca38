"""Ordered schema migrations. Each runs in one transaction with its schema-version bump.

Rules for the next person: never edit a released step; add a new one at the end. A step
receives the open database and a ``playhouse.migrate`` migrator for column changes.
Steps that create tables name the tables they create as they were at that step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peewee import Database, SqliteDatabase, Value, fn
from playhouse.migrate import SchemaMigrator

from flowbench.store import models, runtime_indexes, tallies


@dataclass(frozen=True)
class MigrationStep:
    version: int
    description: str
    apply: Callable[[Database, SchemaMigrator], None]


def _create_foundation(db: Database, migrator: SchemaMigrator) -> None:
    db.create_tables([m for m in models.FOUNDATION_MODELS if m is not models.Meta])


def _create_runtime(db: Database, migrator: SchemaMigrator) -> None:
    db.create_tables(models.RUNTIME_MODELS)


def _add_tallies(db: Database, migrator: SchemaMigrator) -> None:
    tallies.install(db)


def _keep_draft_revisions(db: Database, migrator: SchemaMigrator) -> None:
    """Every draft's current content becomes the first revision kept of it."""
    db.create_tables(models.REVISION_MODELS)
    version = models.FlowVersion
    drafts = (version.select(version.flow, version.number, version.revision,
                             version.definition, version.content_hash,
                             fn.COALESCE(version.updated_by, version.created_by),
                             fn.COALESCE(version.updated_at, version.created_at))
              .where(version.status == "draft"))
    revision = models.DraftRevision
    revision.insert_from(drafts, [revision.flow, revision.version_number, revision.revision,
                                  revision.definition, revision.content_hash,
                                  revision.saved_by, revision.saved_at]).execute()


def _add_runtime_history(db: Database, migrator: SchemaMigrator) -> None:
    """The history the forecast replays: segment entries and exits, with their times.
    (Card actions are the cards' own ``closed_at``; events keep their ``at``.) The members
    a segment has now are its first entries."""
    db.create_tables([models.SegmentChange])
    member = models.SegmentMember
    models.SegmentChange.insert_from(
        member.select(member.segment, member.customer, Value(True), member.entered_at)
        .order_by(member.entered_at, member.id),
        fields=[models.SegmentChange.segment, models.SegmentChange.customer,
                models.SegmentChange.entered, models.SegmentChange.at]).execute()
    tallies.install_move_triggers(db)  # moving running instances onto a new version


def _lighter_runtime_writes(db: Database, migrator: SchemaMigrator) -> None:
    """Fewer index entries and checks per runtime row written (``store.runtime_indexes``).

    Both databases lose the single-column indexes that repeat a composite index's first
    column, and get partial indexes where only open cards, running instances or card
    waits are looked up. On PostgreSQL the runtime tables also lose their foreign keys:
    every inserted row paid a ``SELECT … FOR KEY SHARE`` per key (41% of a publish), for
    rows only the engine writes, each reference taken from an existing row; what their
    ``ON DELETE CASCADE`` did, ``store.runtime_rows`` does. SQLite keeps them: its checks
    are cheap lookups in the same process, and dropping a key there means rebuilding the
    largest tables.
    """
    execute = db.execute_sql
    for index in runtime_indexes.REDUNDANT_INDEXES:
        execute(f'DROP INDEX IF EXISTS "{index}"')  # type: ignore[no-untyped-call]
    for replaced, partial in runtime_indexes.PARTIAL_INDEXES:
        execute(f'DROP INDEX IF EXISTS "{replaced}"')  # type: ignore[no-untyped-call]
        execute(partial)  # type: ignore[no-untyped-call]
    if isinstance(db, SqliteDatabase):
        return
    for table, constraint in execute(  # type: ignore[no-untyped-call]
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace "
            "AND conrelid::regclass::text IN ('instance', 'card', 'pending_branch', "
            "'push_notification') ORDER BY 1, 2").fetchall():
        execute(  # type: ignore[no-untyped-call]
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')


STEPS: list[MigrationStep] = [
    MigrationStep(1, "workspace, members, approval groups, flows, versions, audit",
                  _create_foundation),
    MigrationStep(2, "local runtime: customers, segments, events, instances, cards",
                  _create_runtime),
    MigrationStep(3, "live counts kept by triggers for the publish summary", _add_tallies),
    MigrationStep(4, "every saved revision of a draft kept", _keep_draft_revisions),
    MigrationStep(5, "runtime history (segment entries and exits with their times); "
                     "tallies follow instances moved onto a new version",
                  _add_runtime_history),
    MigrationStep(6, "lighter runtime writes: no index that repeats another, partial "
                     "indexes of open cards and running instances; on PostgreSQL no "
                     "foreign-key check per runtime row",
                  _lighter_runtime_writes),
]

LATEST_SCHEMA = STEPS[-1].version


def pending_steps(current: int) -> list[MigrationStep]:
    return [step for step in STEPS if step.version > current]


def migrate(db: Database, current: int,
            until: int = LATEST_SCHEMA) -> int:
    """Apply every step after ``current`` up to ``until``; returns the new version.

    Each step runs in one write transaction (on SQLite ``BEGIN IMMEDIATE``: it waits for
    the write lock like any write) that first reads the version again: another process
    that opened the same file at the same moment may have applied the step meanwhile.
    """
    migrator = SchemaMigrator.from_database(db)
    for step in pending_steps(current):
        if step.version > until:
            break
        with db.atomic():
            row = models.Meta.get_or_none(models.Meta.key == "schema_version")
            if row is None or int(row.value) < step.version:
                step.apply(db, migrator)
                models.Meta.insert(key="schema_version", value=str(step.version)).on_conflict(
                    conflict_target=[models.Meta.key],
                    update={models.Meta.value: str(step.version)}).execute()
        current = step.version
    return current
