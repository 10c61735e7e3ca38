"""The audit log as a table that fetches page by page (``canFetchMore``/``fetchMore``):
the view asks for the next page when it is scrolled to the bottom, so a log of millions
of entries opens as fast as one of ten, and the window never waits for the database."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from flowbench.domain.errors import FlowbenchError
from flowbench.services.audit_log import AuditPage, AuditRecord
from flowbench.ui.models.table_model import Index, RecordTableModel
from flowbench.ui.tasks import Task

HEADERS = ("When", "Member", "Action", "Flow", "What happened")
WHEN, MEMBER, ACTION, FLOW, SUMMARY = range(len(HEADERS))
log = logging.getLogger(__name__)
PageSource = Callable[[int | None], AuditPage]  # before_id -> the next page


def local_time(moment: datetime.datetime) -> str:
    """A stored UTC moment in the member's local time, to the second."""
    aware = moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment
    return aware.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class AuditLogModel(RecordTableModel[AuditRecord]):
    """Pages are read on a worker thread (a text search may scan a long log); rows are
    added when a page arrives. A page asked for before the query changed is dropped."""
    HEADERS = HEADERS

    failed = Signal(str)  # a page could not be read (e.g. the permission was withdrawn)
    loaded = Signal()  # a page arrived, or the query changed

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: PageSource | None = None
        self._more = False
        self._loading = False
        self._generation = 0  # bumped by every new query

    # --- the query ---------------------------------------------------------------------------
    def set_source(self, source: PageSource | None) -> None:
        """Start over with another query (filters); the first page is asked for at once."""
        self.beginResetModel()
        self._generation += 1
        self._records = []
        self._source = source
        self._more = source is not None
        self._loading = False
        self.endResetModel()
        if source is not None:
            self.fetchMore(QModelIndex())
        else:
            self.loaded.emit()

    @property
    def loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return (not parent.isValid() and self._more and self._source is not None
                and not self._loading)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        source = self._source
        if not self.canFetchMore(parent) or source is None:
            return
        before = self._records[-1].id if self._records else None
        generation = self._generation

        def read(_control: object) -> tuple[int, AuditPage | str]:
            try:
                return generation, source(before)
            except FlowbenchError as error:
                return generation, str(error)

        self._loading = True
        task = Task(read)
        task.succeeded.connect(self._page_arrived)
        task.failed.connect(self._page_crashed)
        task.start()

    def _page_arrived(self, outcome: tuple[int, AuditPage | str]) -> None:
        generation, page = outcome
        if generation != self._generation:
            return  # asked for by a query that has since been replaced
        self._loading = False
        if isinstance(page, str):
            self._more = False
            self.failed.emit(page)
            return
        self._more = page.more
        if page.records:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(page.records) - 1)
            self._records.extend(page.records)
            self.endInsertRows()
        self.loaded.emit()

    def _page_crashed(self, error: BaseException) -> None:
        log.error("reading the audit log failed", exc_info=error)
        self._loading = False
        self._more = False
        self.failed.emit(f"The audit log could not be read: {error}")

    @property
    def has_more(self) -> bool:
        return self._more

    # --- the table --------------------------------------------------------------------------------
    def cell(self, record: AuditRecord, index: Index, role: int) -> Any:
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
