"""Small pieces the administration windows share: the read-only note, and calling a
service so that a refusal is shown to the member and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import text_label
from flowbench.ui.session import AppSession

T = TypeVar("T")


def why_not(session: AppSession, permission: Permission) -> str:
    """"" when the signed-in member may, else the sentence saying why not."""
    actor = session.actor
    if actor is None:
        return "Sign in first."
    if actor.can(permission):
        return ""
    return actor.why_not(permission)


def reason_label(parent: QWidget, accessible_name: str) -> QLabel:
    """Why the controls next to it are off (empty, and hidden, when they are on)."""
    return text_label(parent, name=accessible_name, look="subtle", wrap=True)


def attempt(prompts: Prompts, parent: QWidget, title: str, call: Callable[[], T]) -> T | None:
    """``call()``; a service refusal is shown under ``title`` and gives None."""
    try:
        return call()
    except FlowbenchError as error:
        prompts.error(parent, title, str(error))
        return None
