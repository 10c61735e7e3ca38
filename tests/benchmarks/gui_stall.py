"""Figure 6 in the GUI process (``gui_probe stall``): the Publish tab's pre-publish
dialog publishes the segment flow's draft with all three choices while a 5 ms timer
measures the longest gap of the event loop, and a watchdog thread samples what the GUI
thread was doing whenever it was late."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.gui_probe import mark, peak_rss_kb

if TYPE_CHECKING:
    from tests.benchmarks.gui_probe import Probe


def stall(probe: Probe, driver_choice: str = "dialog") -> int:
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
