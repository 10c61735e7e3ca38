"""Start-up and who is at the keyboard: opening workspaces (refused ones explained),
the first-run welcome, signing in and out, and the sample workspace.

The workspace opens once the first windows have painted, then the welcome or sign-in
dialog appears over the main window (``open()``, never a nested loop). When the workspace
is a file that is there, ``launch`` has already shown the sign-in dialog (``waiting``),
and when the start creates the file (a first run) the welcome dialog: it is filled in
(or creates the workspace) once the workspace opens, or goes if it does not.
The dialog on screen is ``controller.dialog``, for tests to drive.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog

from flowbench.domain.errors import (
    FlowbenchError,
    OperationCancelled,
    PasswordRequired,
    WorkspaceUnusable,
)
from flowbench.services import sample
from flowbench.services import workspace as workspace_service
from flowbench.services.opening import (
    ENV_WORKSPACE,
    WORKSPACE_SUFFIX,
    is_server_location,
    resolve_location,
    split_password,
)
from flowbench.services.sample_content import SampleAccount
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.dialogs.sample_accounts import SampleAccountsDialog
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog
from flowbench.ui.flow_transfer import report_unexpected
from flowbench.ui.main_window import MainWindow
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task, TaskControl, show_progress

log = logging.getLogger(__name__)
START_DELAY_MS = 50  # lets the window paint before the workspace opens (a large file's
# integrity check takes a moment)
WORKSPACE_FILTERS = f"Flowbench workspaces (*{WORKSPACE_SUFFIX});;All files (*)"


class AppController(QObject):
    def __init__(self, session: AppSession, settings: AppSettings, prompts: Prompts,
                 window: MainWindow) -> None:
        super().__init__(window)
        self.session, self.settings, self.prompts, self.window = (session, settings,
                                                                  prompts, window)
        self.dialog: QDialog | None = None
        self.task: Task | None = None
        self.sample_location: str | Path | None = None  # tests put the sample elsewhere
        self.pending_flow_file: Path | None = None  # opened once someone signs in
        # the sign-in or welcome dialog shown at start before the workspace opened (launch)
        self.waiting: SignInDialog | WelcomeDialog | None = None
        # what was open before File → New Workspace… (opened again if the new one is not
        # set up)
        self.before_new: str | None = None
        session.changed.connect(self._session_changed)
        actions = window.menu_actions
        actions.new_workspace.triggered.connect(self.choose_new_workspace)
        actions.open_workspace.triggered.connect(self.choose_workspace)
        self.open_team_workspace = actions.open_team_workspace
        self.open_team_workspace.triggered.connect(self.choose_team_workspace)
        actions.recent_chosen.connect(self.open_location)
        actions.sign_in.triggered.connect(self.ask_who)
        actions.sign_out.triggered.connect(self.sign_out)
        window.signed_out.sample_requested.connect(self.open_sample)
        session.discarded.connect(self._discarded)

    def start(self, location: str | None = None, flow_file: str | Path | None = None,
              delay_ms: int = START_DELAY_MS) -> None:
        """Show the window now; open the workspace once it is on screen (``delay_ms``
        later: ``run_gui`` has already waited for it to paint): ``location``
        (``--workspace``) or ``$FLOWBENCH_WORKSPACE`` if given, else the last workspace
        that still opens. A flow file (``flowbench FILE.flowbench.json``) is imported
        and shown after sign-in."""
        if flow_file is not None:
            self.pending_flow_file = Path(flow_file).expanduser().absolute()
        if self.waiting is not None and self.waiting.isVisible():  # not closed meanwhile
            self._open(self.waiting)
            if isinstance(self.waiting, SignInDialog):
                self.waiting.open_other_requested.connect(
                    lambda: QTimer.singleShot(0, self.choose_workspace))
            else:
                self.waiting.sample_requested.connect(
                    lambda: QTimer.singleShot(0, self.open_sample))
        self.window.show()
        QTimer.singleShot(delay_ms, lambda: self.open_at_start(location))

    def open_at_start(self, location: str | None = None) -> bool:
        """The workspace named, else the most recent one that still opens (missing ones
        are said and dropped from the list), else the default file — whose first-run
        welcome therefore appears only when there is no workspace to open at all."""
        if location or os.environ.get(ENV_WORKSPACE):
            return self.open_location(resolve_location(location))
        missing: list[str] = []
        for recent in self.settings.recent_workspaces():
            if not is_server_location(recent) and not Path(recent).is_file():
                missing.append(recent)
                self.settings.remove_recent(recent)
                continue
            if missing:
                self._say_missing(missing)
                missing = []
            if self.open_location(recent):
                return True
        if missing:
            self._say_missing(missing)
        return self.open_location(resolve_location(None))

    def _say_missing(self, missing: list[str]) -> None:
        log.info("recent workspaces no longer there: %s", missing)
        names = "\n".join(f"  {where}" for where in missing)
        one = len(missing) == 1
        self.prompts.inform(self.window, "Workspace not found",
                            f"{'This workspace is' if one else 'These workspaces are'} no "
                            f"longer there, so {'it was' if one else 'they were'} removed "
                            f"from Recent Workspaces:\n{names}")

    # --- workspaces ----------------------------------------------------------------------
    def open_location(self, location: str) -> bool:
        # a password in a team workspace's address is used once, then kept in the
        # keyring: never logged, remembered or shown
        location, password = split_password(location)
        if self.session.location == location and self.session.signed_in:
            return True
        if not self.window.resolve_unsaved("opening another workspace"):
            return False
        log.info("opening workspace %s", location)
        try:
            self._open_asking_password(location, password)
        except OperationCancelled:
            self._drop_waiting()
            self.window.signed_out.update_for(self.session)
            return False
        except WorkspaceUnusable as error:
            log.warning("workspace refused: %s", error)
            self._drop_waiting()
            self.prompts.error(self.window, "Workspace not opened", str(error))
            self.window.signed_out.update_for(self.session)
            return False
        self.settings.add_recent(self.session.location or location)
        notice = self.session.workspace.notice if self.session.workspace else ""
        if notice:
            self.prompts.inform(self.window, "Password not kept", notice)
        self.ask_who()
        return True

    def _open_asking_password(self, location: str, password: str | None = None) -> None:
        """Open; a team workspace whose server wants a password asks for it (up to three
        times). The password goes to the system keyring, never to a file."""
        for _attempt in range(3):
            try:
                self.session.open_workspace(location, password=password)
                return
            except PasswordRequired as error:
                password = self.prompts.ask_password(
                    self.window, "Team Workspace Password",
                    f"{error}\n\nPassword for {location}:")
                if password is None:
                    raise OperationCancelled("Opening the team workspace was cancelled.") \
                        from None
        self.session.open_workspace(location, password=password)

    def choose_team_workspace(self) -> None:
        """File → Open Team Workspace: a postgresql:// address typed in."""
        current = self.session.location or ""
        address = self.prompts.ask_text(
            self.window, "Open Team Workspace",
            "Address of the team workspace (postgresql://USER@HOST:PORT/DATABASE):",
            current if is_server_location(current) else "postgresql://")
        if address is None or not address.strip():
            return
        address = address.strip()
        if not is_server_location(address):
            self.prompts.error(self.window, "Workspace not opened",
                               "A team workspace address starts with postgresql://, e.g. "
                               "postgresql://ana@db.example.com:5432/flowbench.")
            return
        self.open_location(address)

    def _folder(self) -> Path:
        """Where the file dialogs start: the open workspace file's folder, else home."""
        current = self.session.location
        return (Path(current).parent if current and not is_server_location(current)
                else Path.home())

    def choose_workspace(self) -> None:
        path = self.prompts.choose_open_file(self.window, "Open Workspace",
                                             WORKSPACE_FILTERS, str(self._folder()))
        if path is not None:
            self.open_location(str(path))

    def choose_new_workspace(self) -> bool:
        """File → New Workspace…: a new workspace file, named here, then set up in the
        welcome dialog (its name and Owner). A file that is there is never replaced."""
        path = self.prompts.choose_save_file(
            self.window, "New Workspace", WORKSPACE_FILTERS,
            str(self._folder() / f"workspace{WORKSPACE_SUFFIX}"), replaces=False)
        if path is None:
            return False
        if not path.name.endswith(WORKSPACE_SUFFIX):
            path = path.with_name(path.name + WORKSPACE_SUFFIX)
        if path.exists():
            self.prompts.error(self.window, "Workspace not created",
                               f"{path} is there already, and a new workspace never "
                               "replaces a file. Open it with File → Open Workspace…, or "
                               "choose another name.")
            return False
        self.before_new = self.session.location  # for the welcome dialog (show_welcome)
        try:
            return self.open_location(str(path))
        finally:
            self.before_new = None

    # --- flow files handed over by the desktop ------------------------------------------------
    def open_flow_file(self, path: str | Path) -> None:
        """Import a flow file and show it: now if someone is signed in, else after sign-in."""
        self.pending_flow_file = Path(path).expanduser().absolute()
        if self.session.signed_in:
            QTimer.singleShot(0, self._import_pending)
        elif self.dialog is None and self.session.workspace is not None:
            self.ask_who()

    def _session_changed(self, change: SessionChange) -> None:
        if change.session and self.session.signed_in and self.pending_flow_file is not None:
            # after the window's own post-sign-in load (also queued), so the imported
            # flow is the one left selected
            QTimer.singleShot(0, self._import_pending)

    def _import_pending(self) -> None:
        path, self.pending_flow_file = self.pending_flow_file, None
        if path is None or not self.session.signed_in:
            self.pending_flow_file = self.pending_flow_file or path
            return
        if not self.window.resolve_unsaved(f"opening {path.name}"):
            return
        log.info("importing the flow file %s handed over at start", path)
        self.window.transfer.import_flow(path)

    # --- who is at the keyboard ------------------------------------------------------------
    def ask_who(self) -> None:
        """The welcome dialog for a new workspace, else the sign-in dialog."""
        if self.session.workspace is None or self.session.signed_in:
            return
        if self.waiting is not None and self.dialog is not self.waiting:
            waiting, self.waiting = self.waiting, None  # closed before the workspace opened
            if isinstance(waiting, WelcomeDialog) and waiting.refused:
                self.welcome_refused(waiting.location)
            return
        if self.session.is_initialised():
            self.show_sign_in()
        else:
            self.show_welcome()

    def show_welcome(self) -> WelcomeDialog:
        waiting, self.waiting = self.waiting, None
        if isinstance(waiting, WelcomeDialog) and self.dialog is waiting \
                and waiting.location == self.session.location:  # shown at start
            waiting.created.connect(self.session.sign_in)
            waiting.rejected.connect(lambda: self.welcome_refused(waiting.location))
            waiting.workspace_ready()
            return waiting
        location, before = self.session.location or "", self.before_new
        dialog = WelcomeDialog(location, self.window)
        dialog.created.connect(self.session.sign_in)
        dialog.rejected.connect(lambda: self.welcome_refused(location, before))
        dialog.sample_requested.connect(lambda: QTimer.singleShot(0, self.open_sample))
        self._open(dialog)
        return dialog

    def welcome_refused(self, location: str, before: str | None = None) -> None:
        """The welcome dialog of ``location`` was closed: a workspace file this start or
        File → New Workspace… created goes again, as nothing was set up in it
        (``discard_unset``); after New Workspace…, the workspace open ``before`` it opens
        again. Not when another workspace has opened since (which closed the dialog)."""
        if self.session.location == location and self.session.discard_unset() and before:
            self.open_location(before)

    def _discarded(self, location: str) -> None:
        """A workspace file that opening created and nobody set up was removed."""
        self.settings.remove_recent(location)
        self.window.show_message(f"{Path(location).name} was not set up, so it was removed.")

    def _drop_waiting(self) -> None:
        """The workspace shown at start did not open: its sign-in dialog goes."""
        waiting, self.waiting = self.waiting, None
        if waiting is not None and self.dialog is waiting:
            waiting.close()

    def show_sign_in(self) -> SignInDialog:
        label = self.session.file_name
        with contextlib.suppress(FlowbenchError):  # not set up: the file name will do
            name = workspace_service.workspace_info().name
            label = f"{name} — {label}"
            # for the next start's sign-in dialog, shown before the workspace opens
            self.settings.set_workspace_name(self.session.location, name)
        demo: tuple[SampleAccount, ...] = ()
        with contextlib.suppress(FlowbenchError):
            demo = sample.demo_accounts()
        waiting, self.waiting = self.waiting, None
        if isinstance(waiting, SignInDialog) and self.dialog is waiting \
                and waiting.opening == self.session.location:
            waiting.where.setToolTip(self.session.location or "")
            waiting.signed_in.connect(self.session.sign_in)
            waiting.workspace_ready(label, demo)
            return waiting
        dialog = SignInDialog(self.settings, label, self.window, demo_accounts=demo)
        dialog.where.setToolTip(self.session.location or "")
        dialog.signed_in.connect(self.session.sign_in)
        dialog.open_other_requested.connect(
            lambda: QTimer.singleShot(0, self.choose_workspace))
        self._open(dialog)
        return dialog

    def sign_out(self) -> bool:
        if not self.window.resolve_unsaved("signing out"):
            return False
        self.session.sign_out()
        self.show_sign_in()
        return True

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # --- the sample workspace ----------------------------------------------------------------
    def open_sample(self) -> Task | None:
        if not self.window.resolve_unsaved("opening the sample workspace"):
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.session.close_workspace()  # this thread's connection; the worker opens its own
        where = self.sample_location

        def work(control: TaskControl) -> sample.SampleWorkspace:
            return sample.open_sample_workspace(where, control.report)

        task = Task(work, self)
        task.succeeded.connect(self._sample_ready)
        task.failed.connect(self._sample_failed)
        show_progress(task, self.window, "Preparing the sample workspace", cancellable=False,
                      delay_ms=0)
        self.task = task
        return task.start()

    def _sample_ready(self, result: sample.SampleWorkspace) -> None:
        self.session.adopt(result.workspace)
        self.settings.add_recent(result.workspace.location)
        dialog = SampleAccountsDialog(result.accounts, result.workspace.location,
                                      result.created, self.window)
        dialog.signed_in.connect(self.session.sign_in)
        dialog.rejected.connect(lambda: QTimer.singleShot(0, self.ask_who))
        self._open(dialog)

    def _sample_failed(self, error: BaseException) -> None:
        self.window.signed_out.update_for(self.session)
        if isinstance(error, FlowbenchError):
            self.prompts.error(self.window, "Sample workspace not opened", str(error))
        else:
            report_unexpected(error)
