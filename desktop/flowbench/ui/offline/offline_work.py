"""File → Work Offline, File → Sync and the conflicts they find.

Work Offline copies the open team workspace to a file the member chooses and opens it,
the member still signed in. Sync sends the copy's offline edits, reports each flow's
outcome and opens the first conflict side by side; resolving one sends the result at
once (or at the next sync when the server is away). Both run on the GUI thread with a
busy cursor: a copy or sync of a team's flows takes a moment, and the window must not
change the workspace meanwhile.
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
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.offline.conflict_dialog import ConflictDialog
from flowbench.ui.session import AppSession

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

    # --- syncing ------------------------------------------------------------------------
    def _with_password(self, call: Callable[[str | None], T]) -> T | None:
        password: str | None = None
        while True:
            try:
                with busy():
                    return call(password)
            except PasswordRequired as error:
                password = self.prompts.ask_password(self.window, "Sync", f"{error}\n\n"
                                                     "Password for the team workspace:")
                if password is None:
                    return None

    def sync(self) -> offline_sync.SyncReport | None:
        actor = self.session.actor
        if actor is None or not self.resolve_unsaved("syncing"):
            return None
        location = self.session.location
        try:
            report = self._with_password(lambda pw: offline_sync.sync(actor, password=pw))
        except FlowbenchError as error:
            report = None
            self.prompts.error(self.window, "Sync", str(error))
        if location is not None:
            self._reopen(location, actor)  # the copy, refreshed (or as it was)
        if report is None:
            return None
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
        return report

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
        location = self.session.location
        flow = dialog.conflict.flow
        try:
            done = self._with_password(lambda pw: offline_conflicts.resolve(
                actor, flow, keep, password=pw))
        except FlowbenchError as error:
            self.prompts.error(self.window, "Resolve", str(error))
            return
        finally:
            if location is not None:
                self._reopen(location, actor)
        if done is None:
            return
        dialog.accept()
        sent = next((f for f in (done.sync.flows if done.sync else []) if f.flow == flow),
                    None)
        self.message.emit(f"Resolved “{flow}”: kept {done.kept}. " + (
            done.notice if done.sync is None else
            f"Outcome: {sent.outcome}." if sent else ""))
        if sent is not None and sent.outcome == SyncOutcome.CONFLICT:
            self.show_conflicts()  # the team moved on again meanwhile
