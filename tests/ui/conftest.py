"""The app shell under test: a real main window, controller and session on a temporary
workspace file, with a scripted dialog service so no modal message box can hang a run.

Test modules are imported in importlib mode and cannot import this file; what they
share comes as fixtures: ``prompts`` (a ``FakePrompts``), ``ui_settings``, ``shell``
(a started ``Shell``), ``made_workspace`` (a set-up workspace file and its Owner) and
``screenshots`` (README screenshots, see tests/support/screenshots.py). The one autouse
fixture, ``background_work_finished``, lets every worker-thread task end and deliver its
result before the test's widgets and workspace are torn down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot
from screenshots import save_screenshot

from flowbench.services import members
from flowbench.services.context import Actor
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.dialogs.prompts import UnsavedAnswer
from flowbench.ui.launch import guard_bindings
from flowbench.ui.main_window import MainWindow
from flowbench.ui.session import AppSession
from flowbench.ui.startup import AppController

PASSWORD = "correct horse 1"
OWNER_EMAIL = "owner@example.com"


@dataclass
class FakePrompts:
    """Answers at once: ``texts``/``files`` are used up in order; everything asked is kept."""

    confirm_answer: bool = True
    choice: int | None = None  # the answer to ``choose``: an index, or None for Cancel
    unsaved_answer: UnsavedAnswer = UnsavedAnswer.CANCEL
    texts: list[str | None] = field(default_factory=list)
    files: list[Path | None] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    informed: list[tuple[str, str]] = field(default_factory=list)

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self.asked.append((title, text))
        return self.confirm_answer

    def inform(self, parent: Any, title: str, text: str) -> None:
        self.informed.append((title, text))

    def choose(self, parent: Any, title: str, text: str, choices: list[str]) -> int | None:
        self.asked.append((title, text))
        return self.choice

    def error(self, parent: Any, title: str, text: str) -> None:
        self.errors.append((title, text))

    def ask_text(self, parent: Any, title: str, label: str, text: str = "") -> str | None:
        self.asked.append((title, label))
        return self.texts.pop(0) if self.texts else None

    def ask_password(self, parent: Any, title: str, label: str) -> str | None:
        self.asked.append((title, label))
        return self.texts.pop(0) if self.texts else None

    def ask_unsaved(self, parent: Any, title: str, text: str) -> UnsavedAnswer:
        self.asked.append((title, text))
        return self.unsaved_answer

    def choose_open_file(self, parent: Any, title: str, filters: str,
                         directory: str = "") -> Path | None:
        self.asked.append((title, directory))
        return self.files.pop(0) if self.files else None

    def choose_save_file(self, parent: Any, title: str, filters: str,
                         suggested: str = "", *, replaces: bool = True) -> Path | None:
        self.asked.append((title, suggested))
        return self.files.pop(0) if self.files else None


@dataclass
class Shell:
    qtbot: QtBot
    session: AppSession
    settings: AppSettings
    prompts: FakePrompts
    window: MainWindow
    controller: AppController

    def start(self, location: Path | str) -> None:
        self.controller.start(str(location))
        self.qtbot.waitExposed(self.window)

    def focus_window(self) -> None:
        self.window.activateWindow()
        self.qtbot.waitUntil(self.window.isActiveWindow)

    def dialog(self, kind: type[QDialog]) -> Any:
        """Wait for the controller's dialog of ``kind`` and return it."""
        self.qtbot.waitUntil(lambda: isinstance(self.controller.dialog, kind)
                             and self.controller.dialog.isVisible(), timeout=10_000)
        return self.controller.dialog

    def sign_in(self, email: str = OWNER_EMAIL, password: str = PASSWORD) -> None:
        from flowbench.ui.dialogs.sign_in import SignInDialog

        dialog = self.dialog(SignInDialog)
        try:
            dialog.email.clear()
            self.qtbot.keyClicks(dialog.email, email)
            self.qtbot.keyClicks(dialog.password, password)
            self.qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
            self.qtbot.waitUntil(lambda: self.session.signed_in)
        finally:
            if dialog.isVisible():
                dialog.reject()
        self.wait_for_flow_list()
        self.focus_window()

    def wait_for_flow_list(self) -> None:
        self.qtbot.waitUntil(lambda: self.window.flow_list.count.text() != "")
        QApplication.processEvents()

    def flow_names(self) -> list[str]:
        proxy = self.window.flow_list.proxy
        return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]

    def click_flow(self, name: str) -> None:
        view = self.window.flow_list.view
        proxy = self.window.flow_list.proxy
        row = self.flow_names().index(name)
        rect = view.visualRect(proxy.index(row, 0))
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def click_menu(self, menu: QMenu, action: QAction) -> None:
        """Open ``menu`` from the menu bar and click ``action``, as a member would."""
        self.focus_window()
        bar = self.window.menuBar()
        self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                              pos=bar.actionGeometry(menu.menuAction()).center())
        self.qtbot.waitUntil(menu.isVisible)
        self.qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                              pos=menu.actionGeometry(action).center())
        self.qtbot.waitUntil(lambda: not menu.isVisible())
        self.focus_window()  # offscreen leaves the closed menu active; a desktop would not

    def shortcut(self, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
        self.focus_window()
        self.qtbot.keyClick(self.window, key, modifiers)

    def new_flow(self, name: str) -> None:
        """File → New Flow by Ctrl+N: type the name, press Enter, wait for the dialog to
        close (it stays open on a refusal: then this fails, closing it)."""
        self.shortcut(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        dialog = self.window.new_flow_dialog
        self.qtbot.waitUntil(dialog.isVisible)
        try:
            self.qtbot.keyClicks(dialog.name, name)
            self.qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
            self.qtbot.waitUntil(lambda: not dialog.isVisible())
        finally:
            if dialog.isVisible():
                dialog.reject()


def find_by_name(root: QWidget, kind: type, accessible_name: str) -> Any:
    for widget in root.findChildren(kind):
        if widget.accessibleName() == accessible_name:
            return widget
    raise LookupError(f"no {kind.__name__} named {accessible_name!r}")


@pytest.fixture(autouse=True)
def background_work_finished(qtbot: QtBot) -> Iterator[None]:
    """After each test: wait for the tasks still on worker threads (ui/tasks.py) and
    deliver their results while the widgets that asked for them still exist. Otherwise a
    page or count arriving after teardown reaches a deleted widget (a crash), or a worker
    reads a workspace the next test has replaced."""
    yield
    from PySide6.QtCore import QThreadPool

    from flowbench.ui.tasks import Task

    pool = QThreadPool.globalInstance()
    for _ in range(5):
        pool.waitForDone(30_000)
        QApplication.processEvents()
        if not Task._alive:
            break


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def ui_settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def shell(qtbot: QtBot, prompts: FakePrompts, ui_settings: AppSettings) -> Iterator[Shell]:
    guard_bindings()
    session = AppSession()
    window = MainWindow(session, ui_settings, prompts)
    qtbot.addWidget(window)
    window.resize(1000, 650)
    controller = AppController(session, ui_settings, prompts, window)
    controller.sample_location = None
    built = Shell(qtbot, session, ui_settings, prompts, window, controller)
    try:
        yield built
    finally:
        if controller.dialog is not None:
            controller.dialog.close()
        if controller.task is not None and controller.task.running:
            qtbot.waitUntil(lambda: not controller.task.running, timeout=30_000)
        prompts.unsaved_answer = UnsavedAnswer.DISCARD  # closing must not be refused
        window.close()
        session.close_workspace()
        close_workspace()


@pytest.fixture
def made_workspace(tmp_path: Path) -> Callable[..., Path]:
    """``made_workspace(viewer=False)`` builds a set-up workspace file (closed again):
    its Owner, and with ``viewer=True`` also vi@example.com as a Viewer."""

    def make(viewer: bool = False, name: str = "ws.flowbench") -> Path:
        path = tmp_path / name
        open_workspace(path)
        try:
            owner: Actor = create_workspace("Acme Production", OWNER_EMAIL, "Olivia Owner",
                                            PASSWORD)
            if viewer:
                members.add_member(owner, "vi@example.com", "Vic Viewer", "viewer", PASSWORD)
        finally:
            close_workspace()
        return path

    return make


@pytest.fixture
def screenshots() -> Callable[[QWidget, str], Path]:
    return save_screenshot


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "screenshot: renders a README screenshot")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that render a README screenshot are marked, so that
    ``FLOWBENCH_SCREENSHOTS=1 ./dev test tests/ui -m screenshot`` regenerates them all."""
    for item in items:
        if "screenshots" in getattr(item, "fixturenames", ()) or "screenshot" in item.name:
            item.add_marker("screenshot")


@pytest.fixture
def by_name() -> Callable[[QWidget, type, str], Any]:
    return find_by_name


@pytest.fixture
def dark_scheme() -> Iterator[Callable[[bool], None]]:
    """``dark_scheme(True)`` switches the app to the dark look (as the theme does when the
    system goes dark), ``dark_scheme(False)`` back to light; whatever the test did, the app's
    style, palette, style sheet and icon colours are put back afterwards."""
    from PySide6.QtGui import QPalette

    from flowbench.ui import icons
    from flowbench.ui.theme import Theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette, sheet = app.style().name(), QPalette(app.palette()), app.styleSheet()
    theme = Theme(app)
    try:
        yield lambda dark: theme.apply(dark=dark)
    finally:
        app.setStyleSheet(sheet)
        app.setStyle(style)
        app.setPalette(palette)
        icons.use_dark_icons(False)
        QApplication.processEvents()
