"""Starting the GUI: the one-instance lock, the QApplication, the look and the main
window's frame; then the first window a person acts on, before any real work — the
sign-in dialog when the workspace to open is a file that is there, the welcome dialog
when the start creates the file (both wait for the workspace) — with the main window
furnished and shown behind it once it has painted (or the main window alone when there
is nothing to ask first); once that has painted too, logging, the controller, the
listener for later starts and the workspace (with the database library and the
services they import)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from flowbench.resources import resource_path
from flowbench.ui.binding_guard import keep_singletons_alive
from flowbench.ui.single_instance import (
    Handover,
    InstanceLock,
    InstanceServer,
    hand_over,
    instance_key,
)

if TYPE_CHECKING:
    from flowbench.ui.app_log import UnexpectedErrorHook
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.sign_in import SignInDialog
    from flowbench.ui.dialogs.welcome import WelcomeDialog
    from flowbench.ui.main_window import MainWindow
    from flowbench.ui.startup import AppController
    from flowbench.ui.theme import Theme

APP_NAME = "Flowbench"
# the store's name for it (not imported from there: that loads the database library)
ENV_WORKSPACE = "FLOWBENCH_WORKSPACE"
WORKSPACE_SUFFIX = ".flowbench"  # the store's too (tests/ui/test_light_start.py checks)
PAINT_WAIT_MS = 500  # a platform that never reports the window exposed: go on anyway
log = logging.getLogger(__name__)


def guard_bindings() -> None:
    """PySide6 6.12 on Python 3.11 miscounts references to None/True/False; see
    ``ui/binding_guard.py`` (the start applies it once the first windows are up)."""
    keep_singletons_alive()


def ensure_application(qt_args: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else "flowbench", *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("flowbench")
    app.setWindowIcon(QIcon(str(resource_path("icons/flowbench.svg"))))
    return app


class FileOpenFilter(QObject):
    """macOS hands a double-clicked flow file to the running app as a FileOpen event
    (not on the command line); pass it on like ``flowbench FILE``."""

    def __init__(self, open_file: Callable[[str], object], parent: QObject) -> None:
        super().__init__(parent)
        self._open_file = open_file

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        from PySide6.QtGui import QFileOpenEvent  # (only macOS makes this filter)

        if isinstance(event, QFileOpenEvent) and event.file():
            self._open_file(event.file())
            return True
        return False


def _absolute(path: str | None) -> str | None:
    """A path as the running Flowbench must see it (it has another working folder); a
    server address (postgresql://…) as it is."""
    if not path or "://" in path:
        return path or None
    return str(Path(path).expanduser().absolute())


def claim_instance(handover: Handover) -> InstanceLock | None:
    """The lock when this is the first Flowbench of the user; None when a running one
    took ``handover`` (this start then only exits)."""
    lock = InstanceLock(instance_key())
    if lock.try_take():
        return lock  # the log file is set up once the window is on screen
    from flowbench.ui.app_log import setup_logging

    setup_logging()
    if hand_over(lock.key, handover):
        log.info("handed over to the running Flowbench: %s", handover.describe())
        return None
    if lock.try_take():  # it quit meanwhile
        return lock
    log.warning("the running Flowbench did not answer; starting another one")
    fallback = InstanceLock(f"{lock.key}-{QCoreApplication.applicationPid()}")
    fallback.try_take()
    return fallback


def act_on_handover(window: MainWindow, controller: AppController,
                    handover: Handover) -> None:
    """A second start's request: come to the front, open its workspace, import its flow
    file (after sign-in when nobody is signed in)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    if handover.workspace and not controller.open_location(handover.workspace):
        return  # refused or cancelled: its flow file is not imported elsewhere
    if handover.flow_file:
        controller.open_flow_file(handover.flow_file)


class GuiStart:
    """A started Flowbench: its first dialog on screen (``waiting``), the main window
    behind it once that has painted — or the main window alone — then, once the window
    has painted, the rest (``finish``): the error hook, the controller, the listener for
    later starts, the workspace. ``controller`` is None until then."""

    def __init__(self, app: QApplication, window: MainWindow, lock: InstanceLock,
                 workspace: str | None, flow_file: str | None, theme: Theme,
                 on_window: Callable[[QWidget], object] | None = None) -> None:
        self.app, self.window, self.lock, self.theme = app, window, lock, theme
        self.on_window = on_window
        self.workspace, self.flow_file = workspace, flow_file
        self.controller: AppController | None = None
        self.server: InstanceServer | None = None
        self.hook: UnexpectedErrorHook | None = None
        self.asked: list[str] = []
        self.waiting: SignInDialog | WelcomeDialog | None = self.first_dialog()
        dialog = self.waiting
        if dialog is None:
            self._show_window()
            when_painted(window, self.finish)
        elif not dialog_before_window():
            self._show_window()  # and the dialog over it in the same turn
            dialog.open()
            self._seen(dialog)
            when_painted(dialog, self.finish)
        else:
            # The dialog first: the window's frame has its platform window (unmapped),
            # so the dialog is its transient — centred on it, kept above it, blocking
            # it — and the window is furnished and shown behind it once the dialog has
            # painted.
            window.winId()
            dialog.open()
            self._seen(dialog)
            when_painted(dialog, self._window_behind)

    def _show_window(self) -> None:
        """The main window, furnished, on screen."""
        self.window.furnish()
        self.window.show()
        self._seen(self.window)

    def _window_behind(self) -> None:
        """The main window behind the first dialog (on screen already); the rest once
        the window has painted."""
        self._show_window()
        dialog = self.waiting
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
        when_painted(self.window, self.finish)

    def _seen(self, window: QWidget) -> None:
        if self.on_window is not None:
            self.on_window(window)

    def first_dialog(self) -> SignInDialog | WelcomeDialog | None:
        """The sign-in dialog when the workspace to open is a file that is there, the
        welcome dialog on a first run; else None (the window alone)."""
        where = workspace_file_at_start(self.workspace, self.window.settings)
        if where is None:
            return self.welcome_first()
        from flowbench.ui.dialogs.sign_in import SignInDialog

        remembered = self.window.settings.workspace_name(str(where))  # as it will say
        label = f"{remembered} — {where.name}" if remembered else where.name
        dialog = SignInDialog(self.window.settings, label, self.window, opening=str(where))
        # pressed before the controller exists: it chooses once the workspace has opened
        dialog.open_other_requested.connect(lambda: self.asked.append("other workspace"))
        return dialog

    def welcome_first(self) -> WelcomeDialog | None:
        """The welcome dialog when this start creates the workspace file (see
        ``new_workspace_file``): it creates the workspace once the services have opened
        the file."""
        where = new_workspace_file(self.workspace, self.window.settings)
        if where is None:
            return None
        from flowbench.ui.dialogs.welcome import WelcomeDialog

        dialog = WelcomeDialog(str(where), self.window, opening=True)
        # chosen before the controller exists: it opens the sample once it does
        dialog.sample_requested.connect(lambda: self.asked.append("sample"))
        return dialog

    def finish(self) -> None:
        guard_bindings()  # before the many Qt calls to come (see ui/binding_guard.py)
        from flowbench.ui.app_log import UnexpectedErrorHook, setup_logging

        log.info("Flowbench starting; log file %s", setup_logging())
        self.window.complete_menus()  # their actions and shortcuts (titles shown already)
        self.theme.confirm_system()  # the first windows are up: Qt's word on the scheme
        from flowbench.ui.startup import AppController

        window = self.window

        def show_error(summary: str, details: str, where: Path | None) -> None:
            from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog

            UnexpectedErrorDialog(summary, details, where, window).exec()

        self.hook = UnexpectedErrorHook(show_error)
        self.hook.install()
        controller = AppController(window.session, window.settings, window.prompts, window)
        self.controller = controller
        controller.waiting = self.waiting
        if sys.platform == "darwin":  # only macOS sends FileOpen; elsewhere, no filter cost
            self.app.installEventFilter(FileOpenFilter(controller.open_flow_file, controller))
        server = InstanceServer(self.lock, controller)
        server.handed_over.connect(
            lambda handover: act_on_handover(window, controller, handover))
        if server.listen():
            log.info("listening for later starts as %s", self.lock.key)
        self.server = server
        controller.start(self.workspace, self.flow_file, delay_ms=0)
        if "other workspace" in self.asked:
            QTimer.singleShot(0, controller.choose_workspace)
        elif "sample" in self.asked:
            QTimer.singleShot(0, controller.open_sample)

    def run(self) -> int:
        """Run until the window closes; returns the exit code."""
        try:
            return int(self.app.exec())
        finally:
            self.close()

    def close(self) -> None:
        """Give up the single-instance lock and socket (a start that does not, leaves
        them in the temporary folder), the error hook and the workspace."""
        if self.server is not None:
            self.server.close()
        else:
            self.lock.release()
        if self.hook is not None:
            self.hook.uninstall()
        if self.window.session.close_workspace():  # a new file nobody set up went with it
            self.window.settings.sync()  # and so did its place in Recent Workspaces
        log.info("Flowbench closed")


def dialog_before_window() -> bool:
    """Whether the first dialog may come on screen before the main window behind it.
    Not on Wayland: a compositor keeps a dialog above its parent only when the parent is
    on screen as the dialog comes (X11, Windows and macOS tie them as the dialog is
    made, or keep a modal dialog above), so there the window comes first, the dialog
    over it in the same turn."""
    return not QGuiApplication.platformName().startswith("wayland")


def workspace_file_at_start(workspace: str | None, settings: AppSettings) -> Path | None:
    """The workspace file the start opens first, when it is a file that is there (a
    workspace that is set up, most likely): ``--workspace``, ``$FLOWBENCH_WORKSPACE`` or
    the most recent workspace. None for a team workspace, a missing file or none."""
    location = workspace or os.environ.get(ENV_WORKSPACE)
    if not location:
        recent = settings.recent_workspaces()
        location = recent[0] if recent else ""
    if not location or "://" in location:
        return None
    path = Path(location).expanduser()
    return path if path.is_file() else None


def new_workspace_file(workspace: str | None, settings: AppSettings) -> Path | None:
    """The workspace file this start will create, when it will: the file named
    (``--workspace``, ``$FLOWBENCH_WORKSPACE``) when it is not there yet; with none
    named or remembered, the default file when it is not there yet (a first run).

    The default file is found as Qt finds the user's data folder — the folder the
    store's ``default_workspace_path`` (platformdirs) names on Linux, macOS and Windows,
    which a test keeps true — because importing platformdirs and the store's modules
    cost the welcome dialog ~5 ms. Were they ever to differ, the controller would not
    adopt this dialog and would show its own for the file it opened."""
    named = workspace or os.environ.get(ENV_WORKSPACE)
    if named:
        path = Path(named).expanduser()
        return None if "://" in named or path.exists() else path
    if settings.recent_workspaces():
        return None
    from PySide6.QtCore import QStandardPaths

    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    path = Path(data) / "Flowbench" / f"workspace{WORKSPACE_SUFFIX}"
    return None if path.exists() else path


def when_painted(window: QWidget, then: Callable[[], object],
                 at_the_latest_ms: int = PAINT_WAIT_MS) -> None:
    """Call ``then`` on the turn of the event loop after ``window`` was first exposed
    (it has painted), or after ``at_the_latest_ms`` on a platform that never says so."""
    done: list[bool] = []

    def go() -> None:
        if not done:
            done.append(True)
            then()

    class Exposed(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            handle = window.windowHandle()
            if event.type() == QEvent.Type.Expose and handle is not None \
                    and handle.isExposed():
                handle.removeEventFilter(self)
                QTimer.singleShot(0, go)
            return False

    handle = window.windowHandle()
    if handle is not None:
        handle.installEventFilter(Exposed(window))
    QTimer.singleShot(at_the_latest_ms, go)


def start_gui(qt_args: list[str], workspace: str | None = None,
              flow_file: str | None = None,
              on_application: Callable[[QApplication], object] | None = None,
              on_window: Callable[[QWidget], object] | None = None
              ) -> GuiStart | None:
    """Put the first window on screen, then start the rest once it has painted (see
    ``GuiStart``). None when Flowbench already runs for this user: it got the workspace
    and flow file instead. For the benchmark's probe and the tests: ``on_application``
    sees the QApplication as soon as it exists, ``on_window`` each of the first windows
    (the sign-in or welcome dialog, the main window) as soon as it is shown."""
    lock = claim_instance(Handover(_absolute(workspace), _absolute(flow_file)))
    if lock is None:
        return None
    app = ensure_application(qt_args)
    if on_application is not None:
        on_application(app)
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.main_window import MainWindow
    from flowbench.ui.session import AppSession
    from flowbench.ui.theme import Theme

    theme = Theme(app)
    theme.follow_system()
    session = AppSession()
    window = MainWindow(session, AppSettings(), Prompts(), furnished=False)
    session.setParent(window)
    return GuiStart(app, window, lock, workspace, flow_file, theme, on_window)


def run_gui(qt_args: list[str], workspace: str | None = None,
            flow_file: str | None = None) -> int:
    """Run the window until it closes; returns the exit code. ``flow_file`` (from the
    desktop's "Open with Flowbench") is imported and shown once someone signs in.
    When Flowbench already runs for this user, it gets the workspace and flow file
    instead and this returns 0 at once."""
    started = start_gui(qt_args, workspace, flow_file)
    return 0 if started is None else started.run()
