"""What every figure of the benchmark shares: where things are, the isolated
environment the runs happen in, and a figure with its median, baseline and ratio."""

from __future__ import annotations

import os
import statistics
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

PYTHON = sys.executable
_HOME: Path | None = None  # private settings folders, made by isolate()


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



def home() -> Path | None:
    """The private folder ``isolate`` made (None before it ran)."""
    return _HOME

