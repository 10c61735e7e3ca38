"""File → Work Offline, File → Sync and the conflicts they find.

Work Offline copies the open team workspace to a file the member chooses and opens it,
the member still signed in. Sync sends the copy's offline edits, reports each flow's
outcome and opens the first conflict side by side; resolving one sends the result at
once (or at the next sync when the server is away). Syncing and resolving run on a
worker thread behind a window-modal progress dialog (the window must not touch the
workspace meanwhile: the sync closes the copy, works on the server, and reopens it);
taking the copy runs on the GUI thread with a busy cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError, PasswordRequired
from flowbench.domain.offline import SyncOutcome
from flowbench.domain.offline_merge import Side
from flowbench.services import offline, offline_conflicts, offline_sync
from flowbench.services.context import Actor
from flowbench.services.opening import release_thread_connection
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.offline.conflict_dialog import ConflictDialog
from flowbench.ui.session import AppSession
from flowbench.ui.tasks import Task, TaskControl, show_progress

T = TypeVar("T")
COPY_FILTERS = "Flowbench workspaces (*.flowbench);;All files (*)"


@contextmanager
def busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class OfflineWork(QObject):
    message = Signal(str)

    def __init__(self, window: QWidget, session: AppSession, prompts: Prompts,
                 resolve_unsaved: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.window, self.session, self.prompts = window, session, prompts
        self.resolve_unsaved = resolve_unsaved
        self.dialog: ConflictDialog | None = None
        self.task: Task | None = None
        self.last_report: offline_sync.SyncReport | None = None

    # --- taking the team workspace offline ------------------------------------------------
    def work_offline(self) -> Path | None:
        actor = self.session.actor
        if actor is None or not self.resolve_unsaved("working offline"):
            return None
        name = self.session.workspace_name or "team"
        path = self.prompts.choose_save_file(self.window, "Work Offline — save the copy as",
                                             COPY_FILTERS, f"{name} offline.flowbench")
        if path is None:
            return None
        try:
            with busy():
                made = offline.take_offline(actor, path)
        except FlowbenchError as error:
            self.prompts.error(self.window, "Work Offline", str(error))
            return None
        self._reopen(made.path, actor)
        self.message.emit(f"Working offline in {made.path.name}: edit drafts here; "
                          "File → Sync sends them when you are back online.")
        return made.path

    def _reopen(self, location: Path | str, actor: Actor) -> None:
        self.session.open_workspace(location)
        self.session.sign_in(offline.continue_as(actor))

    # --- syncing (on a worker thread) -------------------------------------------------------
    def _in_background(self, title: str, work: Callable[[str | None, TaskControl], T],
                       done: Callable[[T], None], password: str | None = None) -> Task | None:
        """Run ``work(password, control)`` off the GUI thread with a progress dialog; the
        copy is open again (the member still signed in) before ``done`` gets the result.
        A server that wants its password asks for it and runs the work again."""
        actor, location = self.session.actor, self.session.location
        if actor is None or location is None:
            return None
        release_thread_connection()  # the work closes and reopens the copy

        def succeeded(result: object) -> None:
            self._reopen(location, actor)
            done(result)  # type: ignore[arg-type]

        def failed(error: object) -> None:
            self._reopen(location, actor)
            if isinstance(error, PasswordRequired):
                typed = self.prompts.ask_password(self.window, title, f"{error}\n\n"
                                                  "Password for the team workspace:")
                if typed is not None:
                    self._in_background(title, work, done, typed)
                return
            self.prompts.error(self.window, title, str(error) if isinstance(
                error, FlowbenchError) else f"Unexpected error: {error!r}")

        task = Task(lambda control: work(password, control))
        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        show_progress(task, self.window, title, cancellable=False)
        self.task = task
        return task.start()

    def sync(self) -> Task | None:
        actor = self.session.actor
        if actor is None or not self.resolve_unsaved("syncing"):
            return None
        return self._in_background(
            "Syncing with the team workspace",
            lambda password, control: offline_sync.sync(actor, password=password,
                                                        progress=control.report),
            self._synced)

    def _synced(self, report: offline_sync.SyncReport) -> None:
        self.last_report = report
        counts = ", ".join(f"{report.count(outcome)} {outcome}" for outcome in SyncOutcome
                           if report.count(outcome))
        text = f"Synced with {report.workspace}: {counts or 'nothing to sync'}."
        if report.error:
            self.prompts.error(self.window, "Sync", f"{report.error}\n\n{text} Flows not "
                               "synced stay pending; sync again to finish.")
        else:
            self.message.emit(text)
        if report.count(SyncOutcome.CONFLICT):
            self.show_conflicts()

    # --- conflicts ----------------------------------------------------------------------
    def show_conflicts(self) -> ConflictDialog | None:
        try:
            found = offline_conflicts.list_conflicts()
        except FlowbenchError as error:
            self.prompts.error(self.window, "Conflicts", str(error))
            return None
        if not found:
            self.message.emit("No conflicts: every offline edit is synced or pending.")
            return None
        dialog = ConflictDialog(found[0], self.window)
        dialog.resolve_requested.connect(lambda keep: self._resolve(dialog, keep))
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: ConflictDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _resolve(self, dialog: ConflictDialog, keep: Side | dict[str, Side]) -> None:
        actor = self.session.actor
        if actor is None:
            return
        flow = dialog.conflict.flow

        def work(password: str | None,
                 control: TaskControl) -> offline_conflicts.Resolution | offline_sync.SyncReport:
            if password is not None:  # resolved already; the server wanted its password
                return offline_sync.sync(actor, password=password, only=flow,
                                         progress=control.report)
            done = offline_conflicts.resolve(actor, flow, keep, progress=control.report)
            if done.needs_password:
                raise PasswordRequired(done.notice.split(" The resolved draft")[0])
            return done

        def resolved(result: offline_conflicts.Resolution | offline_sync.SyncReport) -> None:
            dialog.accept()
            report = result if isinstance(result, offline_sync.SyncReport) else result.sync
            sent = next((f for f in (report.flows if report else []) if f.flow == flow), None)
            notice = "" if report or isinstance(result, offline_sync.SyncReport) \
                else result.notice
            self.message.emit(f"Resolved “{flow}”. " + (
                f"Outcome: {sent.outcome}." if sent else notice))
            if sent is not None and sent.outcome == SyncOutcome.CONFLICT:
                self.show_conflicts()  # the team moved on again meanwhile

        self._in_background("Resolving the conflict", work, resolved)
