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
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # run as a file: the project's root first (measure adds the rest)
    sys.path.insert(0, _ROOT)

from tests.benchmarks import measure  # noqa: E402
from tests.benchmarks import workspace as bench_ws  # noqa: E402
from tests.benchmarks.data_figures import (  # noqa: E402
    figure_engine,
    figure_publish,
    figure_summary,
)
from tests.benchmarks.forecast_figure import figure_forecast  # noqa: E402
from tests.benchmarks.gui_figures import figure_edit, figure_stall, figure_start  # noqa: E402
from tests.benchmarks.measure import ROOT, Figure, isolate  # noqa: E402

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
    only = {int(n) for n in args.only.split(",")} if args.only else set(range(1, 9))

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
        ({8}, "forecast", lambda: figure_forecast(scratch, scale, heavy_runs)),
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
        if measure.home() is not None:
            shutil.rmtree(measure.home(), ignore_errors=True)
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
