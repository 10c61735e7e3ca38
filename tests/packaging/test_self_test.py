"""``flowbench --self-test`` from the source tree: passes here, and reports a failure."""

from __future__ import annotations

import io

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
