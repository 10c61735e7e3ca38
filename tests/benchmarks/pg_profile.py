"""Where a publish spends its time on PostgreSQL: every statement it runs, with its plan.

    .venv/bin/python -m tests.benchmarks.pg_profile --postgres postgresql://USER@HOST:PORT/postgres
        [--scale N]        1/N of the full sizes (default 10)
        [--plans FILE]     also write every statement's EXPLAIN (ANALYZE, BUFFERS) there
        [--moving]         the publish that moves running instances (the fourth choice)
        [--superuser URL]  a superuser on the same server, for auto_explain (default: the
                           URL with the user "postgres", as on the suite's own server)

Generates the benchmark workspace (tests/benchmarks/workspace.py) into a scratch database,
publishes Onboarding with all three choices once with ``auto_explain`` logging the plan of
every statement (``log_analyze``, ``log_buffers``, ``log_triggers``: the time each trigger
took, foreign-key checks included), and prints the statements by time with their trigger
times, and the server process's CPU time (from /proc: a figure a busy machine does not
inflate). The databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from tests.benchmarks import team_postgres as team  # sets up sys.path
from tests.benchmarks import workspace as bench_ws

_PLAN = re.compile(r"duration: ([\d.]+) ms\s+plan:\s*\nQuery Text: (.*?)\n(.*)", re.S)
_TRIGGER = re.compile(r"^Trigger (?:for constraint )?(\S+): time=([\d.]+) calls=(\d+)", re.M)


def _server_cpu(pid: int) -> float | None:
    """CPU seconds of a server process on this machine (None when not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(url: str, flow: int, moving: bool = False
            ) -> tuple[float, float | None, list[str]]:
    """Publish on ``url`` with every plan logged (``moving``: the migration choice and
    the segment's start, else the three choices); (seconds, server CPU, plans)."""
    from flowbench.domain.publish_plan import PublishChoices
    from flowbench.services import publishing
    from flowbench.services import workspace as workspace_service
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.store import models
    from flowbench.store.connection import close_workspace, open_workspace

    open_workspace(url)
    plans: list[str] = []
    try:
        db = models.database.obj
        db.connection().add_notice_handler(lambda notice: plans.append(
            notice.message_primary or ""))
        for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                        "SET auto_explain.log_analyze = on", "SET auto_explain.log_buffers = on",
                        "SET auto_explain.log_triggers = on", "SET client_min_messages = log"):
            db.execute_sql(setting)
        pid = int(db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
        owner = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        plan = prepare_publish(owner, flow)
        plans.clear()
        cpu, started = _server_cpu(pid), time.perf_counter()
        choices = PublishChoices(start_existing_segment_members=True,
                                 migrate_running_instances=True) if moving \
            else PublishChoices(True, True, True)
        publishing.publish(owner, plan, choices)
        seconds, cpu_after = time.perf_counter() - started, _server_cpu(pid)
    finally:
        close_workspace()
    used = cpu_after - cpu if cpu is not None and cpu_after is not None else None
    return seconds, used, plans


def report(plans: list[str], top: int = 12) -> list[str]:
    """The statements by total time, each with the triggers that ran for it."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    triggers: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for text in plans:
        found = _PLAN.match(text)
        if not found:
            continue
        statement = re.sub(r"\$\d+", "?", found.group(2))[:110]
        totals[statement][0] += float(found.group(1))
        totals[statement][1] += 1
        for name, ms, _calls in _TRIGGER.findall(found.group(3)):
            triggers[statement][name] += float(ms)
    lines = []
    for statement, (ms, count) in sorted(totals.items(), key=lambda kv: -kv[1][0])[:top]:
        lines.append(f"{ms:9.1f} ms  {int(count)}×  {statement}")
        for name, trigger_ms in sorted(triggers[statement].items(), key=lambda kv: -kv[1]):
            lines.append(f"{'':14}{trigger_ms:9.1f} ms  trigger {name}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="postgresql://… (a CREATEDB role)")
    parser.add_argument("--superuser", help="postgresql://… of a superuser (auto_explain)")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--plans", type=Path)
    parser.add_argument("--moving", action="store_true",
                        help="profile the publish that moves the running instances (and "
                             "starts the segment) instead of the one with three choices")
    args = parser.parse_args(argv)
    superuser = args.superuser or re.sub(r"//[^@/]*@", "//postgres@", args.postgres)
    name = f"flowbench_profile_1in{args.scale}_{os.getpid()}"
    with team._database(args.postgres, name) as url:
        facts = bench_ws.generate(url, bench_ws.Sizes.at_scale(args.scale))  # type: ignore[arg-type]
        flow = int(facts["flow_ids"]["segment"])  # type: ignore[index]
        # the copy is the superuser's: its session may still be ending when the copy is
        # dropped, and only a superuser may end a superuser's session
        with team._database(superuser, name + "_p", name) as copy:
            seconds, cpu, plans = profile(copy, flow, args.moving)
    what = "moving the running instances" if args.moving else "with all three choices"
    print(f"publish {what} at 1/{args.scale}: {seconds:.2f} s with every plan "
          "logged" + (f"; server CPU {cpu:.2f} s" if cpu is not None else "")
          + f"; load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    print("\n".join(report(plans)))
    if args.plans:
        args.plans.write_text("\n\n".join(plans))
        print(f"{len(plans)} plans written to {args.plans}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
