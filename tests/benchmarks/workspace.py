"""The benchmark's large workspace, built with bulk SQL once and cached as a file.

Full size (``scale`` 1): 1,000 flows; one segment-triggered flow ("Onboarding") with 10
published versions and a draft; 1,000,000 running instances and 1,000,000 open cards
spread over its published versions (a publish of the draft leaves all of them behind);
1,000,000 customers, all in its segment; a live API-event flow for the engine figure;
a 500-step flow (one long line) and a 500-step bushy tree. ``scale`` divides the row
counts and the number of flows (``--quick`` is 1/100); the versions and the 500 steps
stay as they are.

Members, flows and versions go through the services (so they are exactly what the app
writes); the runtime rows come from ``tests/support/bulk_data.py`` (recursive counters in
SQL, no Python loop per row).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bulk_data import add_customers, add_running_instances, add_segment, add_segment_members
from tests.benchmarks.big_flow import big_flow

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.services import drafts, flows, publishing
from flowbench.services import workspace as workspace_service
from flowbench.services.context import Actor
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace, write_transaction

OWNER_EMAIL = "owner@example.com"
PASSWORD = "benchmark password 1"
SEGMENT = "Trial users"
SEGMENT_FLOW = "Onboarding"
API_FLOW = "API welcome"
API_EVENT = "trial.started"
LINE_FLOW = "Five hundred steps in a line"
TREE_FLOW = "Five hundred steps in a tree"
PUBLISHED_VERSIONS = 10
BIG_STEPS = 500
FORMAT = 4  # bump when the generated content (or its schema) changes: old caches are rebuilt


@dataclass(frozen=True)
class Sizes:
    flows: int
    customers: int
    instances: int  # running instances of the segment flow (each with one open card)
    versions: int = PUBLISHED_VERSIONS
    big_steps: int = BIG_STEPS

    @classmethod
    def at_scale(cls, scale: int) -> Sizes:
        return cls(flows=max(1000 // scale, 5), customers=max(1_000_000 // scale, 10),
                   instances=max(1_000_000 // scale, 10))

    @property
    def cards(self) -> int:
        return self.instances


@dataclass(frozen=True)
class Built:
    """A generated workspace file and what it holds."""

    path: Path
    sizes: Sizes
    seconds: float  # generation time (0 when it came from the cache)
    cached: bool

    @property
    def facts(self) -> dict[str, Any]:
        return json.loads(sidecar(self.path).read_text())


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def onboarding(title: str) -> FlowDefinition:
    return FlowDefinition(
        description="Welcome customers who join the trial segment.",
        trigger=Trigger("segment_entered", segment=SEGMENT),
        steps=(Step("welcome", "send_card", title=title, body="Let's get you set up."),
               Step("wait", "wait_duration", parent="welcome", duration="P2D")))


def api_welcome() -> FlowDefinition:
    return FlowDefinition(
        description="Welcome customers who start a trial through the API.",
        trigger=Trigger("api_event", event=API_EVENT),
        steps=(Step("hello", "send_card", title="Hello!", body="Your trial has started."),
               Step("later", "wait_duration", parent="hello", duration="P3D")))


def filler(number: int) -> FlowDefinition:
    return FlowDefinition(
        description=f"Flow {number} of the benchmark.",
        trigger=Trigger("api_event", event=f"filler.{number}"),
        steps=(Step("card", "send_card", title=f"Message {number}", body="Body text"),
               Step("wait", "wait_duration", parent="card", duration="P1D"),
               Step("push", "send_push", parent="wait", title="Reminder", body="Still there?",
                    card="card")))


def _publish(owner: Actor, flow_id: int, definition: FlowDefinition) -> None:
    content = drafts.get_draft(flow_id)
    if content is None:
        live = drafts.open_flow(flow_id)
        content = drafts.start_next_draft(owner, flow_id, expected_live=live.version)
    saved = drafts.save_draft(owner, flow_id, definition, expected_version=content.version,
                              expected_revision=content.revision)
    publishing.publish_draft(owner, flow_id, expected_revision=saved.revision)


def _bulk_flows(owner_id: int, first: int, count: int) -> None:
    """``count`` filler flows at once, every other one published (Version 1 live)."""
    now = models.utcnow()
    names = [f"Flow {number:04d}" for number in range(first, first + count)]
    with write_transaction():
        models.Flow.insert_many(
            [{"name": name, "name_key": name.lower(), "created_by": owner_id,
              "created_at": now} for name in names]).execute()
        ids = dict(models.Flow.select(models.Flow.name, models.Flow.id)
                   .where(models.Flow.name.in_(names)).tuples())
        rows = []
        for offset, name in enumerate(names):
            definition = filler(first + offset)
            live = offset % 2 == 0
            rows.append({
                "flow": ids[name], "number": 1, "status": "live" if live else "draft",
                "definition": definition.to_json(), "content_hash": definition.content_hash(),
                "revision": 1, "created_by": owner_id, "created_at": now,
                "updated_by": owner_id, "updated_at": now,
                "published_by": owner_id if live else None,
                "published_at": now if live else None})
        for start in range(0, len(rows), 200):
            models.FlowVersion.insert_many(rows[start:start + 200]).execute()


def generate(path: Path, sizes: Sizes) -> dict[str, object]:
    """Build the workspace at ``path`` (which must not exist); returns its facts."""
    open_workspace(path)
    try:
        owner = workspace_service.create_workspace("Benchmark", OWNER_EMAIL, "Olive Owner",
                                                   PASSWORD)
        add_segment(SEGMENT)
        segment_flow = flows.create_flow(owner, SEGMENT_FLOW).id
        for number in range(1, sizes.versions + 1):
            _publish(owner, segment_flow, onboarding(f"Welcome! (Version {number})"))
        live = drafts.open_flow(segment_flow)
        draft = drafts.start_next_draft(owner, segment_flow, expected_live=live.version)
        drafts.save_draft(owner, segment_flow, onboarding("Welcome, new edition!"),
                          expected_version=draft.version, expected_revision=draft.revision)
        api_flow = flows.create_flow(owner, API_FLOW).id
        _publish(owner, api_flow, api_welcome())
        line = flows.create_flow(owner, LINE_FLOW, big_flow(sizes.big_steps, spread=1)).id
        tree = flows.create_flow(owner, TREE_FLOW, big_flow(sizes.big_steps, spread=12)).id
        named = 4
        _bulk_flows(owner.member_id, 1, sizes.flows - named)

        db = models.database.obj
        with db.atomic():
            first, last = add_customers(sizes.customers)
            segment_id = models.Segment.get(models.Segment.name == SEGMENT).id
            add_segment_members(segment_id, first, last)
            versions = list(models.FlowVersion.select(models.FlowVersion.id)
                            .where((models.FlowVersion.flow == segment_flow)
                                   & (models.FlowVersion.status != "draft"))
                            .order_by(models.FlowVersion.number).tuples())
            per_version = sizes.instances // len(versions)
            customer = first
            for index, (version,) in enumerate(versions):
                count = per_version if index < len(versions) - 1 \
                    else sizes.instances - per_version * (len(versions) - 1)
                add_running_instances(segment_flow, version, customer, customer + count - 1)
                customer += count
        db.execute_sql("ANALYZE")
        facts: dict[str, object] = {
            "format": FORMAT, "sizes": asdict(sizes),
            "flow_ids": {"segment": segment_flow, "api": api_flow, "line": line,
                         "tree": tree},
            "counts": counts(),
        }
    finally:
        close_workspace()
    return facts


def counts() -> dict[str, int]:
    """What the open workspace holds, counted by hand (the smoke test checks these)."""
    db = models.database.obj

    def one(query: str) -> int:
        return int(db.execute_sql(query).fetchone()[0])

    segment_flow = f"(SELECT id FROM flow WHERE name = '{SEGMENT_FLOW}')"
    return {
        "flows": one("SELECT COUNT(*) FROM flow"),
        "customers": one("SELECT COUNT(*) FROM customer"),
        "segment_members": one("SELECT COUNT(*) FROM segment_member"),
        "running_instances": one("SELECT COUNT(*) FROM instance WHERE status = 'running' "
                                 f"AND flow_id = {segment_flow}"),
        "open_cards": one("SELECT COUNT(*) FROM card WHERE status IN ('active', 'snoozed') "
                          f"AND flow_id = {segment_flow}"),
        "published_versions": one("SELECT COUNT(*) FROM flow_version WHERE status IN "
                                  f"('live', 'previous') AND flow_id = {segment_flow}"),
        "drafts": one("SELECT COUNT(*) FROM flow_version WHERE status = 'draft' "
                      f"AND flow_id = {segment_flow}"),
        "versions_with_instances": one(
            "SELECT COUNT(DISTINCT version_id) FROM instance WHERE status = 'running' "
            f"AND flow_id = {segment_flow}"),
        "line_steps": len(FlowDefinition.from_json(db.execute_sql(
            "SELECT definition FROM flow_version v JOIN flow f ON f.id = v.flow_id "
            f"WHERE f.name = {db.param}", (LINE_FLOW,)).fetchone()[0]).steps),
    }


def build(cache_dir: Path, scale: int, *, rebuild: bool = False) -> Built:
    """The cached workspace for ``scale``, generated first when missing or outdated."""
    sizes = Sizes.at_scale(scale)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"benchmark-1in{scale}.flowbench"
    info = sidecar(path)
    if not rebuild and path.exists() and info.exists():
        facts = json.loads(info.read_text())
        if facts.get("format") == FORMAT and facts.get("sizes") == asdict(sizes):
            return Built(path, sizes, 0.0, True)
    for stale in (path, info, path.with_name(path.name + "-wal"),
                  path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    facts = generate(path, sizes)
    seconds = time.perf_counter() - started
    facts["generation_seconds"] = round(seconds, 2)
    _checkpoint(path)
    info.write_text(json.dumps(facts, indent=2))
    return Built(path, sizes, seconds, False)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that a copy of the file is complete."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def fresh_copy(built: Built, folder: Path, name: str = "copy") -> Path:
    """A private copy of the generated workspace (each measured run changes its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.flowbench"
    for old in (target, target.with_name(target.name + "-wal"),
                target.with_name(target.name + "-shm")):
        old.unlink(missing_ok=True)
    shutil.copyfile(built.path, target)
    return target
