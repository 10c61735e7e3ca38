"""The command line as a real process: ``python -m flowbench``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flowbench import __version__

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def flowbench(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(DESKTOP), *filter(None, [environment.get("PYTHONPATH")])])
    environment.pop("FLOWBENCH_WORKSPACE", None)
    return subprocess.run([sys.executable, "-m", "flowbench", *args], capture_output=True,
                          text=True, env=environment, timeout=60, check=False)


def test_version_runs_without_qt_or_a_display():
    done = flowbench("--version", env={"QT_QPA_PLATFORM": "none-such-platform"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"flowbench {__version__}"
    assert done.stderr == ""


def test_cli_modules_never_import_qt():
    code = ("import sys, flowbench.cli, flowbench.app; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    environment = {**os.environ, "PYTHONPATH": str(DESKTOP)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def test_a_refusal_is_one_line_without_a_traceback(tmp_path):
    broken = tmp_path / "broken.flowbench"
    broken.write_bytes(b"not a database at all\n" * 50)
    done = flowbench("--workspace", str(broken), "flows", "list")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("flowbench: broken.flowbench is not a Flowbench workspace")
    assert broken.read_bytes() == b"not a database at all\n" * 50


def test_a_usage_error_exits_with_2():
    done = flowbench("publish")
    assert done.returncode == 2
    assert "the following arguments are required: NAME" in done.stderr
    assert "Traceback" not in done.stderr
