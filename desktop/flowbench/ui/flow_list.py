"""The flow list on the left: a search box over a sortable table of flows.

Picking a row announces ``flow_selected(flow_id)``; the main window decides whether to
follow (it may first ask about unsaved edits, and put the selection back). Filtering
never switches flows by itself: a selected flow that the filter hides stays the one
shown until the member picks another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flowbench.services.flows import FlowSummary
from flowbench.ui.icons import icon
from flowbench.ui.kit.tables import read_only_table
from flowbench.ui.models.flow_table import (
    APPROVAL,
    DRAFT,
    FLOW_ID_ROLE,
    LIVE,
    NAME,
    SORT_ROLE,
    FlowTableModel,
)

APPROVAL_SLIVER = 28  # the least the Approval column keeps ("…")


class FlowListPanel(QWidget):
    flow_selected = Signal(object)  # int | None
    show_archived_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flowList")
        self._current: int | None = None
        self._quiet = False
        self.model = FlowTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(NAME)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit(self)
        self.search.setObjectName("flowSearch")
        self.search.setPlaceholderText("Search flows")
        self.search.setAccessibleName("Search flows by name")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.view = read_only_table(self, self.proxy, object_name="flowTable",
                                    accessible_name="Flows")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        # Names stay whole before the Approval column gets room (see _fit_columns): the
        # name column is as wide as the longest name, Approval takes what is left.
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(APPROVAL, QHeaderView.ResizeMode.Stretch)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # "A…" when squeezed
        # "Draft" (the wider heading) and a version fit, with the header's padding
        self._version_width = max(44, header.fontMetrics().horizontalAdvance("Draft") + 20)
        for column in (LIVE, DRAFT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self._version_width)
        self._widest_name = 0
        self.count = QLabel(self)
        self.count.setObjectName("subtle")
        self.count.setAccessibleName("Number of flows")
        # the count may be cut short rather than widen the list beside "Show archived"
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.show_archived = QCheckBox("Show archived", self)
        self.show_archived.setAccessibleName("Show archived flows")
        self.show_archived.setToolTip("List archived flows too (marked “archived”)")
        self.show_archived.toggled.connect(self._archived_toggled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.show_archived)
        layout.addLayout(footer)
        QWidget.setTabOrder(self.search, self.view)

        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._enter_list)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.verticalScrollBar().rangeChanged.connect(lambda _low, _high:
                                                           self._fit_columns())
        self._update_count()

    # --- what the main window uses -----------------------------------------------------------
    def set_flows(self, flows: Sequence[FlowSummary]) -> None:
        """Show these flows, keeping the selected one selected (quietly)."""
        keep = self._current
        self._quiet = True
        try:
            self.model.set_flows(flows)
            if keep is not None and self.model.row_of(keep) is None:
                keep = None
            self._current = None
            self._select(keep)
            self._current = keep
        finally:
            self._quiet = False
        self._widest_name = self._name_width(summary.name for summary in flows)
        self._fit_columns()
        self._update_count()

    def update_flows(self, changed: dict[int, FlowSummary | None]) -> None:
        """Refresh only these flows' rows (None or archived: the row goes), in place:
        for one changed flow the other rows are neither rebuilt nor re-sorted."""
        self._quiet = True
        try:
            for flow_id, summary in changed.items():
                self.model.update_flow(flow_id, summary)
            if self._current is not None and self.model.row_of(self._current) is None:
                self._current = None
                self.view.selectionModel().clearSelection()
        finally:
            self._quiet = False
        widest = self._name_width(s.name for s in changed.values() if s is not None)
        if widest > self._widest_name:
            self._widest_name = widest
            self._fit_columns()
        self._update_count()

    def current_flow(self) -> int | None:
        return self._current

    def summary(self, flow_id: int | None) -> FlowSummary | None:
        row = self.model.row_of(flow_id) if flow_id is not None else None
        return self.model.flow_at(row) if row is not None else None

    def select_flow(self, flow_id: int | None, *, quiet: bool = False) -> bool:
        """Select ``flow_id`` (None clears); ``quiet`` does not announce it."""
        if flow_id is not None and self.model.row_of(flow_id) is None:
            return False
        self._quiet = quiet
        try:
            self._select(flow_id)
            if quiet:
                self._current = flow_id
        finally:
            self._quiet = False
        if not quiet and flow_id != self._current:
            self._current = flow_id
            self.flow_selected.emit(flow_id)
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _archived_toggled(self, shown: bool) -> None:
        self.model.show_archived = shown
        self.show_archived_changed.emit(shown)

    # --- inside ------------------------------------------------------------------------------
    def _name_width(self, names: Iterable[str]) -> int:
        metrics = self.view.fontMetrics()
        widest = max((metrics.horizontalAdvance(name) for name in names), default=0)
        header = self.view.horizontalHeader()
        title = header.fontMetrics().horizontalAdvance("Name") + 24  # and the sort arrow
        return max(widest + 16, title)  # the cell's padding

    def _fit_columns(self) -> None:
        """Whole names first: the name column is as wide as the longest name (or the room
        there is); Approval, the last column, gets the rest. Spare room goes to names."""
        header = self.view.horizontalHeader()
        room = self.view.viewport().width() - 2 * self._version_width
        # what the approval column shows at its widest ("awaiting 1/2", "approved")
        approval = max(header.fontMetrics().horizontalAdvance("Approval") + 24,
                       self.view.fontMetrics().horizontalAdvance("awaiting 10/10") + 16)
        name = max(min(self._widest_name, room - APPROVAL_SLIVER), room - approval)
        header.resizeSection(NAME, max(name, 60))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def _select(self, flow_id: int | None) -> None:
        selection = self.view.selectionModel()
        if flow_id is None:
            selection.clearSelection()
            return
        row = self.model.row_of(flow_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        if not index.isValid():  # filtered out: clear the filter so it can be seen
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, NAME))
        self.view.setCurrentIndex(index)
        self.view.selectRow(index.row())
        self.view.scrollTo(index)

    def _selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows(NAME)
        return int(rows[0].data(FLOW_ID_ROLE)) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._quiet:
            return
        chosen = self._selected_id()
        if chosen is None or chosen == self._current:
            return  # cleared by a filter, or the same flow again: nothing to switch
        self._current = chosen
        self.flow_selected.emit(chosen)

    def _filter(self, text: str) -> None:
        self._quiet = True
        try:
            self.proxy.setFilterFixedString(text.strip())
            if self._current is not None:
                row = self.model.row_of(self._current)
                index = self.proxy.mapFromSource(self.model.index(row, NAME)) \
                    if row is not None else QModelIndex()
                if index.isValid():
                    self.view.selectRow(index.row())
                else:  # hidden by the filter: highlight nothing rather than another flow
                    self.view.selectionModel().clearSelection()
        finally:
            self._quiet = False
        self._update_count()

    def _enter_list(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        noun = "flow" if total == 1 else "flows"
        if total == 0:
            self.count.setText("No flows yet")
        elif shown == total:
            self.count.setText(f"{total} {noun}")
        else:
            self.count.setText(f"{shown} of {total} {noun}")
