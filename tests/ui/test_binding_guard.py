"""The guard against PySide6 6.12's reference-count bug on Python 3.11
(``flowbench/ui/binding_guard.py``): it keeps a long session alive, and this test says
so the day the installed PySide6 no longer needs it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

LOOP = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if sys.argv[1] == "guarded":
        from flowbench.ui.binding_guard import keep_singletons_alive
        keep_singletons_alive()
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(20000):
        label.setText("x")
    print("lost", before - sys.getrefcount(None))
""")


def _run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LOOP, mode], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


needs_guard = pytest.mark.skipif(sys.version_info >= (3, 12),
                                 reason="None, True and False are immortal from Python 3.12")


def test_twenty_thousand_qt_calls_survive_with_the_guard() -> None:
    result = _run("guarded")
    assert result.returncode == 0, result.stderr
    assert "none_dealloc" not in result.stderr


@needs_guard
def test_the_installed_pyside6_still_needs_the_guard() -> None:
    """Fails when a PySide6 release fixes the bug: then remove binding_guard.py."""
    result = _run("unguarded")
    lost_references = result.returncode != 0 and "none_dealloc" in result.stderr \
        or result.returncode == 0 and not result.stdout.strip().endswith("lost 0")
    assert lost_references, ("the installed PySide6 keeps None's reference count: "
                             "flowbench/ui/binding_guard.py can go")
