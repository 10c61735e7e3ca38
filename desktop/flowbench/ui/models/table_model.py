"""What every read-only table model of the window shares: a flat list of rows under one
row of column headings (with optional tooltips). A subclass says how many rows it holds
and what each cell shows; this answers Qt's counting and heading questions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


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
