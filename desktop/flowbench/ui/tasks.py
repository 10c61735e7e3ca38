"""Long work (imports, creating the sample, later publishing) on a worker thread.

``Task(work)`` runs ``work(control)`` on Qt's thread pool. The work reports progress
through ``control.report(stage, done, total)`` and asks ``control.cancelled()``
between steps; the services it calls stay cancellable until they commit. Every signal
of a ``Task`` arrives on the GUI thread, so handlers may touch widgets::

    task = Task(lambda control: flow_files.import_flow(actor, text))
    task.succeeded.connect(show_result)
    task.failed.connect(show_error)        # the exception, FlowbenchError or not
    show_progress(task, window, "Importing the flow")
    task.start()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from flowbench.domain.errors import OperationCancelled
from flowbench.services.opening import release_thread_connection

log = logging.getLogger(__name__)

Work = Callable[["TaskControl"], Any]


class _Bridge(QObject):
    """Emitted on the worker thread; received (queued) by the Task on the GUI thread."""

    progressed = Signal(str, int, int)
    done = Signal(bool, object)  # ok, result or exception


class TaskControl:
    """Handed to the work: report progress, notice a cancel."""

    def __init__(self, bridge: _Bridge) -> None:
        self._bridge = bridge
        self._cancel = threading.Event()

    def report(self, stage: str, done: int = 0, total: int = 0) -> None:
        self._bridge.progressed.emit(stage, done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here (raising OperationCancelled) if the member cancelled."""
        if self._cancel.is_set():
            raise OperationCancelled("Cancelled; nothing was changed.")


class _Runner(QRunnable):
    def __init__(self, work: Work, control: TaskControl, bridge: _Bridge) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._control, self._bridge = work, control, bridge

    def run(self) -> None:
        try:
            result = self._work(self._control)
        except BaseException as exc:  # handed to the GUI thread, which decides
            release_thread_connection()
            self._bridge.done.emit(False, exc)
            return
        release_thread_connection()
        self._bridge.done.emit(True, result)


class Task(QObject):
    """One piece of work on a worker thread; its signals arrive on the GUI thread."""

    progressed = Signal(str, int, int)  # stage, done, total (total 0: unknown)
    succeeded = Signal(object)          # what the work returned
    failed = Signal(object)             # the exception it raised
    finished = Signal()                 # after succeeded or failed

    _alive: set[Task] = set()  # kept until finished, whoever holds a reference

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        # ``parent`` is accepted but never owns the Task: a running Task must outlive the
        # widget that started it (its worker still reports to it); it keeps itself alive
        # until it has finished.
        del parent
        super().__init__()
        self._work = work
        # The Task owns the bridge's C++ object: when the worker thread lets go of its
        # reference last, only the Python wrapper goes there; the bridge itself is
        # destroyed with the Task, on the GUI thread it belongs to (deleting a GUI-thread
        # QObject from a worker thread crashed now and then).
        self._bridge = _Bridge(self)
        self._bridge.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._bridge.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.control = TaskControl(self._bridge)
        self.running = False
        self.result: Any = None
        self.error: BaseException | None = None

    def start(self, pool: QThreadPool | None = None) -> Task:
        if self.running:
            raise RuntimeError("the task is already running")
        self.running = True
        Task._alive.add(self)
        (pool or QThreadPool.globalInstance()).start(
            _Runner(self._work, self.control, self._bridge))
        return self

    def cancel(self) -> None:
        self.control._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, done, total)

    def _on_done(self, ok: bool, outcome: object) -> None:
        self.running = False
        # Let go one event-loop turn later, not while the worker may still be returning
        # from the emit that brought us here.
        QTimer.singleShot(0, lambda: Task._alive.discard(self))
        if ok:
            self.result = outcome
            self.succeeded.emit(outcome)
        else:
            assert isinstance(outcome, BaseException)
            self.error = outcome
            self.failed.emit(outcome)
        self.finished.emit()


def show_progress(task: Task, parent: QWidget | None, title: str, *,
                  cancellable: bool = True, delay_ms: int = 400) -> QProgressDialog:
    """A window-modal progress dialog for ``task``; appears only if the work takes a
    while, offers Cancel when the work can stop, and closes when the task finishes."""
    dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setValue(0)

    def progressed(stage: str, done: int, total: int) -> None:
        dialog.setLabelText(stage)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def cancel_requested() -> None:
        dialog.setLabelText("Cancelling…")
        task.cancel()

    def finished() -> None:
        dialog.canceled.disconnect(cancel_requested)  # closing emits canceled too
        dialog.close()
        dialog.deleteLater()

    task.progressed.connect(progressed)
    dialog.canceled.connect(cancel_requested)
    task.finished.connect(finished)
    return dialog
