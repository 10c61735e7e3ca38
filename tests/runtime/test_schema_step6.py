"""Schema step 6 (lighter runtime writes) upgrades a step-5 workspace on either database:
every row is kept, the indexes that repeat another are gone, and on PostgreSQL the
runtime tables lose their foreign keys — after which the workspace still runs, publishes
and keeps its tallies exact."""

from __future__ import annotations

from pathlib import Path

from tally_checks import assert_tallies_exact
from workspaces import Location, all_rows, is_postgres, new_location, read_rows

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.publish_plan import PublishChoices
from flowbench.services import drafts, flows, publishing, workspace
from flowbench.services.publish_plan import prepare_publish
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.store import migrations, models
from flowbench.store.connection import close_workspace, open_postgres, open_sqlite, open_workspace
from flowbench.store.runtime_indexes import PARTIAL_INDEXES, REDUNDANT_INDEXES

RUNTIME_TABLES = ("instance", "card", "pending_branch", "push_notification")


def _open(location: Location, until: int | None = None) -> None:
    if is_postgres(location):
        open_postgres(str(location), until=until)
    else:
        open_sqlite(Path(location), until=until)


def _steps(title: str) -> tuple[Step, ...]:
    return (Step("hello", "send_card", title=title, body="Hi", buttons=(Button("OK", "submit"),),
                 priority=5),
            Step("ping", "send_push", parent="hello", title="Ping", body="Hi", card="hello"),
            Step("later", "wait_duration", parent="ping", duration="P1D"))


def _indexes(location: Location) -> set[str]:
    sql = ("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
           if is_postgres(location) else "SELECT name FROM sqlite_master WHERE type = 'index'")
    return {row[0] for row in read_rows(location, sql)}


def _runtime_foreign_keys(location: Location) -> int:
    if is_postgres(location):
        return int(read_rows(location, (
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text "
            f"IN {RUNTIME_TABLES}"))[0][0])
    return sum(len(read_rows(location, f"PRAGMA foreign_key_list({table})"))
               for table in RUNTIME_TABLES)


def test_a_step_5_workspace_keeps_every_row_and_runs_on(backend: str, tmp_path: Path) -> None:
    for location in new_location(backend, tmp_path):
        _open(location, until=5)
        owner = workspace.create_workspace("W", "olive@example.com", "Olive",
                                           "correct horse battery")
        models.RuntimeClock.create(now=1_800_000_000)
        runtime_customers.import_customers_csv(owner, "id\nann\nbob\ncy\n", "c.csv")
        flow = flows.create_flow(owner, "F", FlowDefinition(
            trigger=Trigger("api_event", event="go"), steps=_steps("First")))
        publishing.publish_draft(owner, flow.id)
        for customer in ("ann", "bob", "cy"):
            runtime_events.send_event(owner, customer, "go")
        close_workspace()
        before = all_rows(location)
        assert _runtime_foreign_keys(location) > 0
        assert set(REDUNDANT_INDEXES) | {old for old, _ in PARTIAL_INDEXES} <= _indexes(location)

        open_workspace(location)
        close_workspace()

        after = all_rows(location)
        assert read_rows(location, "SELECT value FROM flowbench_meta "
                                   "WHERE key = 'schema_version'") == [("6",)]
        assert {t: r for t, r in after.items() if t != "flowbench_meta"} == \
            {t: r for t, r in before.items() if t != "flowbench_meta"}
        assert len(after["instance"]) == 3 and len(after["card"]) == 3
        assert len(after["pending_branch"]) == 3 and len(after["push_notification"]) == 3
        replaced = {old for old, _ in PARTIAL_INDEXES}
        partial = {"card_open_version", "card_open_expiry", "instance_running_version",
                   "pending_branch_card_wait"}
        assert not (set(REDUNDANT_INDEXES) | replaced) & _indexes(location)
        assert partial <= _indexes(location)
        # PostgreSQL checked every runtime row's keys (41% of a publish); SQLite keeps its
        # cheap in-process checks
        assert (_runtime_foreign_keys(location) == 0) == is_postgres(location)

        open_workspace(location)
        try:
            current = drafts.open_flow(flow.id)
            drafts.save_draft(owner, flow.id, current.definition.with_steps(_steps("Second")),
                              expected_version=current.version,
                              expected_revision=current.revision)
            plan = prepare_publish(owner, flow.id)
            publishing.publish(owner, plan, PublishChoices(True, True, False))
            statuses = sorted(models.Card.select(models.Card.status).tuples())
            assert statuses == [("cancelled",)] * 3
            assert not models.PendingBranch.select().exists()
            assert_tallies_exact("a publish after the upgrade to step 6")
            assert migrations.LATEST_SCHEMA == 6
        finally:
            close_workspace()
