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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from flowbench.domain.definition import FlowDefinition
    from flowbench.services.context import Actor

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
    actor: Actor | None = None
    flow_id: int | None = None
    revision: int | None = None
    application: QApplication | None = None
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
    return f"{len(definition.steps)} steps, revision {saved.revision}, no errors"


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


def _close_workspace(run: _Run) -> str:
    from flowbench.store.connection import close_workspace

    close_workspace()
    return "closed"


def _start_qt(run: _Run) -> str:
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QRawFont
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    application = existing if isinstance(existing, QApplication) else None
    if application is None:
        application = QApplication([sys.argv[0] if sys.argv else "flowbench"])
        run.keep_alive.append(application)
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
    return str(icon_file.parent.parent)


def _render_main_window(run: _Run) -> str:
    from flowbench.app import create_main_window

    assert run.application is not None
    window = create_main_window()
    run.keep_alive.append(window)
    try:
        window.show()
        run.application.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() == 0 or image.height() == 0:
            raise SelfTestFailure("grabbing the main window gave an empty image")
        # A window that renders at all paints more than one colour (text, frame, icon).
        corner = image.pixelColor(0, 0)
        step = max(1, min(image.width(), image.height()) // 64)
        if all(image.pixelColor(x, y) == corner
               for x in range(0, image.width(), step) for y in range(0, image.height(), step)):
            raise SelfTestFailure("the main window rendered as a single flat colour")
        target = run.folder / "main-window.png"
        if not image.save(str(target)):
            raise SelfTestFailure("the main window image could not be saved as PNG")
        return f"{image.width()}x{image.height()} '{window.windowTitle()}'"
    finally:
        window.close()


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("open a throw-away workspace", _open_workspace),
    ("create the workspace and its owner", _create_owner),
    ("create a flow", _create_flow),
    ("save and validate the draft", _save_and_validate),
    ("publish the draft", _publish),
    ("close the workspace", _close_workspace),
    ("start Qt", _start_qt),
    ("find the packaged resources", _check_resources),
    ("render the main window offscreen", _render_main_window),
)


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
    from flowbench.store.connection import close_workspace

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
                    close_workspace()
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
