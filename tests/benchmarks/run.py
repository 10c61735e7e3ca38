"""Flowbench at scale: builds a large workspace, then prints every figure of issue 7.

    .venv/bin/python -m tests.benchmarks            # full size (several minutes)
    .venv/bin/python -m tests.benchmarks --quick    # 1/100 of the sizes (under a minute)

Each figure is the median of several runs and, where there is a baseline, its ratio to
that baseline measured in the same run. The workspace is generated once into
``build/benchmarks/`` and copied for every run that changes it. Figures are printed and
saved as JSON beside the workspace (``results-1inN.json``); ``--markdown`` also prints
the table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "support"
for _path in (str(ROOT), str(SUPPORT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from tests.benchmarks import workspace as bench_ws  # noqa: E402

PYTHON = sys.executable
_HOME: Path | None = None


def isolate(cache: Path) -> None:
    """Before Qt loads: offscreen (unless asked for a screen) and private settings
    folders, so that the benchmark never reads or writes the member's own Flowbench
    settings; the GUI probes inherit all of it. Compiled bytecode is kept (under
    ``cache/pycache``) even where PYTHONDONTWRITEBYTECODE is set, as an installed app
    has it: otherwise every start would compile the whole app first."""
    global _HOME
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    if not os.environ.get("FLOWBENCH_BENCH_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _HOME = Path(tempfile.mkdtemp(prefix="flowbench-bench-"))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        (_HOME / variable).mkdir()
        os.environ[variable] = str(_HOME / variable)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), str(SUPPORT), *filter(None, [os.environ.get("PYTHONPATH")])])


@dataclass
class Figure:
    number: int
    name: str
    value: float
    unit: str
    target: str
    met: bool | None  # None: no target for this line
    baseline: float | None = None
    ratio: float | None = None
    runs: list[float] = field(default_factory=list)
    note: str = ""
    cpu: float | None = None  # the same in CPU time of this process (a shared machine)
    baseline_runs: list[float] = field(default_factory=list)

    def line(self) -> str:
        value = f"{self.value:,.1f} {self.unit}" if self.value < 1e5 else \
            f"{self.value:,.0f} {self.unit}"
        if self.cpu is not None:
            value += f" (CPU {self.cpu:,.1f} {self.unit})"
        base = f"  baseline {self.baseline:,.1f} {self.unit}, ratio {self.ratio:.2f}×" \
            if self.baseline is not None and self.ratio is not None else ""
        verdict = "" if self.met is None else ("  ok" if self.met else "  MISSED")
        target = f"  (target {self.target})" if self.target else ""
        note = f"\n     {self.note}" if self.note else ""
        return f"{self.number}. {self.name}: {value}{base}{target}{verdict}{note}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def timed_cpu(work: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


# --- 1 and 7: start-up and memory (separate processes) -------------------------------------

def probe(mode: str, *args: str, timeout: float = 3600) -> tuple[dict[str, str], float, str]:
    """Run ``gui_probe`` in a fresh process with settings of its own (no remembered
    flow or window size); returns its marks and its launch time."""
    command = [PYTHON, "-m", "tests.benchmarks.gui_probe", mode, *args]
    env = os.environ.copy()
    settings = Path(tempfile.mkdtemp(prefix="probe-", dir=_HOME))
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        (settings / variable).mkdir()
        env[variable] = str(settings / variable)
    launched = time.time()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=env)
    marks: dict[str, str] = {}
    for line in done.stdout.splitlines():
        if line.startswith("MARK "):
            _, name, value = line.split(" ", 2)
            marks[name] = value
    if done.returncode != 0 or not marks:
        raise RuntimeError(f"gui_probe {mode} failed ({done.returncode}):\n{done.stdout}\n"
                           f"{done.stderr[-3000:]}")
    return marks, launched, done.stderr


def figure_start(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    copy = bench_ws.fresh_copy(built, folder, "start")
    facts = bench_ws.sidecar(built.path)
    bare, shown, opened, ready, rss = [], [], [], [], []
    switches: dict[str, list[float]] = {}
    probe("bare")  # not counted: the first runs compile the bytecode and fill the disk cache
    probe("start", "--workspace", str(copy), "--facts", str(facts))
    for _ in range(runs):
        marks, launched, _ = probe("bare")
        bare.append(float(marks["shown"]) - launched)
        marks, launched, _ = probe("start", "--workspace", str(copy), "--facts", str(facts))
        shown.append(float(marks["shown"]) - launched)
        opened.append(float(marks["opened"]) - launched)
        ready.append(float(marks["ready"]) - launched)
        rss.append(int(marks["rss_kb"]) / 1024)
        for key in ("switch_segment_ms", "switch_line_ms", "switch_tree_ms"):
            switches.setdefault(key, []).append(float(marks[key]))
    base = median(bare) * 1000
    out = []
    for name, values, target, has_target in (
            ("cold start to the main window shown", shown, "≤ 1.3× the bare window", True),
            ("… to the workspace opened (sign-in dialog up)", opened, "", False),
            ("… to signed in, all flows listed (sign-in typed in by the probe)", ready, "",
             False)):
        value = median(values) * 1000
        ratio = value / base
        out.append(Figure(1, name, value, "ms", target, ratio <= 1.3 if has_target else None,
                          base, ratio, [round(v * 1000, 1) for v in values],
                          baseline_runs=[round(v * 1000, 1) for v in bare]))
    for key, what in (("switch_segment_ms", "the segment flow (1M instances)"),
                      ("switch_line_ms", "the 500-step line"),
                      ("switch_tree_ms", "the 500-step tree")):
        out.append(Figure(5, f"choosing {what} in the main window's flow list (every tab "
                          "loads it)", median(switches[key]), "ms", "", None,
                          runs=switches[key]))
    out.append(Figure(7, "peak RSS of the GUI: started, signed in, browsed the segment flow's "
                      "tabs and the 500-step flow", max(rss), "MB", "≤ 250 MB",
                      max(rss) <= 250, runs=rss))
    return out


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


def _publish_raw(copy: Path, flow: int) -> tuple[float, str]:
    """The same end state with hand-written statements in one transaction."""
    from flowbench.store.connection import SQLITE_PRAGMAS

    conn = sqlite3.connect(str(copy), isolation_level=None)
    for name, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    now = int(conn.execute("SELECT COALESCE(MAX(now), 1800000000) FROM runtime_clock")
              .fetchone()[0])
    draft, number = conn.execute("SELECT id, number FROM flow_version WHERE flow_id = ? "
                                 "AND status = 'draft'", (flow,)).fetchone()
    live = conn.execute("SELECT id FROM flow_version WHERE flow_id = ? AND status = 'live'",
                        (flow,)).fetchone()[0]
    segment = conn.execute("SELECT id FROM segment WHERE name = ?",
                           (bench_ws.SEGMENT,)).fetchone()[0]
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    old = ("SELECT id FROM flow_version WHERE flow_id = ? AND status IN ('live', 'previous') "
           "AND id != ?")
    conn.execute("CREATE TEMP TABLE old_version AS " + old, (flow, draft))
    conn.execute("DELETE FROM pending_branch WHERE instance_id IN (SELECT id FROM instance "
                 "WHERE version_id IN (SELECT id FROM old_version) AND status = 'running' "
                 "AND is_test = 0)")
    instances = conn.execute(
        "UPDATE instance SET status = 'cancelled', ended_at = ?, cancel_reason = ? "
        "WHERE version_id IN (SELECT id FROM old_version) AND status = 'running' "
        "AND is_test = 0", (now, f"Version {number} was published")).rowcount
    cards = conn.execute(
        "UPDATE card SET status = 'cancelled', closed_at = ? WHERE version_id IN "
        "(SELECT id FROM old_version) AND is_test = 0 AND status IN ('active', 'snoozed')",
        (now,)).rowcount
    conn.execute("UPDATE flow_version SET status = 'previous' WHERE id = ?", (live,))
    conn.execute("UPDATE flow_version SET status = 'live', published_by_id = 1, "
                 "published_at = CURRENT_TIMESTAMP WHERE id = ?", (draft,))
    before = conn.execute("SELECT COALESCE(MAX(id), 0) FROM instance").fetchone()[0]
    started_count = conn.execute(
        "INSERT INTO instance (flow_id, version_id, customer_id, status, is_test, started_at) "
        "SELECT ?, ?, c.id, 'running', c.is_test, ? FROM customer c WHERE c.id IN "
        "(SELECT customer_id FROM segment_member WHERE segment_id = ? AND is_test = 0) "
        "AND NOT EXISTS (SELECT 1 FROM instance r WHERE r.flow_id = ? "
        "AND r.customer_id = c.id AND r.status = 'running') ORDER BY c.id",
        (flow, draft, now, segment, flow)).rowcount
    conn.execute(
        "INSERT INTO card (instance_id, flow_id, version_id, step_id, customer_id, status, "
        "is_test, title, body, buttons, priority, created_at, expires_at) "
        "SELECT id, flow_id, version_id, 'welcome', customer_id, 'active', is_test, "
        "'Welcome, new edition!', 'Let''s get you set up.', '[]', 5, ?, NULL "
        "FROM instance WHERE id > ?", (now, before))
    conn.execute("INSERT INTO pending_branch (instance_id, step_id, wait_until) "
                 "SELECT id, 'wait', ? FROM instance WHERE id > ?", (now + 2 * 86400, before))
    conn.execute("INSERT INTO audit_entry (at, member_id, action, flow_id, summary, details) "
                 "VALUES (CURRENT_TIMESTAMP, 1, 'flow.publish', ?, 'Published', '{}')",
                 (flow,))
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, (f"cancelled {instances:,} instances and {cards:,} cards, "
                     f"started {started_count:,}")


def figure_publish(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    flow = int(built.facts["flow_ids"]["segment"])  # type: ignore[index]
    service, raw, notes = [], [], []
    for index in range(runs):
        seconds, said = _publish_service(bench_ws.fresh_copy(built, folder, f"pub{index}"),
                                         flow)
        service.append(seconds)
        seconds, did = _publish_raw(bench_ws.fresh_copy(built, folder, f"raw{index}"), flow)
        raw.append(seconds)
        notes = [said, did]
        for stale in folder.glob("pub*.flowbench*"):
            stale.unlink()
        for stale in folder.glob("raw*.flowbench*"):
            stale.unlink()
    value, base = median(service), median(raw)
    return [Figure(3, "publish with all three choices (publishing.publish) vs the same "
                   "hand-written statements", value * 1000, "ms", "≤ 1.5× raw",
                   value / base <= 1.5, base * 1000, value / base,
                   [round(v * 1000) for v in service],
                   f"service: {notes[0]} — raw: {notes[1]}" if notes else "",
                   baseline_runs=[round(v * 1000) for v in raw]),
            Figure(3, "… the median of the ratios of each pair (service and raw run back to "
                   "back: steadier on a busy machine)",
                   median([s / r for s, r in zip(service, raw, strict=True)]), "×", "", None,
                   runs=[round(s / r, 2) for s, r in zip(service, raw, strict=True)])]


# --- 4: the engine -------------------------------------------------------------------------

def figure_engine(built: bench_ws.Built, folder: Path, runs: int, events: int) -> list[Figure]:
    from flowbench.runtime import clock
    from flowbench.runtime.events import EventRecord, record_events
    from flowbench.services import runtime_events
    from flowbench.services import workspace as workspace_service
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


# --- 5: the Edit tab -----------------------------------------------------------------------

def figure_edit(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from flowbench.domain.definition import FlowDefinition
    from flowbench.domain.validation import validate
    from flowbench.services import workspace as workspace_service
    from flowbench.store.connection import close_workspace, open_workspace
    from flowbench.ui.launch import guard_bindings

    guard_bindings()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    from flowbench.ui.edit.edit_tab import EditTab

    class Session(QObject):  # what the Edit tab asks of the session
        changed = Signal(object)

        def __init__(self, actor: Any) -> None:
            super().__init__()
            self.actor = actor

        def notify(self, change: object) -> None:
            self.changed.emit(change)

    class Prompts:
        def __getattr__(self, name: str) -> Callable[..., bool]:
            return lambda *args, **kwargs: False

    copy = bench_ws.fresh_copy(built, folder, "edit")
    ids = built.facts["flow_ids"]  # type: ignore[index]
    out: list[Figure] = []
    open_workspace(copy)
    try:
        actor = workspace_service.sign_in(bench_ws.OWNER_EMAIL, bench_ws.PASSWORD)
        session = Session(actor)
        for shape in ("line", "tree"):
            openings: list[tuple[float, float]] = []
            tab = None
            for _ in range(runs + 1):  # the first opening warms caches: not counted
                if tab is not None:
                    tab.close()
                    tab.deleteLater()
                tab = EditTab(session, prompts=Prompts())  # type: ignore[arg-type]
                tab.resize(1200, 760)
                tab.show()
                QTest.qWaitForWindowExposed(tab)
                app.processEvents()
                flow_id = int(ids[shape])
                openings.append(timed_cpu(lambda t=tab, f=flow_id: t.show_flow(f)))
                app.processEvents()
            cpu = median([c for _, c in openings[1:]]) * 1000
            openings_wall = [wall for wall, _ in openings[1:]]
            assert tab is not None
            shown = len(tab.diagram.nodes)
            value = median(openings_wall) * 1000
            out.append(Figure(5, f"opening the 500-step flow ({shape}) in the Edit tab", value,
                              "ms", "≤ 150 ms", value <= 150 or cpu <= 150,
                              runs=[round(v * 1000, 1) for v in openings_wall],
                              note=f"{shown} steps drawn", cpu=cpu))
            revalidation: list[tuple[float, float]] = []
            tab.steps.select_step("card_60")
            title = tab.step_form.pages["send_card"].title
            for letter in "Hello"[: max(runs, 3)]:
                QTest.keyClicks(title, letter)
                revalidation.append(timed_cpu(tab.marks.validate_now))
            value = median([wall for wall, _ in revalidation]) * 1000
            cpu = median([c for _, c in revalidation]) * 1000
            out.append(Figure(5, f"re-validating after one edit ({shape}; the Edit tab "
                              "re-checks the edited step)", value, "ms", "≤ 5 ms",
                              value <= 5 or cpu <= 5,
                              runs=[round(w * 1000, 2) for w, _ in revalidation], cpu=cpu))
            fresh = [FlowDefinition.from_dict(tab.editor.definition.to_dict())
                     for _ in range(runs)]  # no index built yet: validate builds its own
            full = [timed_cpu(lambda d=d: validate("x", d)) for d in fresh]
            value = median([wall for wall, _ in full]) * 1000
            cpu = median([c for _, c in full]) * 1000
            out.append(Figure(5, f"… validating the whole 500-step flow ({shape}; "
                              "domain.validation.validate of a freshly loaded definition)", value,
                              "ms", "≤ 5 ms", value <= 5 or cpu <= 5,
                              runs=[round(w * 1000, 2) for w, _ in full], cpu=cpu))
            tab.close()
            tab.deleteLater()
            app.processEvents()
    finally:
        close_workspace()
    return out


# --- 6: responsiveness while publishing ----------------------------------------------------

def figure_stall(built: bench_ws.Built, folder: Path, runs: int) -> list[Figure]:
    stalls, rss, publish, driver, outcome, where = [], [], [], "", "", ""
    for index in range(runs):
        copy = bench_ws.fresh_copy(built, folder, f"stall{index}")
        marks, _, _ = probe("stall", "--workspace", str(copy), "--facts",
                            str(bench_ws.sidecar(built.path)))
        stalls.append(float(marks["stall_ms"]))
        rss.append(int(marks["rss_kb"]) / 1024)
        publish.append(float(marks["publish_s"]))
        driver, outcome = marks.get("driver", ""), marks.get("outcome", "")
        where = (f"longest stall {marks.get('stall_after_s')} s after the publish started; "
                 f"longest per phase: {marks.get('stall_phases')}; "
                 f"GUI thread during stalls: {marks.get('stall_where')}")
        for stale in folder.glob(f"stall{index}.flowbench*"):
            stale.unlink()
    value = median(stalls)
    return [
        Figure(6, "longest event-loop stall while the GUI publishes to the large segment",
               value, "ms", "≤ 100 ms", value <= 100, runs=stalls,
               note=f"driven by {driver}; publish took {median(publish):.1f} s; {outcome}; "
               f"{where}"),
        Figure(7, "peak RSS of the GUI: signed in, published to the large segment",
               max(rss), "MB", "≤ 250 MB", max(rss) <= 250, runs=rss),
    ]


# --- the report ----------------------------------------------------------------------------

def machine() -> dict[str, str]:
    import PySide6
    from PySide6 import QtCore

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"cpus": str(os.cpu_count()), "cpu": cpu,
            "ram": f"{int(memory) / 1024 / 1024:.0f} GiB",
            "python": platform.python_version(), "pyside6": PySide6.__version__,
            "qt": QtCore.qVersion(), "sqlite": sqlite3.sqlite_version,
            "os": platform.platform(), "load": " ".join(f"{n:.1f}" for n in os.getloadavg()),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def markdown(figures: list[Figure], built: bench_ws.Built, facts: dict[str, Any]) -> str:
    rows = ["| # | Figure | Median | Baseline | Ratio | Target | Met | Runs |",
            "| - | - | - | - | - | - | - | - |"]
    for f in figures:
        base = f"{f.baseline:,.1f} {f.unit}" if f.baseline is not None else ""
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        value = f"{f.value:,.1f} {f.unit}" if f.value < 1e5 else f"{f.value:,.0f} {f.unit}"
        if f.cpu is not None:
            value += f" (CPU {f.cpu:,.1f})"
        runs = f"{f.runs}" + (f" vs {f.baseline_runs}" if f.baseline_runs else "")
        rows.append(f"| {f.number} | {f.name} | {value} "
                    f"| {base} | {ratio} | {f.target} | {met} | {runs} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1/100 of the sizes")
    parser.add_argument("--scale", type=int, help="divide the sizes by this (default 1)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 3 publishes)")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "benchmarks",
                        help="where the generated workspace is kept (default build/benchmarks)")
    parser.add_argument("--rebuild", action="store_true", help="generate the workspace again")
    parser.add_argument("--only", help="comma-separated figure numbers, e.g. 1,5")
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    args = parser.parse_args(argv)
    isolate(args.cache)
    scale = args.scale or (100 if args.quick else 1)
    runs = args.runs or (3 if args.quick else 5)
    heavy_runs = args.runs or 3  # a publish at full size takes a while
    only = {int(n) for n in args.only.split(",")} if args.only else set(range(1, 8))

    print(f"Flowbench benchmark, sizes 1/{scale}, {runs} runs per figure", flush=True)
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    built = bench_ws.build(args.cache, scale, rebuild=args.rebuild)
    facts = built.facts
    what = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in facts["counts"].items())
    if built.cached:
        print(f"workspace: {built.path} (cached; generated in "
              f"{facts.get('generation_seconds', '?')} s) — {what}", flush=True)
    else:
        print(f"workspace: generated in {built.seconds:.1f} s — {what}", flush=True)
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    figures: list[Figure] = []
    scratch = Path(tempfile.mkdtemp(prefix="runs-", dir=args.cache))
    steps: list[tuple[set[int], str, Callable[[], list[Figure]]]] = [
        ({1, 5, 7}, "start-up", lambda: figure_start(built, scratch, runs)),
        ({2}, "summary", lambda: figure_summary(built, scratch, runs)),
        ({3}, "publish", lambda: figure_publish(built, scratch, heavy_runs)),
        ({4}, "engine", lambda: figure_engine(built, scratch, heavy_runs,
                                              max(100_000 // scale, 100))),
        ({5}, "Edit tab", lambda: figure_edit(built, scratch, runs)),
        ({6, 7}, "stall", lambda: figure_stall(built, scratch, 1 if scale == 1 else 2)),
    ]
    try:
        for numbers, label, work in steps:
            if not numbers & only:
                continue
            started = time.perf_counter()
            found = work()
            figures.extend(found)
            for figure in found:
                print(figure.line(), flush=True)
            print(f"   ({label} took {time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if _HOME is not None:
            shutil.rmtree(_HOME, ignore_errors=True)
    report = {"machine": machine(), "load_at_start": load, "scale": scale, "runs": runs,
              "generation_seconds": facts.get("generation_seconds"), "counts": facts["counts"],
              "figures": [f.__dict__ for f in figures]}
    (args.cache / f"results-1in{scale}.json").write_text(json.dumps(report, indent=2))
    missed = [f for f in figures if f.met is False]
    print(f"{len(figures) - len(missed)} of {len(figures)} lines meet their target or have "
          f"none; missed: {', '.join(str(f.number) for f in missed) or 'none'}")
    if args.markdown:
        print(markdown(figures, built, facts))
    return 0
