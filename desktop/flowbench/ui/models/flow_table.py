"""The flow list as a table: name, live version, draft version, approval state."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from flowbench.services.flows import FlowSummary
from flowbench.ui.models.table_model import Index, RecordTableModel

NAME, LIVE, DRAFT, APPROVAL = range(4)
HEADERS = ("Name", "Live", "Draft", "Approval")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FLOW_ID_ROLE = Qt.ItemDataRole.UserRole + 2
NONE = "—"


def approval_text(summary: FlowSummary) -> str:
    if summary.draft_version is None:
        return NONE
    return summary.approval_state or NONE


def _version(number: int | None) -> str:
    return f"v{number}" if number is not None else NONE


class FlowTableModel(RecordTableModel[FlowSummary]):
    HEADERS = HEADERS
    HEADER_TIPS = ("The flow's name", "The live (published) version",
                   "The draft being edited", "Approval of the draft")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: dict[int, int] = {}  # flow id -> row
        self.show_archived = False  # archived flows have rows too (Show archived)

    # --- filling ---------------------------------------------------------------------------
    def set_records(self, records: Iterable[FlowSummary]) -> None:
        super().set_records(records)
        self._index()

    set_flows = set_records

    def update_flow(self, flow_id: int, summary: FlowSummary | None) -> None:
        """One flow's row: replaced, added, or removed (``summary`` None or archived),
        without resetting the model (selection, sorting and scrolling stay)."""
        row = self._rows.get(flow_id)
        if summary is None or (summary.archived and not self.show_archived):
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._records[row]
                self._index()
                self.endRemoveRows()
        elif row is None:
            row = len(self._records)
            self.beginInsertRows(QModelIndex(), row, row)
            self._records.append(summary)
            self._rows[flow_id] = row
            self.endInsertRows()
        elif summary != self._records[row]:
            self._records[row] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def _index(self) -> None:
        self._rows = {summary.id: row for row, summary in enumerate(self._records)}

    flows = RecordTableModel.records
    flow_at = RecordTableModel.record_at

    def row_of(self, flow_id: int) -> int | None:
        return self._rows.get(flow_id)

    # --- QAbstractTableModel ---------------------------------------------------------------
    def cell(self, summary: FlowSummary, index: Index, role: int) -> Any:
        column = index.column()
        if role == FLOW_ID_ROLE:
            return summary.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            name = summary.name + (" (archived)" if summary.archived else "")
            return (name, _version(summary.live_version),
                    _version(summary.draft_version), approval_text(summary))[column]
        if role == SORT_ROLE:
            if column == NAME:
                return summary.name.casefold()
            if column in (LIVE, DRAFT):
                number = summary.live_version if column == LIVE else summary.draft_version
                return number if number is not None else -1
            return approval_text(summary)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (LIVE, DRAFT):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _tooltip(summary: FlowSummary) -> str:
        live = (f"Version {summary.live_version} is live" if summary.live_version
                else "Never published")
        draft = (f"Version {summary.draft_version} is a draft ({approval_text(summary)})"
                 if summary.draft_version else "No draft")
        return f"{summary.name}\n{live}. {draft}."
