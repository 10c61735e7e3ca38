"""Figures 1 and 7 (start-up and memory, in separate processes), 5 (the Edit tab) and
6 (responsiveness while the GUI publishes)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks import workspace as bench_ws
from tests.benchmarks.measure import (
    PYTHON,
    ROOT,
    Figure,
    home,
    median,
    timed_cpu,
)

# --- 1 and 7: start-up and memory (separate processes) -------------------------------------

def probe(mode: str, *args: str, timeout: float = 3600) -> tuple[dict[str, str], float, str]:
    """Run ``gui_probe`` in a fresh process with settings of its own (no remembered
    flow or window size); returns its marks and its launch time."""
    command = [PYTHON, "-m", "tests.benchmarks.gui_probe", mode, *args]
    env = os.environ.copy()
    settings = Path(tempfile.mkdtemp(prefix="probe-", dir=home()))
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "TMPDIR"):
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
    """Paired runs: a bare two-tab window, then Flowbench, ``runs`` times; each line gives
    the ratio of the medians and, in its note, the median of the pairs' own ratios."""
    copy = bench_ws.fresh_copy(built, folder, "start")
    facts = bench_ws.sidecar(built.path)
    bare, sign_in, behind, opened, ready, rss, welcome, alone = ([] for _ in range(8))
    first_window = ""
    switches: dict[str, list[float]] = {}
    probe("bare")  # not counted: the first runs compile the bytecode and fill the disk cache
    probe("start", "--workspace", str(copy), "--facts", str(facts))
    probe("first-run")
    probe("window-first")
    for _ in range(runs):
        marks, launched, _ = probe("bare")
        bare.append(float(marks["shown"]) - launched)
        marks, launched, _ = probe("start", "--workspace", str(copy), "--facts", str(facts))
        first_window = marks.get("shown_window", "").replace("_", " ")
        sign_in.append(float(marks["sign_in_shown"]) - launched)
        behind.append(float(marks["window_shown"]) - launched)
        opened.append(float(marks["opened"]) - launched)
        ready.append(float(marks["ready"]) - launched)
        rss.append(int(marks["rss_kb"]) / 1024)
        for key in ("switch_segment_ms", "switch_line_ms", "switch_tree_ms"):
            switches.setdefault(key, []).append(float(marks[key]))
        marks, launched, _ = probe("first-run")
        welcome.append(float(marks["welcome_shown"]) - launched)
        marks, launched, _ = probe("window-first")
        alone.append(float(marks["shown"]) - launched)
    base = median(bare) * 1000
    out = []
    for name, values, target, has_target in (
            (f"cold start to the first window exposed ({first_window}: the first window a "
             "member who is not signed in can act on)", sign_in,
             "≤ 1.3× a bare two-tab window", True),
            ("… to the main window exposed behind it", behind, "", False),
            ("… to the welcome dialog exposed on a first run (nothing to open yet: the "
             "first window a new member acts on)", welcome, "≤ 1.3× a bare two-tab window",
             True),
            ("… to the main window exposed when it comes first (a team workspace: nothing "
             "to ask before it opens)", alone, "≤ 1.3× a bare two-tab window", True),
            ("… to the workspace opened (sign-in dialog ready)", opened, "", False),
            ("… to signed in, all flows listed (sign-in typed in by the probe)", ready, "",
             False)):
        value = median(values) * 1000
        ratio = value / base
        pairs = [run / baseline for run, baseline in zip(values, bare, strict=True)]
        out.append(Figure(1, name, value, "ms", target, ratio <= 1.3 if has_target else None,
                          base, ratio, [round(v * 1000, 1) for v in values],
                          baseline_runs=[round(v * 1000, 1) for v in bare],
                          note=f"median of the pair ratios {median(pairs):.2f}× (pairs: "
                          + ", ".join(f"{p:.2f}" for p in pairs) + ")"))
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
