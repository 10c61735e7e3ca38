"""Application entry point: dispatches to the command line or starts the GUI.

Nothing here imports Qt at module level, so ``flowbench --version`` and the
command line stay fast and work on machines without a display.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NamedTuple

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
SELF_TEST_OPTION = "--self-test"
# What the desktop's "Open with Flowbench" hands over: a flow file (the installers
# associate *.flowbench.json; any .json path is taken as a flow file to import).
FLOW_FILE_SUFFIX = ".json"


class GuiArguments(NamedTuple):
    workspace: str | None
    qt_args: list[str]
    flow_file: str | None = None


def gui_arguments(argv: list[str]) -> GuiArguments | None:
    """What the window needs when argv holds only GUI options and at most one flow file
    to open (``flowbench FILE.flowbench.json``); None means the command line."""
    workspace: str | None = None
    flow_file: str | None = None
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
        elif (flow_file is None and not word.startswith("-")
              and word.lower().endswith(FLOW_FILE_SUFFIX)):
            flow_file = word
        else:
            return None
        index += 1
    return GuiArguments(workspace, qt_args, flow_file)


def _run_cli(argv: list[str]) -> int:
    """Hand argv to the command line (imported only now: it needs no Qt)."""
    from flowbench import cli

    return int(cli.main(argv) or 0)


def create_main_window() -> QMainWindow:
    """The main window with nobody signed in (the self-test renders it).

    A QApplication must already exist; no workspace is opened.
    """
    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.binding_guard import keep_singletons_alive
    from flowbench.ui.dialogs.prompts import Prompts
    from flowbench.ui.main_window import MainWindow
    from flowbench.ui.session import AppSession

    keep_singletons_alive()
    session = AppSession()
    window = MainWindow(session, AppSettings(), Prompts())
    session.setParent(window)
    window.complete_menus()  # all of it (the start adds them once its windows are up)
    return window


def main(argv: list[str]) -> int:
    """Run Flowbench with the arguments after the program name; return the exit code.

    ``--self-test`` runs the installation check (``flowbench.selftest``). Command words
    and options go to ``flowbench.cli``; no arguments, or only GUI options
    (``--workspace PATH`` and Qt's own) and perhaps a flow file, open the window (the
    flow file is imported and shown once someone has signed in).
    """
    if argv[:1] == [SELF_TEST_OPTION]:
        if len(argv) > 1:
            print(f"flowbench: {SELF_TEST_OPTION} takes no other arguments", file=sys.stderr)
            return 2
        from flowbench.selftest import run_self_test

        return run_self_test()
    gui = gui_arguments(argv)
    if gui is None:
        return _run_cli(argv)
    # (the guard against PySide6 6.12's reference-count bug on Python 3.11 comes once the
    # first windows are up: see ui/binding_guard.py)
    from flowbench.ui.launch import run_gui

    return run_gui(gui.qt_args, gui.workspace, gui.flow_file)


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main(sys.argv[1:]))
