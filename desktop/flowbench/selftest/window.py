"""The self-test's steps with Qt: the application, the packaged resources, the keyring,
the real main window rendered offscreen and driven to edit Version 2, then closed."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import suppress

from flowbench.selftest.run import Run, SelfTestFailure
from flowbench.selftest.seed import self_test_definition
from flowbench.selftest.unattended import Unattended


def start_qt(run: Run) -> str:
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QRawFont
    from PySide6.QtWidgets import QApplication

    from flowbench.ui.binding_guard import keep_singletons_alive

    keep_singletons_alive()  # before any Qt object exists (see ui/binding_guard.py)
    existing = QApplication.instance()
    application = existing if isinstance(existing, QApplication) else None
    if application is None:
        application = QApplication([sys.argv[0] if sys.argv else "flowbench"])
        run.keep_alive.append(application)
        run.created_application = True
    run.application = application
    # With no font file at all Qt still lists fontconfig's aliases ("Sans Serif"), but
    # the default font then resolves to no real face and every character is a box.
    face = QRawFont.fromFont(application.font())
    if not face.isValid() or not face.familyName():
        raise SelfTestFailure("Qt found no font to draw text with; install a font package "
                              "(on Debian and Ubuntu: fonts-dejavu-core)")
    return f"platform {application.platformName()}, font {face.familyName()}"


def check_resources(run: Run) -> str:
    from PySide6.QtGui import QIcon

    from flowbench.resources import resource_path

    icon_file = resource_path("icons/flowbench.svg")
    icon = QIcon(str(icon_file))
    pixmap = icon.pixmap(64, 64)
    if icon.isNull() or pixmap.isNull():
        raise SelfTestFailure(f"the application icon {icon_file} could not be drawn "
                              "(is the Qt SVG plugin missing?)")
    from flowbench.ui.theme import Theme, stylesheet, system_is_dark

    for dark in (False, True):
        if not stylesheet(dark).strip():
            raise SelfTestFailure(f"the {'dark' if dark else 'light'} style sheet is missing "
                                  f"from {icon_file.parent.parent / 'styles'}")
    if run.created_application and run.application is not None:
        Theme(run.application).apply(system_is_dark(run.application))
    return str(icon_file.parent.parent)


def find_keyring(run: Run) -> str:
    """Which keyring keeps team workspace passwords; "none" is an answer (a desktop
    without a keyring service), a bundle without the modules its backend needs is not."""
    from flowbench.services.system_keyring import keyring_status

    status = keyring_status()
    if status.missing:
        raise SelfTestFailure(f"this installation lacks what its keyring backend needs: "
                              f"{', '.join(status.missing)} ({status.describe()})")
    return status.describe()


def settle(run: Run, done: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Let Qt run queued work (timers, deferred loads) until ``done()`` holds."""
    assert run.application is not None
    deadline = time.monotonic() + seconds
    while True:
        run.application.processEvents()
        if run.prompts is not None:
            run.prompts.check(f"waiting for it to {what}")
        if done():
            return
        if time.monotonic() > deadline:
            raise SelfTestFailure(f"the window did not {what} within {seconds:.0f} s")
        time.sleep(0.01)


def grab_checked(run: Run, file_name: str) -> tuple[int, int]:
    """Render the window offscreen, check it drew something, save it as PNG."""
    window = run.window
    assert window is not None
    image = window.grab().toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        raise SelfTestFailure("grabbing the main window gave an empty image")
    # A window that renders at all paints more than one colour (text, frame, icon).
    corner = image.pixelColor(0, 0)
    step = max(1, min(image.width(), image.height()) // 64)
    if all(image.pixelColor(x, y) == corner
           for x in range(0, image.width(), step) for y in range(0, image.height(), step)):
        raise SelfTestFailure("the main window rendered as a single flat colour")
    if not image.save(str(run.folder / file_name)):
        raise SelfTestFailure("the main window image could not be saved as PNG")
    return image.width(), image.height()


def render_main_window(run: Run) -> str:
    """The real main window, signed in on the throw-away workspace, showing the flow."""
    from PySide6.QtCore import QSettings

    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.main_window import EDIT_TAB, MainWindow
    from flowbench.ui.session import AppSession

    assert run.workspace is not None and run.actor is not None and run.flow_id is not None
    settings = AppSettings(QSettings(str(run.folder / "settings.ini"),
                                     QSettings.Format.IniFormat))
    run.prompts = Unattended()
    session = AppSession()
    window = MainWindow(session, settings, run.prompts)  # type: ignore[arg-type]
    session.setParent(window)
    run.window = window
    window.resize(1200, 760)
    window.show()
    session.adopt(run.workspace)
    session.sign_in(run.actor)
    flow_id = run.flow_id
    settle(run, lambda: window.flow_list.summary(flow_id) is not None, "list the flow")
    if not window.choose_flow(flow_id):
        raise SelfTestFailure("the window refused to show the flow")
    window.tabs.setCurrentIndex(EDIT_TAB)
    settle(run, lambda: window.edit_tab.current_flow() == flow_id, "open the flow")
    summary = window.flow_list.summary(flow_id)
    if summary is None or summary.live_version != 1:
        raise SelfTestFailure(f"the flow list does not show Version 1 live ({summary})")
    if run.actor.name not in window.member_label.text():
        raise SelfTestFailure(f"the status bar names {window.member_label.text()!r}, not the "
                              "signed-in owner")
    button = window.edit_tab.next_version_button
    if not button.isVisibleTo(window) or button.text() != "Edit as Version 2":
        raise SelfTestFailure("the published flow is not shown read-only with "
                              "“Edit as Version 2”")
    run.prompts.check("showing the flow")
    width, height = grab_checked(run, "main-window.png")
    return f"{width}x{height} '{window.windowTitle()}'"


def edit_as_next_version(run: Run) -> str:
    """Click "Edit as Version 2" as a member would: the window writes a new draft."""
    from flowbench.services.drafts import get_draft

    window, flow_id = run.window, run.flow_id
    assert window is not None and flow_id is not None and run.prompts is not None
    window.edit_tab.next_version_button.click()
    settle(run, lambda: not window.edit_tab.editor.read_only, "open Version 2 for editing")
    draft = get_draft(flow_id)
    if draft is None or draft.version != 2:
        raise SelfTestFailure(f"no Version 2 draft after “Edit as Version 2” ({draft})")
    if len(window.edit_tab.editor.definition.steps) != len(self_test_definition().steps):
        raise SelfTestFailure("the Version 2 draft does not show the published steps")
    summary = window.flow_list.summary(flow_id)
    if summary is None or summary.draft_version != 2:
        raise SelfTestFailure("the flow list does not show the Version 2 draft")
    run.prompts.check("starting Version 2")
    grab_checked(run, "edit-tab.png")
    return f"Version {draft.version} draft, revision {draft.revision}"


def close_window(run: Run) -> str:
    from flowbench.services.opening import close_workspace

    window = run.window
    if window is not None:
        if not window.close():
            raise SelfTestFailure("the main window refused to close")
        window.session.close_workspace()
        if run.prompts is not None:
            run.prompts.check("closing")
        window.deleteLater()
        run.window = None
    close_workspace()
    return "closed"


def clean_up(run: Run) -> None:
    """After a failure: no window left open, no workspace left open."""
    from flowbench.services.opening import close_workspace

    window = run.window
    if window is not None:
        with suppress(Exception):
            window.edit_tab.discard_changes()
            window.hide()
            window.deleteLater()
    close_workspace()
