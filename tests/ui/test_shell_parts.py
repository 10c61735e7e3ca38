"""The shell's smaller parts: work on a worker thread, the command line/GUI routing,
logging and the unexpected-error dialog, About, the look and the icons."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from flowbench import __version__
from flowbench.app import gui_arguments, main
from flowbench.domain.errors import InvalidInput, OperationCancelled
from flowbench.services.system_keyring import keyring_status
from flowbench.ui import icons
from flowbench.ui.app_log import UnexpectedErrorHook, setup_logging
from flowbench.ui.dialogs.about import AboutDialog
from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog
from flowbench.ui.tasks import Task, TaskControl

pytestmark = pytest.mark.ui


# --- tasks ---------------------------------------------------------------------------------
def test_a_task_runs_off_the_gui_thread_and_reports_back_on_it(qtbot: QtBot) -> None:
    seen: dict[str, object] = {}
    progress: list[tuple[str, int, int, bool]] = []

    def work(control: TaskControl) -> int:
        seen["thread"] = threading.current_thread()
        for done in range(3):
            control.report("Counting", done, 3)
        return 42

    task = Task(work)
    task.progressed.connect(lambda stage, done, total: progress.append(
        (stage, done, total, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42] and task.result == 42 and not task.running
    assert seen["thread"] is not threading.main_thread()
    qtbot.waitUntil(lambda: len(progress) == 3)
    assert progress == [("Counting", n, 3, True) for n in range(3)]


def test_a_task_reports_errors_and_can_be_cancelled(qtbot: QtBot) -> None:
    def refused(control: TaskControl) -> None:
        raise InvalidInput("Bad file.")

    failing = Task(refused)
    with qtbot.waitSignal(failing.failed, timeout=5000) as blocker:
        failing.start()
    assert isinstance(blocker.args[0], InvalidInput) and str(blocker.args[0]) == "Bad file."

    started = threading.Event()

    def long_work(control: TaskControl) -> None:
        started.set()
        while True:
            control.check()
            threading.Event().wait(0.01)

    endless = Task(long_work)
    endless.start()
    assert started.wait(5)
    with qtbot.waitSignal(endless.failed, timeout=5000) as blocker:
        endless.cancel()
    assert isinstance(blocker.args[0], OperationCancelled) and endless.cancelled


# --- routing ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "expected"), [
    ([], (None, [], None)),
    (["--workspace", "team.flowbench"], ("team.flowbench", [], None)),
    (["--workspace=team.flowbench", "-style", "fusion"],
     ("team.flowbench", ["-style", "fusion"], None)),
    (["-reverse"], (None, ["-reverse"], None)),
    (["welcome.flowbench.json"], (None, [], "welcome.flowbench.json")),
    (["--self-test"], None),
    (["--workspace", "team.flowbench", "flows", "list"], None),
    (["--version"], None),
    (["--workspace"], None),
    (["flows", "list"], None),
])
def test_only_gui_options_start_the_window(argv: list[str], expected: object) -> None:
    assert gui_arguments(argv) == expected


def test_command_words_still_go_to_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"flowbench {__version__}"


# --- logging and unexpected errors ------------------------------------------------------------
def test_unexpected_errors_are_logged_and_shown_naming_the_log_file(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = logging.getLogger()
    handlers = list(root.handlers)
    log_file = setup_logging(tmp_path / "logs")
    shown: list[tuple[str, str, Path | None]] = []
    hook = UnexpectedErrorHook(lambda summary, details, where: shown.append(
        (summary, details, where)))
    try:
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            hook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
                root.removeHandler(handler)
    assert log_file == tmp_path / "logs" / "flowbench.log"
    assert "ZeroDivisionError: division by zero" in log_file.read_text("utf-8")
    ((summary, details, where),) = shown
    assert summary == "ZeroDivisionError: division by zero" and where == log_file
    assert "Traceback" in details

    dialog = UnexpectedErrorDialog(summary, details, where)
    qtbot.addWidget(dialog)
    assert str(log_file) in dialog.message.text()
    assert "ZeroDivisionError" in dialog.details.toPlainText()
    assert f"Qt {qVersion()}" in dialog.details.toPlainText()


def test_the_log_lives_in_the_platform_log_folder_and_rotates(
        tmp_path: Path, test_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flowbench.ui import app_log

    # the platform's folder (platformdirs: $XDG_STATE_HOME/Flowbench/log on Linux)
    assert app_log.log_folder().is_relative_to(test_home)
    assert app_log.log_folder().parts[-2:] == ("Flowbench", "log")
    monkeypatch.setattr(app_log, "MAX_BYTES", 2_000)
    root = logging.getLogger()
    handlers = list(root.handlers)
    log_file = setup_logging(tmp_path / "logs")
    assert log_file is not None
    try:
        for number in range(400):
            logging.getLogger("flowbench.test").info("line %d of a long session", number)
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
                root.removeHandler(handler)
    kept = sorted(path.name for path in log_file.parent.iterdir())
    assert kept == ["flowbench.log", *(f"flowbench.log.{n}" for n in
                                       range(1, app_log.BACKUPS + 1))]
    assert all(path.stat().st_size <= 2_000 for path in log_file.parent.iterdir())
    assert "line 399 of a long session" in log_file.read_text("utf-8")


def test_about_names_the_versions(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    labels = {name: label.text() for name, label in dialog.version_labels.items()}
    assert labels["Flowbench"] == __version__
    assert labels["Qt"] == qVersion()
    assert labels["SQLite"] == sqlite3.sqlite_version
    assert labels["Python"] == ".".join(map(str, sys.version_info[:3]))
    assert all(label.accessibleName() for label in dialog.version_labels.values())
    assert labels["PySide6"] == PySide6.__version__
    assert labels["Keyring"] == keyring_status().describe()


def test_about_has_no_gaps_between_its_lines(qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrapped lines (the blurb, a keyring's long excuse) once made the dialog taller than
    they needed, the spare height opening gaps under the heading and above the versions."""
    from flowbench.ui.dialogs import about

    long_excuse = ("none — team workspace passwords will be asked for each time. Why: "
                   "Secret Service: Unable to initialize SecretService: Environment "
                   "variable DBUS_SESSION_BUS_ADDRESS is unset")
    monkeypatch.setattr(about, "versions", lambda: [("Flowbench", __version__),
                                                    ("Keyring", long_excuse)])
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(200)  # laid out at its final size
    labels = {label.text(): label for label in dialog.findChildren(QLabel)}
    heading = labels[f"Flowbench {__version__}"]
    blurb = next(label for text, label in labels.items() if text.startswith("Author"))
    first_version = dialog.version_labels["Flowbench"]
    for line in (heading, blurb, first_version):  # each as tall as its text, no taller
        needed = line.heightForWidth(line.width()) if line.wordWrap() \
            else line.sizeHint().height()
        assert line.height() - needed < 6, line.text()
    assert blurb.y() - heading.geometry().bottom() < 12


def test_about_copies_every_version_for_a_bug_report(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    QApplication.clipboard().clear()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    copied = QApplication.clipboard().text().splitlines()
    assert dialog.copy_button.text().replace("&", "") == "Copy"
    assert copied[:6] == [f"Flowbench {__version__}", f"Qt {qVersion()}",
                          f"PySide6 {PySide6.__version__}",
                          f"Python {'.'.join(map(str, sys.version_info[:3]))}",
                          f"SQLite {sqlite3.sqlite_version}",
                          f"Keyring {keyring_status().describe()}"]


# --- look ----------------------------------------------------------------------------------------
def test_the_dark_scheme_darkens_the_window_and_its_icons(
        qtbot: QtBot, dark_scheme: Callable[[bool], None]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark_scheme(True)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert "#a9c7ff" in app.styleSheet()
    dark_undo = icons.icon("undo").pixmap(24, 24).toImage()
    dark_scheme(False)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128
    light_undo = icons.icon("undo").pixmap(24, 24).toImage()
    assert not dark_undo.isNull() and not light_undo.isNull()
    assert dark_undo != light_undo  # recoloured, not the same drawing
    assert icons.icon("no-such-icon").isNull()
