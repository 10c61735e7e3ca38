"""Starting the GUI: the QApplication, logging, the look, the main window and the
controller — in the order that puts the window on screen before any real work."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication

from flowbench.resources import resource_path
from flowbench.ui.binding_guard import keep_singletons_alive

APP_NAME = "Flowbench"
log = logging.getLogger(__name__)


def guard_bindings() -> None:
    """PySide6 6.12 on Python 3.11 miscounts references to None/True/False; see
    ``ui/binding_guard.py``. Applied before any Qt call."""
    keep_singletons_alive()


def ensure_application(qt_args: list[str]) -> QApplication:
    keep_singletons_alive()
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
        if isinstance(event, QFileOpenEvent) and event.file():
            self._open_file(event.file())
            return True
        return False


def run_gui(qt_args: list[str], workspace: str | None = None,
            flow_file: str | None = None) -> int:
    """Run the window until it closes; returns the exit code. ``flow_file`` (from the
    desktop's "Open with Flowbench") is imported and shown once someone signs in."""
    guard_bindings()
    app = ensure_application(qt_args)
    from flowbench.ui.app_log import UnexpectedErrorHook, setup_logging
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog
    from flowbench.ui.main_window import MainWindow
    from flowbench.ui.session import AppSession
    from flowbench.ui.startup import AppController
    from flowbench.ui.theme import Theme

    log_file = setup_logging()
    log.info("Flowbench starting; log file %s", log_file)
    Theme(app).follow_system()
    session, settings = AppSession(), AppSettings()
    window = MainWindow(session, settings, Prompts())

    def show_error(summary: str, details: str, where: Path | None) -> None:
        UnexpectedErrorDialog(summary, details, where, window).exec()

    hook = UnexpectedErrorHook(show_error)
    hook.install()
    controller = AppController(session, settings, window.prompts, window)
    if sys.platform == "darwin":  # only macOS sends FileOpen; elsewhere, no filter cost
        app.installEventFilter(FileOpenFilter(controller.open_flow_file, controller))
    controller.start(workspace, flow_file)
    try:
        return int(app.exec())
    finally:
        hook.uninstall()
        session.close_workspace()
        log.info("Flowbench closed")
