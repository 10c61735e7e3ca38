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
    from PySide6.QtWidgets import QMainWindow

APP_NAME = "Flowbench"

# Options Qt itself understands (see QGuiApplication/QApplication docs). An argv made
# only of these and ``--workspace PATH`` is meant for the GUI, not for the command line.
_QT_VALUE_OPTIONS = frozenset(
    {
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-qmljsdebugger",
        "-qwindowgeometry",
        "-qwindowicon",
        "-qwindowtitle",
        "-session",
        "-style",
        "-stylesheet",
        "-display",
        "-geometry",
    }
)
_QT_FLAGS = frozenset({"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync"})
_WORKSPACE_OPTION = "--workspace"


def gui_arguments(argv: list[str]) -> tuple[str | None, list[str]] | None:
    """``(workspace, qt_args)`` when argv holds only GUI options; None means the CLI."""
    workspace: str | None = None
    qt_args: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        name, has_value, value = word.partition("=")
        if name == _WORKSPACE_OPTION:
            if not has_value:
                if index + 1 >= len(argv):
                    return None  # the command line explains the missing PATH
                index += 1
                value = argv[index]
            workspace = value
        elif name in _QT_VALUE_OPTIONS:
            qt_args.append(word)
            if not has_value and index + 1 < len(argv):
                index += 1
                qt_args.append(argv[index])
        elif name in _QT_FLAGS:
            qt_args.append(word)
        else:
            return None
        index += 1
    return workspace, qt_args


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


def create_main_window() -> QMainWindow:
    """The main window with nobody signed in (the self-test renders it).

    A QApplication must already exist; no workspace is opened.
    """
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.launch import guard_bindings
    from flowbench.ui.main_window import MainWindow
    from flowbench.ui.session import AppSession

    guard_bindings()
    session = AppSession()
    window = MainWindow(session, AppSettings(), Prompts())
    session.setParent(window)
    return window


def main(argv: list[str]) -> int:
    """Run Flowbench with the arguments after the program name; return the exit code.

    Command words and options go to ``flowbench.cli``; no arguments, or only GUI
    options (``--workspace PATH`` and Qt's own), open the window.
    """
    gui = gui_arguments(argv)
    if gui is None:
        return _run_cli(argv)
    workspace, qt_args = gui
    from flowbench.ui.launch import run_gui

    return run_gui(qt_args, workspace)


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main(sys.argv[1:]))
