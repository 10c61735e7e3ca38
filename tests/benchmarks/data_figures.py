"""Figures 2 (the pre-publish summary), 3 (publishing) and 4 (the engine), each against
hand-written SQL or the engine alone, measured in the same run."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks import workspace as bench_ws
from tests.benchmarks.measure import (
    Figure,
    median,
    timed,
    timed_cpu,
)
from tests.benchmarks.raw_publish import connect_sqlite, publish_floor, publish_raw

# --- 2: the pre-publish summary ------------------------------------------------------------

RAW_COUNTS = [
    ("SELECT version_id, COUNT(*) FROM instance WHERE version_id IN ({versions}) "
     "AND status = 'running' AND is_test = 0 GROUP BY version_id"),
    ("SELECT version_id, COUNT(*) FROM card WHERE version_id IN ({versions}) "
     "AND status IN ('active', 'snoozed') AND is_test = 0 GROUP BY version_id"),
    "SELECT COUNT(*) FROM segment_member WHERE segment_id = {segment} AND is_test = 0",
    ("SELECT COUNT(*) FROM segment_member m WHERE m.segment_id = {segment} AND m.is_test = 0 "
     "AND EXISTS (SELECT 1 FROM instance i WHERE i.flow_id = {flow} "
     "AND i.customer_id = m.customer_id AND i.status = 'running' AND i.is_test = 0)"),
]
RAW_TALLIES = [
    ("SELECT version_id, SUM(n) FROM runtime_tally WHERE version_id IN ({versions}) "
     "AND kind = 'instance' AND status = 'running' AND is_test = 0 GROUP BY version_id"),
    ("SELECT version_id, SUM(n) FROM runtime_tally WHERE version_id IN ({versions}) "
     "AND kind = 'card' AND status IN ('active', 'snoozed') AND is_test = 0 "
     "GROUP BY version_id"),
    "SELECT n FROM segment_tally WHERE segment_id = {segment} AND is_test = 0",
    "SELECT n FROM segment_flow_tally WHERE segment_id = {segment} AND flow_id = {flow}",
]


def _raw(queries: list[str], flow: int, segment: int) -> Callable[[sqlite3.Connection], Any]:
    def run(conn: sqlite3.Connection) -> Any:
        versions = ",".join(str(row[0]) for row in conn.execute(
            "SELECT id FROM flow_version WHERE flow_id = ? AND status IN ('live', 'previous')",
            (flow,)))
        return [conn.execute(q.format(versions=versions, segment=segment, flow=flow))
                .fetchall() for q in queries]
    return run


def figure_summary(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    from flowbench.services import workspace as workspace_service
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.store import models
    from flowbench.store.connection import SQLITE_PRAGMAS, close_workspace, open_workspace

    copy = bench_ws.fresh_copy(built, folder, "summary")
    flow = int(built.facts["flow_ids"]["segment"])  # type: ignore[index]
    open_workspace(copy)
    try:
        owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        segment = models.Segment.get(models.Segment.name == bench_ws.SEGMENT).id
        plan = prepare_publish(owner, flow)  # warm: the first read pulls pages into cache
        both = [timed_cpu(lambda: prepare_publish(owner, flow)) for _ in range(runs * 3)]
        service = [wall for wall, _ in both]
        service_cpu = [cpu for _, cpu in both]
    finally:
        close_workspace()
    conn = sqlite3.connect(str(copy))
    for name, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    counts = _raw(RAW_COUNTS, flow, segment)
    tallies = _raw(RAW_TALLIES, flow, segment)
    found = counts(conn)
    raw = [timed(lambda: counts(conn)) for _ in range(runs)]
    tally = [timed(lambda: tallies(conn)) for _ in range(runs * 3)]
    conn.close()
    check = (sum(n for _, n in found[0]), sum(n for _, n in found[1]), found[2][0][0],
             found[3][0][0])
    shown = (plan.running_previous, plan.open_cards_previous,
             plan.segment.members if plan.segment else 0,
             plan.segment.already_running if plan.segment else 0)
    note = "same figures" if check == shown else f"DIFFERENT: summary {shown}, SQL {check}"
    value, base = median(service) * 1000, median(raw) * 1000
    return [
        Figure(2, "pre-publish summary (prepare_publish) vs hand-written COUNT queries", value,
               "ms", "≤ 50 ms and ≤ 2× raw", value <= 50 and value / base <= 2, base,
               value / base, [round(v * 1000, 2) for v in service], note,
               cpu=median(service_cpu) * 1000, baseline_runs=[round(v * 1000, 1) for v in raw]),
        Figure(2, "… vs hand-written reads of the tally tables (what it reads)", value, "ms",
               "", None, median(tally) * 1000, value / (median(tally) * 1000),
               note="the rest of the summary is the draft's validation, changes and texts"),
    ]


# --- 3: publishing -------------------------------------------------------------------------

def _publish_service(copy: Path, flow: int) -> tuple[float, str]:
    from flowbench.domain.publish_plan import PublishChoices
    from flowbench.services import publishing
    from flowbench.services import workspace as workspace_service
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.store.connection import close_workspace, open_workspace

    open_workspace(copy)
    try:
        owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        plan = prepare_publish(owner, flow)
        started = time.perf_counter()
        result = publishing.publish(owner, plan, PublishChoices(True, True, True))
        return time.perf_counter() - started, result.describe()
    finally:
        close_workspace()


def figure_publish(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    flow = int(built.facts["flow_ids"]["segment"])  # type: ignore[index]
    service, raw, floor, notes = [], [], [], []
    for index in range(runs):
        seconds, said = _publish_service(bench_ws.fresh_copy(built, folder, f"pub{index}"),
                                         flow)
        service.append(seconds)
        copy = bench_ws.fresh_copy(built, folder, f"raw{index}")
        seconds, did = publish_raw(connect_sqlite(copy), flow)
        raw.append(seconds)
        floor.append(publish_floor(built, folder, flow, f"floor{index}"))
        notes = [said, did]
        for stale in folder.glob("pub*.flowbench*"):
            stale.unlink()
        for stale in folder.glob("raw*.flowbench*"):
            stale.unlink()
    value, base, least = median(service), median(raw), median(floor)
    return [Figure(3, "publish with all three choices (publishing.publish) vs the same "
                   "hand-written statements", value * 1000, "ms", "≤ 1.5× raw",
                   value / base <= 1.5, base * 1000, value / base,
                   [round(v * 1000) for v in service],
                   f"service: {notes[0]} — raw: {notes[1]}" if notes else "",
                   baseline_runs=[round(v * 1000) for v in raw]),
            Figure(3, "… vs the set-based floor (the same statements, tally row triggers "
                   "dropped, one grouped statement per tally)", value * 1000, "ms",
                   "≤ 1.15× the floor", value / least <= 1.15, least * 1000, value / least,
                   baseline_runs=[round(v * 1000) for v in floor]),
            Figure(3, "… the median of the ratios of each pair (service and raw run back to "
                   "back: steadier on a busy machine)",
                   median([s / r for s, r in zip(service, raw, strict=True)]), "×", "", None,
                   runs=[round(s / r, 2) for s, r in zip(service, raw, strict=True)])]


# --- 4: the engine -------------------------------------------------------------------------

def figure_engine(built: bench_ws.Built, folder: Path, runs: int, events: int) -> list[Figure]:
    from flowbench.runtime import clock
    from flowbench.runtime.events import EventRecord, record_events
    from flowbench.services import workspace as workspace_service
    from flowbench.services.runtime import events as runtime_events
    from flowbench.store import models
    from flowbench.store.connection import close_workspace, open_workspace, write_transaction

    service, engine, said = [], [], ""
    for index in range(runs):
        copy = bench_ws.fresh_copy(built, folder, f"engine{index}")
        open_workspace(copy)
        try:
            owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
            first = models.Customer.select(models.Customer.id).order_by(
                models.Customer.id).scalar()
            customers = int(built.facts["counts"]["customers"])  # type: ignore[index]
            count = min(events, customers // 2)
            lines = "\n".join(json.dumps({"customer": f"c{n}", "event": bench_ws.API_EVENT})
                              for n in range(1, count + 1))
            started = time.perf_counter()
            result = runtime_events.import_events_jsonl(owner, lines, "events.jsonl")
            service.append(count / (time.perf_counter() - started))
            said = result.describe()
            # the engine alone (no JSON, no service): the same event for the next
            # customers, whom the import above did not start
            records = [EventRecord(first + count + n, bench_ws.API_EVENT)
                       for n in range(count)]
            with write_transaction():
                now = clock.current_time()
                started = time.perf_counter()
                alone = record_events(records, now)
                engine.append(count / (time.perf_counter() - started))
            said += f" The engine alone started {alone.started_total:,}."
        finally:
            close_workspace()
            for stale in folder.glob(f"engine{index}.flowbench*"):
                stale.unlink()
    value = median(service)
    return [
        Figure(4, f"engine: {events:,} api_event events imported (JSON Lines, through the "
               "service)", value, "events/s", "≥ 20,000 events/s", value >= 20000,
               runs=[round(v) for v in service], note=said),
        Figure(4, "… the engine alone (runtime.events.record_events on the next customers)",
               median(engine), "events/s", "", None, runs=[round(v) for v in engine]),
    ]
