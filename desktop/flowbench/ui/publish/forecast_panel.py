"""The forecast, in the Publish tab and the pre-publish dialog: how many days to replay,
Run / Cancel, a progress bar, and the result — the difference in one sentence, both
versions' instances and what each sending step sent, and the notes.

The replay runs on a worker thread (``ui.tasks.Task``) and can be cancelled at any time;
the panel only collects the days, starts the task and shows what comes back.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError, OperationCancelled
from flowbench.domain.forecast import Forecast, VersionForecast
from flowbench.services import forecast as forecasting
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import note, rich_text
from flowbench.ui.publish.plan_text import CELL, MUTED, NUMBER, TABLE
from flowbench.ui.tasks import Task, TaskControl


def _number(count: int | None) -> str:
    return f"{count:,}" if count is not None else "–"


def _value(side: VersionForecast | None, attribute: str) -> str:
    return _number(getattr(side, attribute) if side is not None else None)


def forecast_html(result: Forecast, muted: str = MUTED) -> str:
    live, draft = result.live, result.draft
    head = (f"<tr><th style='{CELL}'></th>"
            f"<th style='{NUMBER}'>{f'Version {live.version} (live)' if live else 'Live'}</th>"
            f"<th style='{NUMBER}'>Version {draft.version} (draft)</th></tr>")
    rows = [(f"Instances {what}", _value(live, what), _value(draft, what))
            for what in ("started", "completed", "waiting")]
    rows.extend((f"“{step.id}”: {step.what} sent", _number(step.live), _number(step.draft))
                for step in result.sent_by_step())
    body = "".join(f"<tr><td style='{CELL}'>{escape(label)}</td><td style='{NUMBER}'>{a}</td>"
                   f"<td style='{NUMBER}'>{b}</td></tr>" for label, a, b in rows)
    window = result.to_dict()
    notes = "".join(f"<br>{escape(note)}" for note in result.notes())
    return (f"<p><b>{escape(result.difference())}</b></p>"
            f"<table style='{TABLE}'>{head}{body}</table>"
            f"<p style='color: {muted};'>The last {result.days} days "
            f"({window['from'][:16].replace('T', ' ')} – {window['to'][:16].replace('T', ' ')}"
            f" UTC): {result.triggers:,} triggers and {result.card_actions:,} card actions "
            f"replayed in a scratch copy; nothing was changed.{notes}</p>")


def compact_html(result: Forecast) -> str:
    """The dialog's few lines: the difference, then each version's instances."""
    def line(side: VersionForecast | None, status: str) -> str:
        if side is None:
            return ""
        return (f"Version {side.version} ({status}): {side.started:,} started, "
                f"{side.completed:,} completed, {side.waiting:,} waiting")
    versions = " · ".join(filter(None, (line(result.live, "live"),
                                       line(result.draft, "draft"))))
    notes = result.notes()
    more = (f" <i>({len(notes)} note{'s' if len(notes) != 1 else ''}: see the Publish "
            "tab)</i>" if notes else "")
    return f"<b>{escape(result.difference())}</b><br>{escape(versions)}{more}"


class ForecastPanel(QWidget):
    forecast_ready = Signal(object)  # Forecast

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("forecastPanel")
        self.compact = compact
        self.flow_id: int | None = None
        self.key: tuple[int | None, int | None] = (None, None)  # (flow, draft revision)
        self.result: Forecast | None = None
        self.task: Task | None = None
        self.days = QSpinBox(self)
        self.days.setRange(1, forecasting.MAX_DAYS)
        self.days.setValue(forecasting.DEFAULT_DAYS)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Days of history to replay")
        self.run_button = button(self, "Run F&orecast", "Run the forecast")
        self.cancel_button = button(self, "Cancel Forecast", "Cancel the forecast")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Forecast progress")
        self.progress.setTextVisible(True)
        self.status = note(self, "Forecast status")
        self.output = rich_text(self, "Forecast result", selectable=True)
        controls = QHBoxLayout()
        intro = QLabel("Forecast: replay the last" if compact else "Replay the last", self)
        controls.addWidget(intro)
        controls.addWidget(self.days)
        controls.addWidget(QLabel("through both versions" if compact else
                                  "through the live version and the draft", self), 1)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.output)
        self.output.hide()
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self._show_idle(self._not_run())

    def _not_run(self) -> str:
        return "" if self.compact else ("Not run yet: it replays recorded triggers and card "
                                        "actions in a scratch copy and changes nothing.")

    # --- state ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def set_flow(self, flow_id: int | None, revision: int | None) -> None:
        """The draft to forecast; a different flow or revision drops the last result."""
        if (flow_id, revision) == self.key:
            return
        self.cancel()
        self.key, self.flow_id, self.result = (flow_id, revision), flow_id, None
        self.output.clear()
        self.output.hide()
        self.run_button.setEnabled(flow_id is not None and revision is not None)
        self._show_idle(self._not_run())

    def adopt(self, other: ForecastPanel) -> None:
        """Show another panel's finished result for the same draft (no second replay)."""
        if other.result is not None and other.key == self.key:
            self.days.setValue(other.days.value())
            self._show_result(other.result)

    def _show_idle(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.run_button.show()
        self.days.setEnabled(True)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show_result(self, result: Forecast) -> None:
        self.result = result
        self.output.setText(compact_html(result) if self.compact else forecast_html(result))
        self.output.show()
        self.output.setToolTip("\n".join(result.notes()) if self.compact else "")
        self._show_idle("")

    # --- running -------------------------------------------------------------------------
    def start(self) -> Task | None:
        flow_id, days = self.flow_id, self.days.value()
        if flow_id is None or self.running:
            return None

        def work(control: TaskControl) -> Forecast:
            return forecasting.forecast(flow_id, days, progress=control.report,
                                        should_cancel=control.cancelled)

        task = Task(work)
        task.progressed.connect(self._progressed)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        self.task = task
        self.output.clear()
        self.output.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.show()
        self.status.setText("Starting the forecast…")
        self.run_button.hide()
        self.cancel_button.show()
        self.days.setEnabled(False)
        task.start()
        return task

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self.status.setText("Cancelling the forecast…")

    def _progressed(self, stage: str, done: int, total: int) -> None:
        self.status.setText(stage + "…")
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)

    def _succeeded(self, result: Forecast) -> None:
        self.task = None
        self._show_result(result)
        self.forecast_ready.emit(result)

    def _failed(self, error: object) -> None:
        self.task = None
        self.status.show()
        if isinstance(error, OperationCancelled):
            self._show_idle("The forecast was cancelled.")
        elif isinstance(error, FlowbenchError):
            self._show_idle(f"No forecast: {error}")
        else:
            self._show_idle(f"The forecast failed unexpectedly ({type(error).__name__}).")
            if isinstance(error, BaseException):
                raise error
