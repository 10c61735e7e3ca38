"""Small pieces the administration windows share: the read-only note, calling a service
so that a refusal is shown to the member and changes nothing, and ``AdminPage``, what
the Members, Approval Groups and Settings pages have in common."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission
from flowbench.services.context import Actor
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import text_label
from flowbench.ui.session import AppSession, SessionChange

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


def attempt_done(prompts: Prompts, parent: QWidget, title: str,
                 call: Callable[[], object]) -> bool:
    """``attempt`` for a call made for its effect: True when it was done."""
    def run() -> bool:
        call()
        return True

    return attempt(prompts, parent, title, run) is not None


class AdminPage(QWidget):
    """A page of the Members and Settings window. What a change did is said in
    ``message`` (the window's status line)."""

    message = Signal(str)

    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.prompts = session, prompts

    def refresh(self) -> None:
        raise NotImplementedError

    def acting_member(self, control: QWidget) -> Actor | None:
        """The signed-in member, when ``control`` lets them act now (else None)."""
        actor = self.session.actor
        return actor if actor is not None and control.isEnabled() else None

    def announce(self, text: str, *, members: bool = False, settings: bool = False) -> None:
        """After a change: tell the other screens whether it touched the ``members`` or
        the ``settings``, read this page again and say ``text``."""
        if members or settings:
            self.session.notify(SessionChange(members=members, settings=settings,
                                              origin=self))
        self.refresh()
        self.message.emit(text)
