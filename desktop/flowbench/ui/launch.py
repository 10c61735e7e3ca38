"""Starting the GUI: the QApplication, logging, the look, the main window and the
controller — in the order that puts the window on screen before any real work."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from flowbench.resources import resource_path

APP_NAME = "Flowbench"
log = logging.getLogger(__name__)


def guard_bindings() -> None:
    """PySide6 6.12 on Python 3.11 miscounts references to None/True/False; see
    ``ui/edit/binding_guard.py``. Applied before any Qt call."""
    try:
        from flowbench.ui.edit.binding_guard import keep_singletons_alive
    except ImportError:  # pragma: no cover - the Edit tab ships the guard
        return
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


def run_gui(qt_args: list[str], workspace: str | None = None) -> int:
    """Run the window until it closes; returns the exit code."""
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
    controller.start(workspace)
    try:
        return int(app.exec())
    finally:
        hook.uninstall()
        session.close_workspace()
        log.info("Flowbench closed")
