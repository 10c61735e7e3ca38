"""The first window comes before the heavy work: when the main window is first exposed,
the start has imported none of the database library, the services, the engine, the
password hashing, the keyring, the PostgreSQL driver or QtNetwork, and built none of the
flow's tabs. A fresh process (this one has imported everything already) starts the GUI
as ``run_gui`` does and reports what it holds at that moment; then, once the rest has
started, that the workspace opened and the sign-in dialog is up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

HEAVY = ("peewee", "playhouse", "argon2", "keyring", "psycopg", "PySide6.QtNetwork",
         "flowbench.services", "flowbench.store", "flowbench.runtime",
         "flowbench.ui.startup", "flowbench.ui.edit", "flowbench.ui.publish",
         "flowbench.ui.admin", "flowbench.ui.runtime", "flowbench.ui.activity",
         "flowbench.ui.flow_page")

PROBE = """
import json, sys
from flowbench.ui.launch import start_gui
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow

report = {}
def watch(app):
    class First(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) \\
                    and watched.isExposed() and "first" not in report:
                report["first"] = watched.title()
                report["modules"] = sorted(sys.modules)
            return False
    app._first = First()
    app.installEventFilter(app._first)

started = start_gui([], sys.argv[1], on_application=watch)
def done():
    controller = started.controller
    dialog = controller.dialog if controller is not None else None
    report["dialog"] = dialog.windowTitle() if dialog is not None else None
    report["tabs_built"] = started.window.page_built()
    print(json.dumps(report))
    started.window.session.close_workspace()
    started.app.exit(0)
QTimer.singleShot(3000, done)
started.app.exec()
"""


def test_the_main_window_is_on_screen_before_the_database_and_the_services_load(
        tmp_path: Path, made_workspace) -> None:
    workspace = made_workspace()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "FLOWBENCH_WORKSPACE"))}
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name)
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-c", PROBE, str(workspace)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["first"].startswith("Flowbench")  # the main window, first
    loaded = [name for name in report["modules"]
              if any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)]
    assert loaded == []
    assert report["dialog"] == "Sign In to Flowbench"  # the rest followed
    assert report["tabs_built"] is False  # nobody signed in: no flow page yet
