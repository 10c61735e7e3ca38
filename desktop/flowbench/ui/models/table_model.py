"""What every read-only table model of the window shares: a flat list of rows under one
row of column headings (with optional tooltips). A subclass says how many rows it holds
and what each cell shows; this answers Qt's counting and heading questions.

``RecordTableModel`` is the common case: one record (a service result) a row, held in a
list; a subclass only says what a record's cell shows for a role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

Index = QModelIndex | QPersistentModelIndex
Record = TypeVar("Record")


def bold_font() -> QFont:
    """The font of a row that stands out (the live version, the signed-in member)."""
    font = QFont()
    font.setBold(True)
    return font


class ReadOnlyTableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str, ...] = ()  # tooltips of the headings, when they need one

    def row_total(self) -> int:
        """How many rows the table holds now."""
        raise NotImplementedError

    def header_text(self, section: int) -> str:
        return self.HEADERS[section]

    def header_tip(self, section: int) -> str | None:
        return self.HEADER_TIPS[section] if section < len(self.HEADER_TIPS) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip(section)
        return None


class RecordTableModel(ReadOnlyTableModel, Generic[Record]):
    """One record a row. ``data`` finds the row's record and asks ``cell`` what it shows
    in the index's column for a role; outside the rows there is nothing to show."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[Record] = []

    def set_records(self, records: Iterable[Record]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Record]:
        return list(self._records)

    def record_at(self, row: int) -> Record | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_total(self) -> int:
        return len(self._records)

    def cell(self, record: Record, index: Index, role: int) -> Any:
        """What ``record`` shows at ``index`` (its row, a column) for ``role``."""
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record_at(index.row()) if index.isValid() else None
        return None if record is None else self.cell(record, index, role)
