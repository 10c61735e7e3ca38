"""Cancelling a flow's running instances on demand — of one version or of all, with or
without their open cards — after a confirmation that states the live counts.

``CancelOnDemand`` asks, runs ``activity.cancel_activity`` on a worker thread with a
progress dialog, shows the outcome and tells the session so every count refreshes.
``CancelMenuButton`` offers the four choices (with their counts) for the Versions and
Activity tabs, and says why they are disabled.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission, refusal
from flowbench.services import activity
from flowbench.services.activity import FlowActivity
from flowbench.services.runtime.cancel import CancelResult
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task, TaskControl, show_progress


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def question(activity_now: FlowActivity, version: int | None, with_cards: bool) -> str:
    """The confirmation, with the counts it will change."""
    running = activity_now.running(version)
    where = f"Version {version}" if version is not None else "all versions"
    text = f"Cancel {plural(running, 'running instance')} of {where} of " \
           f"“{activity_now.flow}”"
    if with_cards:
        text += f" and {plural(activity_now.open_cards(version), 'open card')}?\n\n" \
                "Cancelled cards disappear from the customers' inboxes."
    else:
        kept = activity_now.open_cards(version)
        text += "?\n\n" + (f"Their open cards stay ({kept:,} open now)." if kept
                           else "There are no open cards.")
    return text + " Waits stop and nothing more is sent. This cannot be undone."


class CancelOnDemand(QObject):
    """Asks, cancels off the GUI thread, reports; ``task`` is the running work, if any."""

    message = Signal(str)  # the outcome, for the status bar
    done = Signal(object)  # the CancelResult

    def __init__(self, session: AppSession, prompts: Prompts, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.prompts, self.widget = session, prompts, parent
        self.task: Task | None = None

    def cancel(self, flow_id: int, version: int | None, with_cards: bool) -> Task | None:
        actor = self.session.actor
        if actor is None or (self.task is not None and self.task.running):
            return None
        try:
            now = activity.flow_activity(actor, flow_id)
        except FlowbenchError as error:
            self.prompts.error(self.widget, "Nothing cancelled", str(error))
            return None
        cards = now.open_cards(version) if with_cards else 0
        if not now.running(version) and not cards:
            where = f"Version {version}" if version is not None else "“" + now.flow + "”"
            self.prompts.inform(self.widget, "Nothing to cancel",
                                f"{where} has no running instances"
                                + (" and no open cards." if with_cards else "."))
            return None
        if not self.prompts.confirm(self.widget, "Cancel running instances?",
                                    question(now, version, with_cards)):
            return None

        def work(control: TaskControl) -> CancelResult:
            control.report("Cancelling running instances…")
            control.check()
            return activity.cancel_activity(actor, flow_id, version=version,
                                            with_cards=with_cards)

        task = Task(work, self)
        task.succeeded.connect(lambda result: self._succeeded(flow_id, result))
        task.failed.connect(lambda error: self._failed(flow_id, error))
        self.task = task
        show_progress(task, self.widget, "Cancelling running instances", cancellable=False)
        return task.start()

    def _succeeded(self, flow_id: int, result: CancelResult) -> None:
        self.session.notify(SessionChange.for_flow(flow_id, listed=False, origin=self))
        self.message.emit(result.describe())
        self.done.emit(result)

    def _failed(self, flow_id: int, error: BaseException) -> None:
        self.session.notify(SessionChange.for_flow(flow_id, listed=False, origin=self))
        if not isinstance(error, FlowbenchError):
            raise error
        self.prompts.error(self.widget, "Nothing cancelled", str(error))


class CancelMenuButton(QPushButton):
    """"Cancel Running…" with a menu: this version or all, with or without cards."""

    def __init__(self, canceller: CancelOnDemand, parent: QWidget | None = None) -> None:
        super().__init__("Ca&ncel Running…", parent)
        self.setObjectName("cancelRunningButton")
        self.setAccessibleName("Cancel running instances")
        self.canceller = canceller
        self.flow_id: int | None = None
        self.version: int | None = None
        menu = QMenu(self)
        menu.setAccessibleName("What to cancel")
        self.cancel_version = QAction(self)
        self.cancel_version_cards = QAction(self)
        menu.addActions([self.cancel_version, self.cancel_version_cards])
        menu.addSeparator()
        self.cancel_all = QAction(self)
        self.cancel_all_cards = QAction(self)
        menu.addActions([self.cancel_all, self.cancel_all_cards])
        self.setMenu(menu)
        for action, whole, cards in ((self.cancel_version, False, False),
                                     (self.cancel_version_cards, False, True),
                                     (self.cancel_all, True, False),
                                     (self.cancel_all_cards, True, True)):
            action.triggered.connect(
                lambda _checked=False, whole=whole, cards=cards: self._chosen(whole, cards))
        self.reason = ""
        self.update_for(None, None)

    def _chosen(self, every_version: bool, with_cards: bool) -> None:
        if self.flow_id is not None:
            self.canceller.cancel(self.flow_id, None if every_version else self.version,
                                  with_cards)

    def update_for(self, now: FlowActivity | None, version: int | None) -> str:
        """Texts and enabled state for the flow's activity and the chosen version; returns
        why cancelling is not possible ("" when it is)."""
        self.flow_id = now.flow_id if now else None
        self.version = version
        actor = self.canceller.session.actor
        may = actor is not None and actor.can(Permission.CANCEL_INSTANCES)
        may_cards = may and actor is not None and actor.can(Permission.CANCEL_CARDS)
        running = now.running(version) if now and version is not None else 0
        cards = now.open_cards(version) if now and version is not None else 0
        all_running = now.running() if now else 0
        all_cards = now.open_cards() if now else 0
        name = f"Version {version}" if version is not None else "the selected version"
        self.cancel_version.setText(f"Cancel {plural(running, 'running instance')} of "
                                    f"{name}…")
        self.cancel_version_cards.setText(f"Cancel {plural(running, 'running instance')} and "
                                          f"{plural(cards, 'open card')} of {name}…")
        self.cancel_all.setText(f"Cancel {plural(all_running, 'running instance')} of all "
                                "versions…")
        self.cancel_all_cards.setText(f"Cancel {plural(all_running, 'running instance')} and "
                                      f"{plural(all_cards, 'open card')} of all versions…")
        self.cancel_version.setEnabled(may and running > 0)
        self.cancel_version_cards.setEnabled(may_cards and running + cards > 0)
        self.cancel_all.setEnabled(may and all_running > 0)
        self.cancel_all_cards.setEnabled(may_cards and all_running + all_cards > 0)
        if actor is None or now is None:
            self.reason = ""
        elif not may:
            self.reason = "Read only. " + refusal(actor.role, Permission.CANCEL_INSTANCES)
        elif not all_running and not all_cards:
            self.reason = "Nothing is running."
        else:
            self.reason = ""
        self.setEnabled(now is not None and not self.reason)
        self.setToolTip(self.reason or "Cancel running instances of this version or of all "
                        "versions, optionally with their open cards")
        return self.reason
