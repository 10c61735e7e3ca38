"""Figures 2 and 3 of the benchmark (pre-publish summary, publish with all three choices)
on a team workspace on PostgreSQL, beside the same on SQLite, in one run.

    .venv/bin/python -m tests.benchmarks.team_postgres --postgres postgresql://USER@HOST:PORT/postgres
        [--scale N]   1/N of the full sizes (default 1: a million customers)
        [--runs N]    summary runs ×3 and publishes (default 3)

The URL names a role that may create databases; the run creates its databases
(``flowbench_bench_*``) and drops them at the end. The same generator as the main
benchmark (tests/benchmarks/workspace.py) fills both workspaces.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "support"
for _path in (str(ROOT), str(SUPPORT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.benchmarks import workspace as bench_ws  # noqa: E402
from tests.benchmarks.raw_publish import (  # noqa: E402
    connect_postgres,
    publish_floor,
    publish_raw,
)


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _url(base: str, name: str) -> str:
    head, _, query = base.partition("?")
    return head.rstrip("/").rpartition("/")[0] + f"/{name}" + (f"?{query}" if query else "")


@contextmanager
def _database(base: str, name: str, template: str | None = None) -> Iterator[str]:
    with _admin(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"'
                     + (f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""))
    try:
        yield _url(base, name)
    finally:
        from flowbench.store.connection import close_workspace

        close_workspace()
        with _admin(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def summary_ms(location: Any, flow: int, runs: int) -> tuple[float, tuple[int, ...]]:
    from flowbench.services import workspace as workspace_service
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.store.connection import close_workspace, open_workspace

    open_workspace(location)
    try:
        owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        plan = prepare_publish(owner, flow)  # warm
        times = []
        for _ in range(runs * 3):
            started = time.perf_counter()
            prepare_publish(owner, flow)
            times.append(time.perf_counter() - started)
        shown = (plan.running_previous, plan.open_cards_previous,
                 plan.segment.members if plan.segment else 0,
                 plan.segment.already_running if plan.segment else 0)
    finally:
        close_workspace()
    return _median_ms(times), shown


ALL_THREE = "all three"
MOVING = "moving"


def publish_s(location: Any, flow: int, kind: str = ALL_THREE) -> tuple[float, str]:
    """One publish of ``flow``: with the three choices (cancel the earlier versions'
    instances and cards, start the segment), or ``MOVING`` the running instances onto the
    new version (the fourth choice) and starting the rest of the segment."""
    from flowbench.domain.publish_plan import PublishChoices
    from flowbench.services import publishing
    from flowbench.services import workspace as workspace_service
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.store.connection import close_workspace, open_workspace

    open_workspace(location)
    try:
        owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        plan = prepare_publish(owner, flow)
        started = time.perf_counter()
        choices = PublishChoices(True, True, True) if kind == ALL_THREE else \
            PublishChoices(start_existing_segment_members=True, migrate_running_instances=True)
        result = publishing.publish(owner, plan, choices)
        seconds = time.perf_counter() - started
    finally:
        close_workspace()
    if kind == MOVING:
        return seconds, (f"moved {result.moved_instances:,} instances, "
                         f"{result.not_moved_instances:,} could not move, "
                         f"started {result.started_instances:,}")
    return seconds, (f"cancelled {result.cancelled_instances:,} instances and "
                     f"{result.cancelled_cards:,} cards, started {result.started_instances:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="postgresql://… (a CREATEDB role)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = bench_ws.Sizes.at_scale(args.scale)
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="flowbench-bench-pg-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        built = bench_ws.build(ROOT / "build" / "benchmarks", args.scale)
        print(f"SQLite workspace ready ({time.perf_counter() - started:.0f} s)", flush=True)
        flow = int(built.facts["flow_ids"]["segment"])  # type: ignore[index]
        template = f"flowbench_bench_1in{args.scale}_{os.getpid()}"  # parallel runs apart
        with _database(args.postgres, template) as url:
            started = time.perf_counter()
            facts = bench_ws.generate(url, sizes)  # type: ignore[arg-type]
            generated = time.perf_counter() - started
            print(f"PostgreSQL workspace generated in {generated:.0f} s", flush=True)
            pg_flow = int(facts["flow_ids"]["segment"])  # type: ignore[index]
            sqlite_summary, sqlite_shown = summary_ms(bench_ws.fresh_copy(built, folder, "s"),
                                                      flow, args.runs)
            with _database(args.postgres, template + "_s", template) as copy:
                pg_summary, pg_shown = summary_ms(copy, pg_flow, args.runs)
            sqlite_publish, floor, pg_publish, pg_floor = [], [], [], []
            for index in range(args.runs):  # the four side by side, run after run
                sqlite_publish.append(publish_s(bench_ws.fresh_copy(built, folder, "p"), flow))
                floor.append(publish_floor(built, folder, flow, "floor"))
                with _database(args.postgres, f"{template}_p{index}", template) as copy:
                    pg_publish.append(publish_s(copy, pg_flow))
                with _database(args.postgres, f"{template}_f{index}", template) as copy:
                    pg_floor.append(publish_raw(connect_postgres(copy), pg_flow, floor=True)[0])
                print(f"run {index + 1}: SQLite {sqlite_publish[-1][0]:.1f} s, set-based floor "
                      f"{floor[-1]:.1f} s, PostgreSQL {pg_publish[-1][0]:.1f} s, its floor "
                      f"{pg_floor[-1]:.1f} s (load {_load()})", flush=True)
            sqlite_moving, pg_moving = [], []
            for index in range(args.runs):  # the migration choice, side by side too
                sqlite_moving.append(publish_s(bench_ws.fresh_copy(built, folder, "m"), flow,
                                               MOVING))
                with _database(args.postgres, f"{template}_m{index}", template) as copy:
                    pg_moving.append(publish_s(copy, pg_flow, MOVING))
                print(f"run {index + 1}, moving: SQLite {sqlite_moving[-1][0]:.1f} s, "
                      f"PostgreSQL {pg_moving[-1][0]:.1f} s (load {_load()})", flush=True)
    same = "same figures" if pg_shown == sqlite_shown else \
        f"DIFFERENT: SQLite {sqlite_shown}, PostgreSQL {pg_shown}"
    sqlite_s = statistics.median(s for s, _ in sqlite_publish)
    pg_s = statistics.median(s for s, _ in pg_publish)
    floor_s = statistics.median(floor)
    pg_floor_s = statistics.median(pg_floor)
    sqlite_m = statistics.median(s for s, _ in sqlite_moving)
    pg_m = statistics.median(s for s, _ in pg_moving)
    moved_same = "" if pg_moving[0][1] == sqlite_moving[0][1] else \
        f" (DIFFERENT on PostgreSQL: {pg_moving[0][1]})"
    print(f"\nsizes: {sizes}; runs: {args.runs}; PostgreSQL generation {generated:.0f} s; "
          f"load average {load_before} at the start, {_load()} at the end\n")
    print("| # | figure (median) | SQLite | PostgreSQL | PostgreSQL / SQLite | set-based floor "
          "(SQLite) | SQLite / floor | note |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| 2 | pre-publish summary (prepare_publish) | {sqlite_summary:.1f} ms | "
          f"{pg_summary:.1f} ms | {pg_summary / sqlite_summary:.2f}× (target ≤ 1.5×) | | "
          f"| {same} |")
    print(f"| 3 | publish with all three choices (publishing.publish) | {sqlite_s:.2f} s | "
          f"{pg_s:.2f} s | {pg_s / sqlite_s:.2f}× (target ≤ 1.2×) | {floor_s:.2f} s | "
          f"{sqlite_s / floor_s:.2f}× (target ≤ 1.15×) | {pg_publish[0][1]} |")
    print(f"| 3 | … the set-based floor itself on both (the same hand-written statements) | "
          f"{floor_s:.2f} s | {pg_floor_s:.2f} s | {pg_floor_s / floor_s:.2f}× (what these rows "
          f"cost to write on each) | | | PostgreSQL's publish / its floor "
          f"{pg_s / pg_floor_s:.2f}× |")
    print(f"| 3 | publish moving the running instances, starting the segment "
          f"(publishing.publish) | {sqlite_m:.2f} s | {pg_m:.2f} s | {pg_m / sqlite_m:.2f}× "
          f"(target ≤ 1.2×) | | | {sqlite_moving[0][1]}{moved_same} |")
    print("\nruns (s): SQLite " + ", ".join(f"{s:.1f}" for s, _ in sqlite_publish)
          + "; PostgreSQL " + ", ".join(f"{s:.1f}" for s, _ in pg_publish)
          + "; floor " + ", ".join(f"{s:.1f}" for s in floor)
          + "; PostgreSQL floor " + ", ".join(f"{s:.1f}" for s in pg_floor)
          + "; moving: SQLite " + ", ".join(f"{s:.1f}" for s, _ in sqlite_moving)
          + ", PostgreSQL " + ", ".join(f"{s:.1f}" for s, _ in pg_moving))
    return 0


def _load() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
