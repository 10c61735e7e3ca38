"""``flowbench --self-test``: prove that this installation works, end to end.

It is what the installer smoke tests run against a freshly built bundle, and what
support can ask a user to run. In a throw-away folder it opens a new workspace,
creates its Owner, writes and validates a flow, publishes it, then checks that the
packaged resources are found and renders the main window offscreen. It prints one
line per step and ``self-test passed``; any failure prints the step and the reason
and makes the exit code non-zero.

Nothing here touches the user's own workspace, settings or data folders: the
platform folders point into the throw-away folder while the test runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from flowbench.domain.wording import count_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from flowbench.domain.definition import FlowDefinition
    from flowbench.services.context import Actor
    from flowbench.store.connection import Workspace
    from flowbench.ui.main_window import MainWindow

PASSED = "self-test passed"
OWNER_EMAIL = "self-test@example.com"
OWNER_PASSWORD = "self-test-password"
FLOW_NAME = "Self-test welcome"
# Where the user's folders would otherwise be read or written while the test runs.
_ISOLATED_VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


class SelfTestFailure(Exception):
    """A check that did not hold; the message says what was expected."""


@dataclass
class _Run:
    """What the steps hand on to each other."""

    folder: Path
    workspace: Workspace | None = None
    actor: Actor | None = None
    flow_id: int | None = None
    revision: int | None = None
    application: QApplication | None = None
    created_application: bool = False
    window: MainWindow | None = None
    prompts: _Unattended | None = None
    keep_alive: list[object] = field(default_factory=list)


def self_test_definition() -> FlowDefinition:
    """A small valid flow: a card, a wait for it, then a push that points at the card."""
    from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger

    return FlowDefinition(
        description="Written by flowbench --self-test.",
        trigger=Trigger("api_event", event="self_test.signed_up"),
        steps=(
            Step("welcome", "send_card", title="Welcome to Flowbench",
                 body="This card was sent by the self-test.",
                 buttons=(Button("Got it", "submit"),), expires_after="P7D"),
            Step("answer", "wait_card_action", parent="welcome", card="welcome",
                 action="any", timeout="P2D"),
            Step("nudge", "send_push", parent="answer", title="Still there?",
                 body="Your welcome card is waiting.", card="welcome"),
        ),
    )


# --------------------------------------------------------------------------- steps
def _open_workspace(run: _Run) -> str:
    from flowbench.store.connection import open_workspace

    workspace = open_workspace(run.folder / "self-test.flowbench")
    run.workspace = workspace
    if not workspace.created:
        raise SelfTestFailure(f"expected a new workspace, found an existing one at "
                              f"{workspace.location}")
    return f"schema {workspace.schema_version}"


def _create_owner(run: _Run) -> str:
    from flowbench.services.workspace import create_workspace

    run.actor = create_workspace("Self-test", OWNER_EMAIL, "Self Test", OWNER_PASSWORD)
    return f"owner {run.actor.email}"


def _create_flow(run: _Run) -> str:
    from flowbench.services.flows import create_flow

    assert run.actor is not None
    summary = create_flow(run.actor, FLOW_NAME)
    if summary.draft_version != 1:
        raise SelfTestFailure(f"a new flow should start as a Version 1 draft, "
                              f"got {summary.draft_version}")
    run.flow_id = summary.id
    return f"'{summary.name}' Version 1 draft"


def _save_and_validate(run: _Run) -> str:
    from flowbench.services.drafts import get_draft, problems_of, save_draft

    assert run.actor is not None and run.flow_id is not None
    definition = self_test_definition()
    draft = get_draft(run.flow_id)
    if draft is None:
        raise SelfTestFailure("the new flow has no draft")
    saved = save_draft(run.actor, run.flow_id, definition,
                       expected_version=draft.version, expected_revision=draft.revision)
    if saved.definition != definition:
        raise SelfTestFailure("the saved draft does not read back as it was written")
    errors = [problem for problem in problems_of(saved.flow_name, saved.definition)
              if problem.is_error]
    if errors:
        listed = "; ".join(f"{p.step or 'flow'}.{p.field}: {p.message}" for p in errors)
        raise SelfTestFailure(f"a valid flow was reported invalid: {listed}")
    run.revision = saved.revision
    return f"{count_of(len(definition.steps), 'step')}, revision {saved.revision}, no errors"


def _publish(run: _Run) -> str:
    from flowbench.services.drafts import get_draft, open_flow
    from flowbench.services.publishing import publish_draft

    assert run.actor is not None and run.flow_id is not None
    result = publish_draft(run.actor, run.flow_id, expected_revision=run.revision,
                           expected_live=None)
    live = open_flow(run.flow_id)
    if result.version != 1 or live.is_draft or get_draft(run.flow_id) is not None:
        raise SelfTestFailure(f"publishing did not make Version 1 live ({result.describe()})")
    return result.describe()


def _start_qt(run: _Run) -> str:
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


def _check_resources(run: _Run) -> str:
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


class _Unattended:
    """Answers the window's questions without a dialog (no one is there to click) and
    keeps them: a question during the self-test means something went wrong."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def _note(self, title: str, text: str) -> None:
        self.asked.append(f"{title}: {text}")

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self._note(title, text)
        return False

    def inform(self, parent: object, title: str, text: str) -> None:
        self._note(title, text)

    def error(self, parent: object, title: str, text: str) -> None:
        self._note(title, text)

    def ask_text(self, parent: object, title: str, label: str, text: str = "") -> None:
        self._note(title, label)

    def ask_unsaved(self, parent: object, title: str, text: str) -> object:
        from flowbench.ui.dialogs.prompts import UnsavedAnswer

        self._note(title, text)
        return UnsavedAnswer.DISCARD

    def choose_open_file(self, parent: object, title: str, filters: str,
                         directory: str = "") -> None:
        self._note(title, directory)

    def choose_save_file(self, parent: object, title: str, filters: str,
                         suggested: str = "") -> None:
        self._note(title, suggested)

    def check(self, doing: str) -> None:
        if self.asked:
            raise SelfTestFailure(f"the window asked a question while {doing}: "
                                  f"{self.asked[0]}")


def _settle(run: _Run, done: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
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


def _grab_checked(run: _Run, file_name: str) -> tuple[int, int]:
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


def _render_main_window(run: _Run) -> str:
    """The real main window, signed in on the throw-away workspace, showing the flow."""
    from PySide6.QtCore import QSettings

    from flowbench.ui.app_settings import AppSettings
    from flowbench.ui.main_window import EDIT_TAB, MainWindow
    from flowbench.ui.session import AppSession

    assert run.workspace is not None and run.actor is not None and run.flow_id is not None
    settings = AppSettings(QSettings(str(run.folder / "settings.ini"),
                                     QSettings.Format.IniFormat))
    run.prompts = _Unattended()
    session = AppSession()
    window = MainWindow(session, settings, run.prompts)  # type: ignore[arg-type]
    session.setParent(window)
    run.window = window
    window.resize(1200, 760)
    window.show()
    session.adopt(run.workspace)
    session.sign_in(run.actor)
    flow_id = run.flow_id
    _settle(run, lambda: window.flow_list.summary(flow_id) is not None, "list the flow")
    if not window.choose_flow(flow_id):
        raise SelfTestFailure("the window refused to show the flow")
    window.tabs.setCurrentIndex(EDIT_TAB)
    _settle(run, lambda: window.edit_tab.current_flow() == flow_id, "open the flow")
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
    width, height = _grab_checked(run, "main-window.png")
    return f"{width}x{height} '{window.windowTitle()}'"


def _edit_as_next_version(run: _Run) -> str:
    """Click "Edit as Version 2" as a member would: the window writes a new draft."""
    from flowbench.services.drafts import get_draft

    window, flow_id = run.window, run.flow_id
    assert window is not None and flow_id is not None and run.prompts is not None
    window.edit_tab.next_version_button.click()
    _settle(run, lambda: not window.edit_tab.editor.read_only, "open Version 2 for editing")
    draft = get_draft(flow_id)
    if draft is None or draft.version != 2:
        raise SelfTestFailure(f"no Version 2 draft after “Edit as Version 2” ({draft})")
    if len(window.edit_tab.editor.definition.steps) != len(self_test_definition().steps):
        raise SelfTestFailure("the Version 2 draft does not show the published steps")
    summary = window.flow_list.summary(flow_id)
    if summary is None or summary.draft_version != 2:
        raise SelfTestFailure("the flow list does not show the Version 2 draft")
    run.prompts.check("starting Version 2")
    _grab_checked(run, "edit-tab.png")
    return f"Version {draft.version} draft, revision {draft.revision}"


def _close_window(run: _Run) -> str:
    from flowbench.store.connection import close_workspace

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


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("open a throw-away workspace", _open_workspace),
    ("create the workspace and its owner", _create_owner),
    ("create a flow", _create_flow),
    ("save and validate the draft", _save_and_validate),
    ("publish the draft", _publish),
    ("start Qt", _start_qt),
    ("find the packaged resources", _check_resources),
    ("render the main window offscreen", _render_main_window),
    ("edit as Version 2 in the window", _edit_as_next_version),
    ("close the window and the workspace", _close_window),
)


def _clean_up(run: _Run) -> None:
    """After a failure: no window left open, no workspace left open."""
    from flowbench.store.connection import close_workspace

    window = run.window
    if window is not None:
        with suppress(Exception):
            window.edit_tab.discard_changes()
            window.hide()
            window.deleteLater()
    close_workspace()


# --------------------------------------------------------------------------- runner
@contextmanager
def _isolated_from_user_folders(folder: Path) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _ISOLATED_VARIABLES}
    try:
        for name in _ISOLATED_VARIABLES:
            path = folder / name.lower()
            path.mkdir()
            os.environ[name] = str(path)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step; return 0 when all pass, 1 at the first failure (with the reason)."""
    from flowbench import __version__

    stream = out or sys.stdout
    started = time.perf_counter()
    print(f"flowbench {__version__} self-test (Python {sys.version.split()[0]}, "
          f"{sys.platform}{', bundled' if getattr(sys, 'frozen', False) else ''})",
          file=stream, flush=True)
    with tempfile.TemporaryDirectory(prefix="flowbench-self-test-") as folder:
        run = _Run(Path(folder))
        with _isolated_from_user_folders(run.folder):
            for number, (title, step) in enumerate(STEPS, start=1):
                try:
                    detail = step(run)
                except Exception as exc:  # every failure is reported, none escapes
                    _clean_up(run)
                    reason = str(exc) or type(exc).__name__
                    print(f"[{number}/{len(STEPS)}] {title}: FAILED: {reason}",
                          file=stream, flush=True)
                    if not isinstance(exc, SelfTestFailure):
                        traceback.print_exc(file=sys.stderr)
                    print("self-test FAILED", file=stream, flush=True)
                    return 1
                print(f"[{number}/{len(STEPS)}] {title}: ok ({detail})", file=stream, flush=True)
    elapsed = time.perf_counter() - started
    print(f"{PASSED} in {elapsed:.1f} s", file=stream, flush=True)
    return 0


def main() -> None:
    """``python -m flowbench.selftest`` runs the self-test without the command line."""
    sys.exit(run_self_test())


if __name__ == "__main__":
    main()
