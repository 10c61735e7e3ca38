"""The GUI side of the benchmark, run as a separate process by ``run.py``.

``python -m tests.benchmarks.gui_probe MODE [options]`` prints lines
``MARK name value`` that the runner reads:

* ``bare``: a bare PySide6 ``QMainWindow`` holding a ``QTabWidget`` with two tabs;
  ``shown`` is the wall-clock time (``time.time()``) when its window is exposed. The
  baseline of the start figure.
* ``start --workspace PATH``: Flowbench started by ``ui/launch.start_gui``, the very
  sequence ``run_gui`` runs (the instance lock, the application, theme, the main
  window's frame, the sign-in dialog; once it has painted the main window behind it;
  once that has painted logging, the controller, the listener and the workspace);
  ``shown`` when its first top-level window is exposed (``shown_window``
  names it: the sign-in dialog), ``sign_in_shown`` when the sign-in dialog is exposed
  (it may still wait for the workspace), ``window_shown`` when the main window is,
  behind it, ``opened`` when it is up over the opened workspace, then it
  signs in through that dialog (email and password typed in, Sign In pressed):
  ``ready`` when the flow list shows every flow. It then browses (the segment flow's
  Edit, Publish and Versions tabs, the 500-step flow) and reports ``rss_kb`` (peak).
* ``first-run``: Flowbench started with nothing to open (empty settings, no default
  workspace file): ``welcome_shown`` when the first-run welcome dialog is exposed (the
  first window; the main window comes behind it).
* ``window-first``: Flowbench started on a team workspace (an address nobody answers):
  no dialog comes before it opens, so ``shown`` is the main window's exposure.
* ``stall --workspace PATH``: like ``start``, then publishes the segment flow's draft
  with all three choices the way the GUI does, while a 5 ms timer measures the longest
  gap of the event loop: ``stall_ms``, ``publish_s``, ``rss_kb``, ``driver``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from functools import cached_property
from pathlib import Path
from typing import Any

STARTED = time.time()


def mark(name: str, value: object) -> None:
    print(f"MARK {name} {value}", flush=True)


def peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


# --- the baseline --------------------------------------------------------------------------

class Exposures:
    """Marks when each watched top-level window is first exposed (wall-clock time):
    ``shown`` for the first of them (named by ``shown_window``), ``sign_in_shown`` for
    the sign-in dialog, ``welcome_shown`` for the welcome dialog, ``window_shown`` for
    the main window. It watches each window's own platform window, never the whole
    application: an application-wide event filter written in Python has PySide6 wrap
    every receiver of every event, which builds all of QtWidgets' ~140 classes on the
    first events — ~25 ms that neither a bare window nor Flowbench spends unwatched
    (measured 2026-12-05: a bare window exposed at 109 ms so watched, 84 ms watched on
    its own window). Bare and Flowbench are watched the same way."""

    def __init__(self, then: Any = None) -> None:
        self.at: float | None = None
        self.sign_in_at: float | None = None
        self.welcome_at: float | None = None
        self.window_at: float | None = None
        self.on_welcome: Any = None
        self._then = then
        self._filters: list[Any] = []

    def watch(self, widget: Any) -> None:
        """Watch ``widget`` (shown: its platform window exists)."""
        from PySide6.QtCore import QEvent, QObject

        watcher = self
        handle = widget.windowHandle()

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Expose and handle.isExposed():
                    handle.removeEventFilter(self)
                    watcher._exposed(handle.title())
                return False

        self._filters.append(Filter())
        handle.installEventFilter(self._filters[-1])

    def _exposed(self, title: str) -> None:
        now = time.time()
        if title.startswith("Sign In to Flowbench") and self.sign_in_at is None:
            self.sign_in_at = now
            mark("sign_in_shown", now)
        if title.startswith("Flowbench") and self.window_at is None:
            self.window_at = now
            mark("window_shown", now)
        if title.startswith("Welcome to Flowbench") and self.welcome_at is None:
            self.welcome_at = now
            mark("welcome_shown", now)
            if self.on_welcome is not None:
                self.on_welcome()
        if self.at is None:
            self.at = now
            mark("shown", now)
            mark("shown_window", title.replace(" ", "_") or "untitled")
            if self._then is not None:
                self._then()


def bare() -> int:
    """A bare two-tab ``QMainWindow``: the start-up figure's baseline."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    app = QApplication([sys.argv[0]])

    def exposed() -> None:
        mark("rss_kb", peak_rss_kb())
        QTimer.singleShot(0, app.quit)

    watcher = Exposures(exposed)
    window = QMainWindow()
    window.setWindowTitle("Bare")
    tabs = QTabWidget(window)
    tabs.addTab(QWidget(tabs), "Edit")
    tabs.addTab(QWidget(tabs), "Publish")
    window.setCentralWidget(tabs)
    window.resize(1200, 760)
    window.show()
    watcher.watch(window)
    code = int(app.exec())
    assert watcher.at is not None
    return code


def window_first() -> int:
    """Flowbench started on a team workspace: no dialog to show before it opens, so the
    main window is the first window; ``shown`` when it is exposed (the probe quits
    then, before the workspace is asked for)."""
    return _until_exposed("postgresql://nobody@127.0.0.1:1/flowbench", "shown")


def first_run() -> int:
    """Flowbench started with nothing to open (empty settings, no default workspace):
    ``welcome_shown`` when the first-run welcome dialog is exposed."""
    return _until_exposed(None, "welcome_shown")


def _until_exposed(workspace: str | None, mark_name: str) -> int:
    """Start Flowbench on ``workspace``; quit once the window that ``mark_name`` marks is
    exposed."""
    from flowbench.ui.launch import start_gui

    watcher = Exposures()
    started = start_gui([], workspace, on_window=watcher.watch)
    if started is None:
        raise SystemExit("another Flowbench of this profile took the start")
    if mark_name == "welcome_shown":
        watcher.on_welcome = lambda: started.app.exit(0)
    else:
        watcher._then = lambda: started.app.exit(0)
    code = started.run()  # (closing its lock and socket, as run_gui does)
    assert (watcher.welcome_at if mark_name == "welcome_shown" else watcher.at) is not None
    return code


# --- Flowbench -----------------------------------------------------------------------------

class Probe:
    """Starts Flowbench exactly as ``run_gui`` does (``ui/launch.start_gui``: the shell,
    then the controller and the workspace once it has painted) and drives it the way a
    member would. ``shown``: the first top-level window exposed (whichever it is);
    ``opened``: the sign-in dialog exposed over the opened workspace."""

    def __init__(self, workspace: str, email: str, password: str, facts_file: str):
        from PySide6.QtCore import QTimer

        from flowbench.ui.dialogs.prompts import Prompts
        from flowbench.ui.launch import start_gui

        class QuietPrompts(Prompts):
            """Answers instead of a person: nothing modal may block the probe."""

            def __getattribute__(self, name: str) -> Any:
                if name in ("inform", "error", "warning", "information"):
                    return lambda *args, **kwargs: mark("prompt", name)
                if name == "confirm":
                    return lambda *args, **kwargs: True
                return super().__getattribute__(name)

        self.watcher = Exposures()
        started = start_gui([], workspace, on_window=self.watcher.watch)
        if started is None:
            raise SystemExit("another Flowbench of this profile took the start")
        self.started = started
        self.app, self.window = started.app, started.window
        self.session, self.settings = self.window.session, self.window.settings
        # before the controller exists (it is made once the window has painted)
        self.window.prompts = QuietPrompts()
        self.email, self.password, self.facts_file = email, password, facts_file
        self._poll = QTimer()
        self._poll.setInterval(1)
        self._poll.timeout.connect(self._waiting_for_sign_in)

    def _waiting_for_sign_in(self) -> None:
        from flowbench.ui.dialogs.sign_in import SignInDialog

        controller = self.started.controller
        dialog = controller.dialog if controller is not None else None
        handle = dialog.windowHandle() if dialog is not None else None
        if not isinstance(dialog, SignInDialog) or dialog.waiting or handle is None \
                or not handle.isExposed() or self.watcher.at is None:
            return
        self._poll.stop()
        mark("opened", time.time())
        dialog.email.setText(self.email)
        dialog.password.setText(self.password)
        dialog.sign_in()
        self._poll.timeout.disconnect(self._waiting_for_sign_in)
        self._poll.timeout.connect(self._waiting_for_flows)
        self._poll.start()

    @cached_property
    def facts(self) -> dict[str, Any]:
        """The workspace's facts (read after the start: only the probe needs them)."""
        import json

        return dict(json.loads(Path(self.facts_file).read_text()))

    def _waiting_for_flows(self) -> None:
        view = self.window.flow_list.view
        model = view.model()
        if model is None or model.rowCount() < int(self.facts["counts"]["flows"]):
            return
        self._poll.stop()
        mark("ready", time.time())
        mark("flows_listed", model.rowCount())
        self.app.exit(0)

    def run_until_ready(self) -> None:
        self._poll.start()
        self.app.exec()

    def wait(self, ms: int) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def browse(self) -> None:
        """What a member does first: the segment flow's tabs, then the 500-step flow.
        Marks how long choosing each flow in the list takes (every tab loads it)."""
        ids = self.facts["flow_ids"]
        for name, key in (("switch_segment_ms", "segment"), ("switch_line_ms", "line"),
                          ("switch_tree_ms", "tree")):
            started = time.perf_counter()
            self.window.flow_list.select_flow(int(ids[key]))
            self.app.processEvents()
            mark(name, round((time.perf_counter() - started) * 1000, 1))
            if key == "segment":
                for index in range(self.window.tabs.count()):
                    self.window.tabs.setCurrentIndex(index)
                    self.wait(50)
                self.window.tabs.setCurrentIndex(0)
        self.wait(100)
        mark("tree_steps_shown", len(self.window.edit_tab.diagram.nodes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gui_probe")
    parser.add_argument("mode", choices=["bare", "start", "first-run", "window-first",
                                         "stall"])
    parser.add_argument("--workspace")
    parser.add_argument("--facts", help="the workspace's facts (JSON file)")
    parser.add_argument("--email", default="owner@example.com")
    parser.add_argument("--password", default="benchmark password 1")
    parser.add_argument("--driver", choices=["dialog", "task"], default="dialog",
                        help="stall: publish through the Publish tab's dialog (falling back "
                             "to a Task when the window has none) or always in a Task")
    args = parser.parse_args(argv)
    if args.mode == "bare":
        return bare()
    if args.mode == "first-run":
        return first_run()
    if args.mode == "window-first":
        return window_first()
    probe = Probe(str(Path(args.workspace).resolve()), args.email, args.password, args.facts)
    probe.run_until_ready()
    try:
        if args.mode == "start":
            probe.browse()
            mark("rss_kb", peak_rss_kb())
            return 0
        from tests.benchmarks.gui_stall import stall

        return stall(probe, args.driver)
    finally:
        # as run_gui does on quitting: otherwise the -wal file stays, and the next start
        # on this copy is an open after an unclean shutdown (the full-file check); and
        # the single-instance lock and socket would stay in the temporary folder
        probe.started.close()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # no teardown: the figures are printed, and Qt's exit is not measured
