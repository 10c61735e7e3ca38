"""Send an event for a customer (and see which flows it started), and move the runtime
clock forward (and see how many waits ended and cards expired on the way)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.services.context import Actor
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime.clock import ClockAdvanced, readable
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.edit.duration_edit import DurationEdit
from flowbench.ui.kit.forms import button, text_field, text_label
from flowbench.ui.runtime.rehearsal import RuntimePage, rehearsal_refusal, run_rehearsal
from flowbench.ui.session import AppSession
from flowbench.ui.tasks import Task, TaskControl


class EventsClockPage(RuntimePage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self._build_event()
        self._build_clock()
        layout = QVBoxLayout(self)
        layout.addWidget(self.event_box)
        layout.addWidget(self.clock_box)
        layout.addStretch(1)

    def _build_event(self) -> None:
        box = QGroupBox("Send an event", self)
        self.customer = text_field(box, "Customer id", "the customer's id, e.g. c-1001")
        self.event_name = text_field(box, "Event name", "e.g. signed_up")
        self.payload = QPlainTextEdit(box)
        self.payload.setAccessibleName("Event properties (JSON)")
        self.payload.setPlaceholderText('{"plan": "trial"}   (optional JSON object)')
        self.payload.setFixedHeight(64)
        self.payload.setTabChangesFocus(True)
        self.send_button = button(box, "&Send Event", "Send the event",
                                  tip="Every flow whose live version starts on this event "
                                  "starts for the customer", clicked=self.send_event)
        self.send_button.setDefault(True)
        self.event_name.returnPressed.connect(self.send_event)
        self.completer = QCompleter([], self.event_name)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.event_name.setCompleter(self.completer)
        self.listening = text_label(box, name="Events live flows start on", wrap=True,
                                    hint=True)
        self.event_result = text_label(box, name="What the event did", wrap=True)
        form = QFormLayout(box)
        form.addRow("C&ustomer:", self.customer)
        form.addRow("E&vent:", self.event_name)
        form.addRow("", self.listening)
        form.addRow("&Properties:", self.payload)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.event_result, 1)
        form.addRow(row)
        self.event_box = box

    def _build_clock(self) -> None:
        box = QGroupBox("Runtime clock", self)
        self.now = text_label(box, name="Runtime clock")
        font = QFont(self.now.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.now.setFont(font)
        explain = text_label(box, "The runtime keeps its own time. Moving it forward ends "
                             "waits, timeouts and card expiries that fall due on the way, in "
                             "order; it never moves back.", wrap=True, hint=True)
        self.duration = DurationEdit("Advance by", optional=False, parent=box)
        self.duration.set_value("PT1H")
        self.advance_button = button(box, "&Advance Clock", "Advance the clock",
                                     clicked=self.advance_clock)
        self.clock_result = text_label(box, name="What advancing the clock did", wrap=True)
        label = QLabel("Advance &by:", box)
        label.setBuddy(self.duration.line_edit)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.duration)  # as wide as a duration needs, its button beside it
        row.addWidget(self.advance_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.now)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.clock_result)
        self.clock_box = box

    # --- showing --------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            now = runtime_clock.show_clock().now
            listened = runtime_events.listened_events()
        except FlowbenchError as error:
            self.now.setText(str(error))
            return
        self.now.setText(f"Now: {readable(now)}")
        model = self.completer.model()
        if isinstance(model, QStringListModel):
            model.setStringList(list(listened))
        self.event_name.setPlaceholderText(f"e.g. {next(iter(listened), 'signed_up')}")
        self.listening.setText(
            "Live flows start on: " + "; ".join(
                f"{event} ({', '.join(flows)})" for event, flows in listened.items())
            if listened else "No live flow starts on an event yet.")

    def update_permissions(self) -> None:
        self.gate([self.customer, self.event_name, self.payload, self.send_button],
                  rehearsal_refusal(self.session, "send events to the runtime"))
        self.gate([self.duration, self.advance_button],
                  rehearsal_refusal(self.session, "advance the runtime clock"))

    def duration_code(self) -> str:
        """The duration typed, as ISO 8601 ("2" + hours → PT2H; "90 min" → PT1H30M), or the
        typed text itself when it is no duration (the service then says why)."""
        return self.duration.value() or ""

    # --- acting ---------------------------------------------------------------------------------
    def send_event(self) -> None:
        actor = self.session.actor
        if actor is None or rehearsal_refusal(self.session) is not None:
            return
        try:
            result = runtime_events.send_event(actor, self.customer.text(), self.event_name.text(),
                                               self.payload.toPlainText())
        except FlowbenchError as error:
            self.event_result.setText("")
            self.prompts.error(self, "Event not sent", str(error))
            return
        self.say(self.event_result, result.describe())
        self.runtime_moved(list(result.started))

    def advance_clock(self) -> Task | None:
        if rehearsal_refusal(self.session) is not None or (
                self.task is not None and self.task.running):
            return None
        code = self.duration_code()

        def work(actor: Actor, control: TaskControl) -> ClockAdvanced:
            control.report(f"Moving the clock forward by {code}…")
            return runtime_clock.advance_clock(actor, code)

        self.advance_button.setEnabled(False)
        self.task = run_rehearsal(self, self.prompts, "Advancing the clock", work,
                                  self._advanced, self.session.actor, "Clock not moved")
        if self.task is not None:
            self.task.finished.connect(lambda: self.advance_button.setEnabled(True))
        return self.task

    def _advanced(self, result: Any) -> None:
        self.reload()
        self.say(self.clock_result, result.describe())
        self.runtime_moved()

    def say(self, where: QLabel, text: str) -> None:
        """What the last action did, in one place: it replaces what the one before said
        (beside the event or the clock), and is not repeated in the status bar."""
        for label in (self.event_result, self.clock_result):
            label.setText(text if label is where else "")

    def focus(self, part: str) -> None:
        """Put the keyboard where the member is going: "event" or "clock"."""
        if part == "event":
            (self.event_name if self.customer.text().strip() else self.customer).setFocus()
        elif part == "clock":
            self.duration.setFocus()
