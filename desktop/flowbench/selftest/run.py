"""What the self-test's steps share: the names it uses, the failure it reports, and the
state one step hands to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from flowbench.selftest.unattended import Unattended
    from flowbench.services.context import Actor
    from flowbench.services.opening import Workspace
    from flowbench.ui.main_window import MainWindow

PASSED = "self-test passed"
OWNER_EMAIL = "self-test@example.com"
OWNER_PASSWORD = "self-test-password"
FLOW_NAME = "Self-test welcome"


class SelfTestFailure(Exception):
    """A check that did not hold; the message says what was expected."""


@dataclass
class Run:
    """What the steps hand on to each other."""

    folder: Path
    workspace: Workspace | None = None
    actor: Actor | None = None
    flow_id: int | None = None
    revision: int | None = None
    application: QApplication | None = None
    created_application: bool = False
    window: MainWindow | None = None
    prompts: Unattended | None = None
    keep_alive: list[object] = field(default_factory=list)
