"""The GUI side of the benchmark, run as a separate process by ``run.py``.

``python -m tests.benchmarks.gui_probe MODE [options]`` prints lines
``MARK name value`` that the runner reads:

* ``bare``: a bare PySide6 ``QMainWindow`` holding a ``QTabWidget`` with two tabs;
  ``shown`` is the wall-clock time (``time.time()``) when its window is exposed. The
  baseline of the start figure.
* ``start --workspace PATH``: Flowbench started by ``ui/launch.start_gui``, the very
  sequence ``run_gui`` runs (logging, the instance lock, the application, theme, the
  main window's shell; once it has painted the controller, the listener and the
  workspace); ``shown`` when its first top-level window is exposed (``shown_window``
  names it), ``opened`` when the sign-in dialog is up over the opened workspace, then it
  signs in through that dialog (email and password typed in, Sign In pressed):
  ``ready`` when the flow list shows every flow. It then browses (the segment flow's
  Edit, Publish and Versions tabs, the 500-step flow) and reports ``rss_kb`` (peak).
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

class FirstExposed:
    """An application-wide event filter that marks ``shown`` (wall-clock time) when the
    first top-level window is exposed, naming it as ``shown_window``; bare and Flowbench
    are watched the same way, so the watching costs both the same."""

    def __init__(self, app: Any, then: Any = None) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtGui import QWindow

        self.at: float | None = None
        watcher = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if watcher.at is None and event.type() == QEvent.Type.Expose \
                        and isinstance(watched, QWindow) and watched.isExposed():
                    watcher.at = time.time()
                    mark("shown", watcher.at)
                    mark("shown_window", watched.title().replace(" ", "_") or "untitled")
                    app.removeEventFilter(self)
                    if then is not None:
                        then()
                return False

        self._filter = Filter()
        app.installEventFilter(self._filter)


def bare() -> int:
    """A bare two-tab ``QMainWindow``: the start-up figure's baseline."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    app = QApplication([sys.argv[0]])

    def exposed() -> None:
        mark("rss_kb", peak_rss_kb())
        QTimer.singleShot(0, app.quit)

    watcher = FirstExposed(app, exposed)
    window = QMainWindow()
    window.setWindowTitle("Bare")
    tabs = QTabWidget(window)
    tabs.addTab(QWidget(tabs), "Edit")
    tabs.addTab(QWidget(tabs), "Publish")
    window.setCentralWidget(tabs)
    window.resize(1200, 760)
    window.show()
    code = int(app.exec())
    assert watcher.at is not None
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

        self.watcher: FirstExposed | None = None

        def watch(app: Any) -> None:
            self.watcher = FirstExposed(app)

        started = start_gui([], workspace, on_application=watch)
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
        if not isinstance(dialog, SignInDialog) or handle is None or not handle.isExposed() \
                or self.watcher is None or self.watcher.at is None:
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


def _stall(probe: Probe, driver_choice: str = "dialog") -> int:
    """Publish the segment flow's draft with all three choices while measuring stalls."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    ids = probe.facts["flow_ids"]
    window = probe.window
    window.flow_list.select_flow(int(ids["segment"]))
    probe.wait(100)
    gaps: list[float] = []
    phases = {"during": 0.0, "handover": 0.0, "after": 0.0}
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)
    outcome: dict[str, Any] = {"busy": lambda: False}
    state = {"busy": False}

    def tick() -> None:
        gap = clock.nsecsElapsed() / 1e6
        clock.restart()
        gaps.append(gap)
        busy = bool(outcome["busy"]())
        # the worker running at both ticks: "during"; it finished in between: the
        # handover (success handlers, screens reloading); neither: "after"
        phase = "during" if busy and state["busy"] else \
            "handover" if state["busy"] else "after"
        phases[phase] = max(phases[phase], gap)
        state["busy"] = busy

    ticker.timeout.connect(tick)
    watch = StallWatch(lambda: bool(outcome["busy"]()))
    done = QEventLoop()
    driver = _drive_publish_tab(probe, outcome, done) if driver_choice == "dialog" else None
    started = time.perf_counter()
    clock.start()
    ticker.start()
    ticker.timeout.connect(watch.beat)
    watch.start()
    if driver is None:
        driver = _drive_task(probe, outcome, done)
    mark("driver", driver)
    QTimer.singleShot(30 * 60 * 1000, done.quit)
    done.exec()
    publish_s = time.perf_counter() - started
    probe.wait(1000)  # the screens reload after the publish: that counts too
    ticker.stop()
    watch.stop()
    mark("publish_s", round(publish_s, 3))
    at = gaps.index(max(gaps)) if gaps else 0
    mark("stall_after_s", round(sum(gaps[:at]) / 1000, 3))
    mark("stall_phases", " ".join(f"{k}={v:.0f}ms" for k, v in phases.items()))
    mark("stall_where", watch.report())
    mark("outcome", outcome.get("result", outcome.get("error", "timeout")))
    mark("stall_ms", round(max(gaps) if gaps else 0.0, 1))
    mark("ticks", len(gaps))
    mark("rss_kb", peak_rss_kb())
    return 0 if "result" in outcome else 1


class StallWatch:
    """Samples the GUI thread's stack whenever the event loop has not ticked for 40 ms:
    a poor man's profiler of what blocks it (printed as ``stall_where``)."""

    def __init__(self, busy: Any) -> None:
        import threading

        self.busy = busy
        self.main = threading.main_thread().ident or 0
        self.last = time.perf_counter()
        self.samples: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def beat(self) -> None:
        self.last = time.perf_counter()

    def start(self) -> None:
        self.last = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import traceback

        while not self._stop.wait(0.005):
            if time.perf_counter() - self.last < 0.03:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            mine = [f"{Path(s.filename).name}:{s.lineno} {s.name}" for s in stack
                    if "flowbench" in s.filename or "benchmarks" in s.filename]
            key = " < ".join(reversed(mine[-4:])) or f"{Path(stack[-1].filename).name}:" \
                f"{stack[-1].lineno} {stack[-1].name}"
            key = ("[worker busy] " if self.busy() else "[worker done] ") + key
            self.samples[key] = self.samples.get(key, 0) + 1

    def report(self) -> str:
        ranked = sorted(self.samples.items(), key=lambda item: -item[1])[:6]
        return " | ".join(f"{count}x {where}" for where, count in ranked) or "nothing"


def _drive_publish_tab(probe: Probe, outcome: dict[str, Any], done: Any) -> str | None:
    """Through the Publish tab's pre-publish dialog, if the window has that tab."""
    try:
        from flowbench.ui.publish.publish_tab import PublishTab
    except ImportError:
        return None
    tab = probe.window.publish_tab
    if not isinstance(tab, PublishTab):
        return None
    probe.window.tabs.setCurrentWidget(tab)
    probe.wait(50)
    dialog = tab.open_publish_dialog()
    run = getattr(tab, "run", None)
    if dialog is None or run is None:
        return None
    for box in dialog.boxes.values():
        box.setChecked(True)

    def published(result: Any) -> None:
        outcome["result"] = result.describe().replace("\n", " ")
        done.quit()

    def refused(note: str) -> None:
        outcome["error"] = note
        done.quit()

    run.published.connect(published)
    run.refused.connect(refused)
    outcome["busy"] = lambda: run.running

    def start() -> None:
        dialog.publish_button.click()
        if not run.running:
            outcome["error"] = "the dialog did not start the publish"
            done.quit()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, start)
    return "the Publish tab's pre-publish dialog (PublishRun, a ui.tasks.Task)"


def _drive_task(probe: Probe, outcome: dict[str, Any], done: Any) -> str:
    """No publish dialog yet: ``publishing.publish`` in a ``ui.tasks.Task``, with the
    progress dialog, exactly as a dialog would run it."""
    from flowbench.domain.publish_plan import PublishChoices
    from flowbench.services import publishing
    from flowbench.services.publish_plan import prepare_publish
    from flowbench.ui.session import SessionChange
    from flowbench.ui.tasks import Task, show_progress

    actor = probe.session.actor
    assert actor is not None
    flow_id = int(probe.facts["flow_ids"]["segment"])
    plan = prepare_publish(actor, flow_id)
    choices = PublishChoices(True, True, True)
    task = Task(lambda control: publishing.publish(actor, plan, choices,
                                                   progress=control.report,
                                                   should_cancel=control.cancelled))

    def succeeded(result: Any) -> None:
        outcome["result"] = result.describe()
        probe.session.notify(SessionChange.for_flow(flow_id))

    def failed(error: BaseException) -> None:
        outcome["error"] = repr(error)

    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    outcome["busy"] = lambda: task.running
    task.finished.connect(done.quit)
    show_progress(task, probe.window, "Publishing")
    task.start()
    return "publishing.publish in a ui.tasks.Task with a progress dialog, as a dialog runs it"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gui_probe")
    parser.add_argument("mode", choices=["bare", "start", "stall"])
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
    probe = Probe(str(Path(args.workspace).resolve()), args.email, args.password, args.facts)
    probe.run_until_ready()
    try:
        if args.mode == "start":
            probe.browse()
            mark("rss_kb", peak_rss_kb())
            return 0
        return _stall(probe, args.driver)
    finally:
        # as run_gui does on quitting: otherwise the -wal file stays, and the next start
        # on this copy is an open after an unclean shutdown (the full-file check)
        probe.session.close_workspace()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # no teardown: the figures are printed, and Qt's exit is not measured
