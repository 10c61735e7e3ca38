"""The audit log as a table that fetches page by page (``canFetchMore``/``fetchMore``):
the view asks for the next page when it is scrolled to the bottom, so a log of millions
of entries opens as fast as one of ten."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from flowbench.domain.errors import FlowbenchError
from flowbench.services.audit_log import AuditPage, AuditRecord

HEADERS = ("When", "Member", "Action", "Flow", "What happened")
WHEN, MEMBER, ACTION, FLOW, SUMMARY = range(len(HEADERS))
Index = QModelIndex | QPersistentModelIndex
PageSource = Callable[[int | None], AuditPage]  # before_id -> the next page


def local_time(moment: datetime.datetime) -> str:
    """A stored UTC moment in the member's local time, to the second."""
    aware = moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment
    return aware.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class AuditLogModel(QAbstractTableModel):
    failed = Signal(str)  # a page could not be read (e.g. the permission was withdrawn)
    loaded = Signal()  # rows were added or the query changed

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[AuditRecord] = []
        self._source: PageSource | None = None
        self._more = False

    # --- the query ---------------------------------------------------------------------------
    def set_source(self, source: PageSource | None) -> None:
        """Start over with another query (filters); the first page is read at once."""
        self.beginResetModel()
        self._records = []
        self._source = source
        self._more = source is not None
        self.endResetModel()
        if source is not None:
            self.fetchMore(QModelIndex())
        else:
            self.loaded.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more and self._source is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent) or self._source is None:
            return
        before = self._records[-1].id if self._records else None
        try:
            page = self._source(before)
        except FlowbenchError as error:
            self._more = False
            self.failed.emit(str(error))
            return
        self._more = page.more
        if page.records:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(page.records) - 1)
            self._records.extend(page.records)
            self.endInsertRows()
        self.loaded.emit()

    @property
    def has_more(self) -> bool:
        return self._more

    def record_at(self, row: int) -> AuditRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    # --- the table --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record_at(index.row()) if index.isValid() else None
        if record is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == WHEN:
                return local_time(record.at)
            if column == MEMBER:
                return record.member_name or record.member_email or "—"
            if column == ACTION:
                return record.action
            if column == FLOW:
                return record.flow_name or ("(deleted flow)" if record.flow_id else "—")
            return record.summary
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == MEMBER:
                return record.member_email or "Nobody signed in"
            if column == WHEN:
                return record.at.strftime("%Y-%m-%d %H:%M:%S UTC")
            return record.summary
        return None
