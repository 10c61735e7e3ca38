"""The processes ``tests/ui/test_light_start.py`` starts: Flowbench started as
``run_gui`` starts it, reporting (one JSON line) what it holds when its first windows
are exposed and what followed.

    python start_probe.py first WORKSPACE           the first window, then the rest
    python start_probe.py sign-in WORKSPACE EMAIL PASSWORD
                                                    Sign In pressed before the workspace
                                                    is open ("" for WORKSPACE: the most
                                                    recent one)
    python start_probe.py sign-in-on-wayland WORKSPACE EMAIL PASSWORD
                                                    the same in the order kept for
                                                    Wayland (the window, then the dialog)
    python start_probe.py first-run [WORKSPACE]     nothing to open (or WORKSPACE, a file
                                                    not there yet): the welcome dialog,
                                                    Create Workspace pressed early
    python start_probe.py welcome-early cancel|sample
                                                    the first-run welcome dialog answered
                                                    before the workspace file is open
    python start_probe.py quit-at-welcome           the first run's welcome dialog up over
                                                    the opened workspace file: quit
    python start_probe.py remember LOCATION...      remember workspaces, as opening them does
                                                    (none: report the ones remembered)
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QPushButton

from flowbench.ui.launch import GuiStart, ensure_application, start_gui

report: dict[str, Any] = {}


def snapshot(key: str) -> None:
    """The modules loaded now, and whether PySide6's Qt namespace has been built."""
    report[key] = sorted(sys.modules)
    report["qt_namespace"] = "Qt" in vars(sys.modules["PySide6.QtCore"])


def when_exposed(**acts: Callable[[QWindow], object]) -> Callable[[Any], None]:
    """An ``on_application`` hook that notes the titles of the windows in the order
    they are first exposed (``report["exposed"]``) and runs ``acts[key]`` on the first
    exposure of the first window whose title starts with ``TITLES[key]`` ("" for the
    very first window), before the window itself handles it."""
    exposed: list[str] = report.setdefault("exposed", [])
    waiting = dict(acts)

    def install(app: Any) -> None:
        class Watch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() != QEvent.Type.Expose or not isinstance(watched, QWindow) \
                        or not watched.isExposed() or watched.title() in exposed:
                    return False
                exposed.append(watched.title())
                for key, act in list(waiting.items()):
                    if watched.title().startswith(TITLES[key]):
                        del waiting[key]
                        act(watched)
                return False

        app._probe_watch = Watch(app)
        app.installEventFilter(app._probe_watch)
    return install


TITLES = {"first": "", "sign_in": "Sign In to Flowbench", "welcome": "Welcome to Flowbench",
          "window": "Flowbench"}


def clicked_early(dialog: Any, button: Any) -> None:
    """Press ``button`` before the workspace is open; note what the dialog says."""
    button.click()
    report["note"] = dialog.error.text() if dialog.error.isVisibleTo(dialog) else ""


def behind(started: GuiStart | None) -> None:
    """The main window, exposed after the first dialog: is the dialog still over it —
    its transient, modal — and is the window furnished (menu bar, signed-out page)?"""
    from PySide6.QtWidgets import QApplication

    assert started is not None and started.waiting is not None
    window, dialog = started.window, started.waiting
    report["behind"] = {
        "dialog_shown": dialog.isVisible(),
        "transient_of_window": dialog.windowHandle().transientParent()
        is window.windowHandle(),
        "modal": QApplication.activeModalWidget() is dialog,
        "menu_titles": [a.text() for a in window.menuBar().actions()],
        "signed_out_page": window.pages.currentWidget() is window.signed_out}


def run(started: GuiStart | None, then: Callable[[GuiStart], object], *,
        signed_in: bool = False,
        until: Callable[[GuiStart], bool] | None = None) -> None:
    """Run until someone is signed in when ``signed_in`` (or ``until`` says so; up to
    30 s), else 3 s; then ``then``, print the report and quit."""
    assert started is not None
    waited: list[int] = []
    if signed_in:
        until = lambda started: started.window.session.signed_in  # noqa: E731

    def done() -> None:
        waited.append(1)
        if until is not None and not until(started) and len(waited) < 300:
            QTimer.singleShot(100, done)
            return
        then(started)
        print(json.dumps(report, default=str))
        started.app.exit(0)

    QTimer.singleShot(100 if until is not None else 3000, done)
    started.run()  # and its lock, socket and workspace closed, as run_gui does


def first(workspace: str) -> None:
    started: GuiStart | None = None

    def exposed(window: QWindow) -> None:
        report["first"] = window.title()
        snapshot("modules")
        assert started is not None
        report["menu_titles"] = [a.text() for a in started.window.menuBar().actions()]
        report["menus_complete"] = started.window.menus_complete()

    def later(started: GuiStart) -> None:
        from flowbench.ui.binding_guard import is_applied

        controller, window = started.controller, started.window
        dialog = controller.dialog if controller is not None else None
        report["dialog"] = dialog.windowTitle() if dialog is not None else None
        report["tabs_built"] = window.page_built()
        report["menus_complete_later"] = window.menus_complete()
        report["guarded_later"] = is_applied()
        report["file_menu"] = [a.text() for a in window.menu_actions.file_menu.actions()
                               if a.text()]

    started = start_gui([], workspace, on_application=when_exposed(first=exposed))
    run(started, later, signed_in=False)


def sign_in(workspace: str, email: str, password: str) -> None:
    started: GuiStart | None = None

    def exposed(_window: QWindow) -> None:
        snapshot("signin")
        from flowbench.ui.dialogs.sign_in import SignInDialog  # (loaded by now)

        assert started is not None and isinstance(started.waiting, SignInDialog)
        dialog = started.waiting
        report["where"] = dialog.where.text()
        dialog.email.setText(email)
        dialog.password.setText(password)
        clicked_early(dialog, dialog.sign_in_button)

    def later(started: GuiStart) -> None:
        report["signed_in"] = started.window.session.signed_in
        report["where_later"] = \
            started.window.settings.workspace_name(workspace) if workspace else None
        report["dialog"] = started.controller.dialog if started.controller else "none"

    started = start_gui([], workspace, on_application=when_exposed(
        sign_in=exposed, window=lambda _window: behind(started)))
    run(started, later, signed_in=True)


def first_run(workspace: str | None = None) -> None:
    started: GuiStart | None = None

    def exposed(_window: QWindow) -> None:
        snapshot("welcome")
        from flowbench.ui.dialogs.welcome import WelcomeDialog  # (loaded by now)

        assert started is not None and isinstance(started.waiting, WelcomeDialog)
        dialog = started.waiting
        report["where"] = dialog.location
        dialog.workspace_name.setText("First Light")
        dialog.owner_name.setText("Olivia Owner")
        dialog.email.setText("olivia@example.com")
        dialog.password.setText("correct horse 1")
        dialog.repeat.setText("correct horse 1")
        clicked_early(dialog, dialog.create_button)

    def later(started: GuiStart) -> None:
        session = started.window.session
        report["signed_in"] = session.signed_in
        report["member"] = session.actor.email if session.actor else None
        report["workspace"] = session.workspace_name
        report["location"] = session.location

    started = start_gui([], workspace, on_application=when_exposed(
        welcome=exposed, window=lambda _window: behind(started)))
    run(started, later, signed_in=True)


def welcome_early(action: str) -> None:
    """The first-run welcome dialog answered before the workspace file is open:
    ``cancel`` (Cancel pressed) or ``sample`` (Explore a sample workspace)."""
    started: GuiStart | None = None

    def exposed(_window: QWindow) -> None:
        assert started is not None and started.waiting is not None
        dialog = started.waiting
        report["where"] = dialog.location
        button = dialog.cancel_button if action == "cancel" else dialog.sample_button
        button.click()
        report["dialog_shown_after"] = dialog.isVisible()

    def controller_dialog(started: GuiStart) -> str | None:
        dialog = started.controller.dialog if started.controller is not None else None
        return dialog.windowTitle() if dialog is not None else None

    def later(started: GuiStart) -> None:
        window, session = started.window, started.window.session
        report["window_shown"] = window.isVisible()
        report["signed_out_page"] = window.pages.currentWidget() is window.signed_out
        report["dialog"] = controller_dialog(started)
        report["location"] = session.location
        report["signed_in"] = session.signed_in
        page = window.signed_out
        report["status"] = page.status.text()
        report["buttons"] = [button.text() for button in page.findChildren(QPushButton)
                             if not button.isHidden()]
        report["file_left"] = Path(report["where"]).exists()
        report["recent"] = window.settings.recent_workspaces()

    started = start_gui([], None, on_application=when_exposed(welcome=exposed))
    if action == "sample":
        run(started, later, until=lambda started: controller_dialog(started) is not None)
    else:
        run(started, later)


def quit_at_welcome() -> None:
    def welcoming(started: GuiStart) -> bool:
        dialog = started.controller.dialog if started.controller is not None else None
        return dialog is not None and dialog.windowTitle() == "Welcome to Flowbench" \
            and started.window.session.location is not None

    def then(started: GuiStart) -> None:
        report["where"] = started.window.session.location
        report["file_there"] = Path(report["where"]).is_file()

    run(start_gui([], None), then, until=welcoming)


def remember(locations: list[str]) -> None:
    from flowbench.ui.app_settings import AppSettings

    ensure_application([])  # the application's names: where its settings are kept
    settings = AppSettings()
    for location in locations:
        settings.add_recent(location)
    settings.sync()
    print(json.dumps({"recent": settings.recent_workspaces()}))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "first":
        first(*args)
    elif mode == "sign-in":
        sign_in(*args)
    elif mode == "sign-in-on-wayland":  # as on Wayland: the window first, the dialog over it
        from flowbench.ui import launch

        launch.dialog_before_window = lambda: False
        sign_in(*args)
    elif mode == "first-run":
        first_run(*args)
    elif mode == "welcome-early":
        welcome_early(*args)
    elif mode == "quit-at-welcome":
        quit_at_welcome()
    else:
        remember(args)
