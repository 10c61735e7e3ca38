"""Application entry point: dispatches to the command line or starts the GUI.

Nothing here imports Qt at module level, so ``flowbench --version`` and the
command line stay fast and work on machines without a display.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMainWindow

APP_NAME = "Flowbench"

# Options Qt itself understands (see QGuiApplication/QApplication docs); an argv that
# starts with one of these is meant for the GUI, not for the command line.
_QT_OPTIONS = frozenset(
    {
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-qmljsdebugger",
        "-qwindowgeometry",
        "-qwindowicon",
        "-qwindowtitle",
        "-reverse",
        "-session",
        "-style",
        "-stylesheet",
        "-widgetcount",
        "-display",
        "-geometry",
        "-nograb",
        "-dograb",
        "-sync",
    }
)


def _wants_gui(argv: list[str]) -> bool:
    if not argv:
        return True
    first = argv[0].split("=", 1)[0]
    return first in _QT_OPTIONS


def _cli_available() -> bool:
    try:
        return importlib.util.find_spec("flowbench.cli") is not None
    except ModuleNotFoundError:
        return False


def _run_cli(argv: list[str]) -> int:
    """Hand argv to ``flowbench.cli`` when it exists; otherwise answer the basics here."""
    if _cli_available():
        cli = importlib.import_module("flowbench.cli")
        result = cli.main(argv)
        return int(result or 0)

    from flowbench import __version__

    if argv[0] in ("--version", "-V"):
        print(f"flowbench {__version__}")
        return 0
    if argv[0] in ("--help", "-h"):
        print("usage: flowbench [--version]\n\nWith no arguments, opens the Flowbench window.")
        return 0
    print(f"flowbench: unknown command or option: {argv[0]}", file=sys.stderr)
    return 2


def _ensure_application(argv: list[str]) -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else "flowbench", *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("flowbench")
    app.setWindowIcon(QIcon(_icon_path()))
    return app


def _icon_path() -> str:
    from flowbench.resources import resource_path

    return str(resource_path("icons/flowbench.svg"))


def create_main_window() -> QMainWindow:
    """Build the (placeholder) main window. A QApplication must already exist."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    window.setWindowIcon(QIcon(_icon_path()))
    placeholder = QLabel("Flowbench — Action Flows workbench")
    placeholder.setObjectName("placeholder")
    placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(placeholder)
    window.resize(960, 640)
    return window


def main(argv: list[str]) -> int:
    """Run Flowbench with the arguments after the program name; return the exit code."""
    if not _wants_gui(argv):
        return _run_cli(argv)

    app = _ensure_application(argv)
    window = create_main_window()
    window.show()
    return int(app.exec())


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main(sys.argv[1:]))
