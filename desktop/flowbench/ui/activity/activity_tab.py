"""The Activity tab: how the selected flow is doing in the local runtime — instances
and cards per version and status, as a chart and a table — and cancelling running
instances on demand. Live figures only (test sends are not counted), read from the
database's tallies, so it answers at once however many instances there are."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.services import activity
from flowbench.services.activity import FlowActivity
from flowbench.ui.activity.activity_chart import ActivityChart
from flowbench.ui.activity.activity_model import ActivityTableModel
from flowbench.ui.activity.cancel_on_demand import CancelMenuButton, CancelOnDemand, plural
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import button, text_label
from flowbench.ui.kit.tables import read_only_table
from flowbench.ui.session import AppSession, SessionChange

EMPTY = "Select a flow in the list to see its activity."


class ActivityTab(QWidget):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityTab")
        self.setAccessibleName("Activity of the flow")
        self.session, self.prompts = session, prompts
        self.flow_id: int | None = None
        self.activity: FlowActivity | None = None
        self.heading = text_label(self, name="Flow")
        self.heading.setStyleSheet("font-weight: 600;")
        self.summary = text_label(self, name="Activity summary", look="subtle", wrap=True)
        self.chart = ActivityChart(self)
        self.model = ActivityTableModel(self)
        self.view = read_only_table(self, self.model, object_name="activityTable",
                                    accessible_name="Instances and cards per version and status")
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.installEventFilter(self)  # columns and height follow the style…
        self.view.viewport().installEventFilter(self)  # …and the width
        self.canceller = CancelOnDemand(session, prompts, self)
        self.cancel_button = CancelMenuButton(self.canceller, self)
        self.refresh_button = button(self, "Refre&sh", "Refresh the counts",
                                     tip="Read the counts again (F5)", clicked=self.refresh)
        self.reason = text_label(self, name="Why cancelling is not possible", look="subtle",
                                 wrap=True)
        self.empty = text_label(self, EMPTY, look="emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)

        actions = QHBoxLayout()
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addSpacing(6)
        layout.addWidget(self.chart)
        layout.addStretch(1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(actions)
        QWidget.setTabOrder(self.view, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.cancel_button)

        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.canceller.message.connect(self.message)
        session.changed.connect(self._session_changed)
        self.show_flow(None)

    # --- showing ---------------------------------------------------------------------------
    def show_flow(self, flow_id: int | None) -> None:
        self.flow_id = flow_id
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected_version()
        found: FlowActivity | None = None
        actor = self.session.actor
        if self.flow_id is not None and actor is not None:
            try:
                found = activity.flow_activity(actor, self.flow_id)
            except FlowbenchError as error:
                self.empty.setText(str(error))
        else:
            self.empty.setText(EMPTY)
        self.activity = found
        self.model.set_activity(found)
        self._fit_table()
        self.chart.set_activity(found)
        for widget in (self.heading, self.summary, self.chart, self.view):
            widget.setVisible(found is not None)
        self.empty.setVisible(found is None)
        if found is not None:
            self.heading.setText(f"Activity of “{found.flow}”")
            self.summary.setText(self._summary(found))
            self._select(keep if keep is not None and found.version(keep) else
                         self._default_version(found))
        self._update_actions()

    def _fit_table(self) -> None:
        """As tall as its rows (a flow has a handful of versions; the chart goes below).
        The count columns share the width, but never get narrower than their two-line
        headers: where the tab is too narrow for that (the main window at 1000 px) the
        table scrolls sideways rather than clipping "Instances completed"."""
        header = self.view.horizontalHeader()
        columns = range(self.model.columnCount())
        needed = sum(max(header.sectionSizeHint(c), self.view.sizeHintForColumn(c))
                     for c in columns)
        scrolls = needed > self.view.viewport().width()
        mode = (QHeaderView.ResizeMode.ResizeToContents if scrolls
                else QHeaderView.ResizeMode.Stretch)
        for column in columns[2:]:
            if header.sectionResizeMode(column) != mode:
                header.setSectionResizeMode(column, mode)
        # every row is one line: measure one (resizeRowsToContents asked the model for
        # every cell's text, font and alignment: ~3,000 calls, 30–170 ms on each refresh)
        vertical = self.view.verticalHeader()
        if self.model.rowCount():
            vertical.setDefaultSectionSize(max(self.view.sizeHintForRow(0), 1))
        rows = sum(self.view.rowHeight(r) for r in range(self.model.rowCount()))
        frame = 2 * self.view.frameWidth()
        bar = self.view.horizontalScrollBar().sizeHint().height() if scrolls else 0
        self.view.setFixedHeight(min(header.sizeHint().height() + rows + bar + frame, 360))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_table()
        elif watched is self.view and event.type() in (QEvent.Type.StyleChange,
                                                       QEvent.Type.FontChange):
            # once the view has taken the new metrics (not at all if it is gone by then)
            QTimer.singleShot(0, self.view, self._fit_table)
        return super().eventFilter(watched, event)

    @staticmethod
    def _default_version(found: FlowActivity) -> int | None:
        running = found.versions_running()
        if running:
            return running[0]  # the oldest still running: the usual thing to cancel
        return found.live_version or (found.versions[0].number if found.versions else None)

    @staticmethod
    def _summary(found: FlowActivity) -> str:
        running = found.versions_running()
        where = ("" if not running else f" in Version {running[0]}" if len(running) == 1 else
                 f" in Versions {', '.join(str(n) for n in running[:-1])} and {running[-1]}")
        return (f"{plural(found.running(), 'running instance')}{where}; "
                f"{plural(found.open_cards(), 'open card')}. Live figures: test sends are "
                "not counted.")

    def _select(self, number: int | None) -> None:
        row = self.model.row_of(number) if number is not None else None
        if row is None:
            self.view.clearSelection()
        else:
            self.view.selectRow(row)

    def select_version(self, number: int) -> bool:
        row = self.model.row_of(number)
        if row is None:
            return False
        self.view.selectRow(row)
        return True

    def selected_version(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        version = self.model.version_at(rows[0].row()) if rows else None
        return version.number if version else None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """The runtime moves on its own (events, the clock, the CLI): read the counts
        again whenever the tab comes into view — a few rows, whatever the size."""
        super().showEvent(event)
        if self.flow_id is not None:
            self.refresh()

    def _session_changed(self, change: SessionChange) -> None:
        if not change.affects_flow(self.flow_id):
            return
        if self.window().isVisible() and not self.isVisible():
            return  # another tab is in front: showEvent reads the counts when this one is
        self.refresh()

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        reason = self.cancel_button.update_for(self.activity, self.selected_version())
        self.reason.setText(reason)
        self.refresh_button.setEnabled(self.activity is not None)
