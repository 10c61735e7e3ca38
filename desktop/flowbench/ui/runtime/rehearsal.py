"""What every runtime page shares: who may change rehearsal data, running a service call
off the GUI thread with progress, and telling the other screens that counts changed;
``RuntimePage`` is the base of the Runtime window's pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import refusal
from flowbench.services import flows
from flowbench.services.context import Actor
from flowbench.services.runtime.access import REHEARSAL
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task, TaskControl, show_progress


def rehearsal_refusal(session: AppSession,
                      action: str = "change the runtime's data") -> str | None:
    """Why the signed-in member may not do ``action`` to the runtime's data (it names
    what is refused: "advance the runtime clock"), or None when they may."""
    actor = session.actor
    if actor is None:
        return f"Sign in to {action}."
    if actor.can(REHEARSAL):
        return None
    return actor.read_only_reason or refusal(actor.role, REHEARSAL, action)


def gate(widgets: Iterable[QWidget], reason: str | None, tips: dict[QWidget, str]) -> None:
    """Enable ``widgets`` when ``reason`` is None; else disable them, the reason as tooltip
    (``tips`` holds each widget's own tooltip, restored when it is enabled again)."""
    for widget in widgets:
        if widget not in tips:
            tips[widget] = widget.toolTip()
        widget.setEnabled(reason is None)
        widget.setToolTip(tips[widget] if reason is None else reason)


def announce_runtime_change(session: AppSession, origin: object,
                            flow_names: Iterable[str] | None = None) -> None:
    """Tell the other screens that runtime figures changed: of the flows named, or of
    every flow when the change could touch any (a clock move, an import)."""
    try:
        listed = flows.list_flows()
    except FlowbenchError:
        return
    wanted = None if flow_names is None else {name.lower() for name in flow_names}
    ids = frozenset(flow.id for flow in listed
                    if wanted is None or flow.name.lower() in wanted)
    if ids:
        session.notify(SessionChange(flow_ids=ids, origin=origin))


def run_rehearsal(parent: QWidget, prompts: Prompts, title: str,
                  work: Callable[[Actor, TaskControl], Any],
                  on_success: Callable[[Any], None], actor: Actor | None,
                  error_title: str | None = None,
                  on_error: Callable[[str], None] | None = None) -> Task | None:
    """Run ``work(actor, control)`` on a worker thread with a progress dialog; a refusal
    is shown through ``prompts`` (titled ``error_title``), a success goes to
    ``on_success`` on the GUI thread (a refusal to ``on_error`` instead, if given)."""
    if actor is None:
        return None
    task = Task(lambda control: work(actor, control), parent)

    def failed(error: object) -> None:
        text = str(error) if isinstance(error, FlowbenchError) else (
            f"Something went wrong: {error}")
        if on_error is not None:
            on_error(text)
        else:
            prompts.error(parent, error_title or title, text)

    task.succeeded.connect(on_success)
    task.failed.connect(failed)
    show_progress(task, parent, title, cancellable=False)
    task.start()
    return task


class RuntimePage(QWidget):
    """A page of the Runtime window. ``message``: what an action did, for a status line;
    ``runtime_changed``: the runtime's data changed (the other pages' counts follow)."""

    message = Signal(str)
    runtime_changed = Signal()

    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.prompts = session, prompts
        self.task: Task | None = None  # the change running on a worker thread
        self._tips: dict[QWidget, str] = {}

    def gate(self, widgets: Iterable[QWidget], reason: str | None) -> None:
        """``gate`` with this page's own tooltips."""
        gate(widgets, reason, self._tips)

    def runtime_moved(self, flow_names: Iterable[str] | None = None) -> None:
        """After a change to the runtime's data: the other pages, and the screens
        showing the flows named (every flow when None), read their figures again."""
        self.runtime_changed.emit()
        announce_runtime_change(self.session, self, flow_names)
