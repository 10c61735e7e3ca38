"""One publish, run off the GUI thread for a ``PrePublishDialog``.

The dialog stays open (and busy) while a ``Task`` runs ``publishing.publish`` with a
progress dialog that can cancel until the publish commits. Success closes the dialog,
announces the change and shows the outcome with its counts; a refusal ("changed since
you looked", blocked, not allowed) is shown and reported through ``refused`` so the
caller can prepare the plan again; a cancel leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton

from flowbench.domain.errors import FlowbenchError, OperationCancelled, StaleError
from flowbench.domain.publish_plan import PublishChoices, PublishPlan
from flowbench.services import publishing
from flowbench.services.publishing import PublishResult
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task, TaskControl, show_progress

COMMITTING = "Saving"  # the service's last stage: past it, a cancel cannot stop anything
CANCELLED = "Publishing was cancelled before it finished; nothing changed."


BIG = 5_000  # rows: a publish touching more shows its progress at once


def _rows_touched(plan: PublishPlan, choices: PublishChoices) -> int:
    rows = 0
    if choices.cancel_previous_instances:
        rows += plan.running_previous
    if choices.cancel_previous_cards:
        rows += plan.open_cards_previous
    if choices.start_existing_segment_members and plan.segment is not None:
        rows += plan.segment.members
    return rows


class PublishRun(QObject):
    message = Signal(str)        # for the status bar
    published = Signal(object)   # PublishResult
    refused = Signal(str)        # why; the plan must be prepared again

    def __init__(self, session: AppSession, prompts: Prompts, dialog: PrePublishDialog,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.prompts, self.dialog = session, prompts, dialog
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.result: PublishResult | None = None
        dialog.publish_requested.connect(self.start)

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start(self, choices: PublishChoices, override_reason: str | None) -> None:
        actor = self.session.actor
        if actor is None or self.running:
            return
        plan = self.dialog.plan

        def work(control: TaskControl) -> PublishResult:
            return publishing.publish(actor, plan, choices, override_reason=override_reason,
                                      progress=control.report,
                                      should_cancel=control.cancelled)

        task = Task(work)  # kept alive by Task while it runs; owned by nobody's dialog
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        task.progressed.connect(self._progressed)
        self.task = task
        self.progress = show_progress(task, self.dialog,
                                      f"Publishing Version {plan.version} of “{plan.flow_name}”",
                                      delay_ms=0 if _rows_touched(plan, choices) > BIG else 400)
        self.dialog.set_busy(True)
        self.message.emit(f"Publishing “{plan.flow_name}”…")
        task.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progressed(self, stage: str, _done: int, _total: int) -> None:
        if stage == COMMITTING and self.progress is not None:
            button = self.progress.findChild(QPushButton)
            if button is not None:  # (removing it while shown crashes PySide)
                button.setEnabled(False)

    def _succeeded(self, result: PublishResult) -> None:
        self.result = result
        self.dialog.set_busy(False)
        self.dialog.accept()
        self.session.notify(SessionChange.for_flow(self.dialog.plan.flow_id, origin=self))
        text = result.describe()
        self.message.emit(text)
        self.published.emit(result)
        self.prompts.inform(self.dialog.parentWidget(), "Published", text)

    def _failed(self, error: Any) -> None:
        self.dialog.set_busy(False)
        if isinstance(error, OperationCancelled):
            self.dialog.show_note(CANCELLED)
            self.message.emit(CANCELLED)
            return
        if not isinstance(error, FlowbenchError):
            raise error
        title = "Changed since you looked" if isinstance(error, StaleError) else "Not published"
        self.message.emit(str(error))
        self.prompts.error(self.dialog, title, str(error))
        self.refused.emit(str(error))
