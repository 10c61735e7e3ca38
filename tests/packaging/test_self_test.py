"""``flowbench --self-test`` from the source tree: passes here, and reports a failure."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from flowbench import selftest
from flowbench.domain.errors import WorkspaceUnusable
from flowbench.store.connection import current_workspace

pytestmark = pytest.mark.ui


def test_self_test_passes_and_leaves_nothing_open(qapp: QApplication) -> None:
    out = io.StringIO()

    assert selftest.run_self_test(out) == 0

    lines = out.getvalue().splitlines()
    assert lines[-1].startswith(selftest.PASSED)
    assert len([line for line in lines if line.startswith("[")]) == len(selftest.STEPS)
    assert all(": ok (" in line for line in lines if line.startswith("["))
    with pytest.raises(WorkspaceUnusable):
        current_workspace()


def test_self_test_names_the_failing_step(qapp: QApplication,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def no_window(run: object) -> str:
        raise selftest.SelfTestFailure("the main window rendered as a single flat colour")

    steps = tuple((title, no_window if title.startswith("render") else step)
                  for title, step in selftest.STEPS)
    monkeypatch.setattr(selftest, "STEPS", steps)
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1

    text = out.getvalue()
    assert "render the main window offscreen: FAILED: the main window rendered as a single " \
           "flat colour" in text
    assert selftest.PASSED not in text
    with pytest.raises(WorkspaceUnusable):
        current_workspace()


def test_the_flowbench_command_runs_the_self_test(tmp_path: Path) -> None:
    """``flowbench --self-test`` (the console script, as the bundle's launcher runs it):
    the real main window signed in, a flow published, "Edit as Version 2" clicked."""
    script = Path(sys.executable).with_name("flowbench")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "flowbench"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))

    result = subprocess.run([*command, "--self-test"], capture_output=True, text=True,
                            env=env, timeout=180, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "render the main window offscreen: ok (" in result.stdout
    assert "edit as Version 2 in the window: ok (Version 2 draft" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith(selftest.PASSED)


def test_the_command_line_lists_the_self_test() -> None:
    from flowbench.cli import build_parser

    assert "--self-test" in build_parser().format_help()


def test_a_question_from_the_window_fails_the_self_test(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody is there to answer: a dialog during the self-test is a failure, named."""
    from flowbench.ui.edit.draft_keeper import DraftKeeper

    def refuse(keeper: DraftKeeper) -> None:
        keeper._tab.prompts.inform(keeper._tab, "Could not start a new version", "Broken.")

    monkeypatch.setattr(DraftKeeper, "start_next_version", refuse)
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1

    assert ("edit as Version 2 in the window: FAILED: the window asked a question while "
            "waiting for it to open Version 2 for editing: Could not start a new version: "
            "Broken.") in out.getvalue()
    with pytest.raises(WorkspaceUnusable):
        current_workspace()
