"""The kept revisions of a draft as a table: revision, who saved it, when, content hash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from flowbench.services.revisions import RevisionInfo
from flowbench.ui.models.table_model import Index, ReadOnlyTableModel
from flowbench.ui.models.version_table import local_time


class RevisionTableModel(ReadOnlyTableModel):
    HEADERS = ("Revision", "Saved by", "Saved", "Content")
    HEADER_TIPS = ("", "", "", "The start of the revision's content hash: equal hashes, "
                   "equal content")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._revisions: list[RevisionInfo] = []

    def set_revisions(self, revisions: Sequence[RevisionInfo]) -> None:
        self.beginResetModel()
        self._revisions = list(reversed(revisions))  # the newest first
        self.endResetModel()

    def revisions(self) -> list[RevisionInfo]:
        return list(self._revisions)

    def revision_at(self, row: int) -> RevisionInfo | None:
        return self._revisions[row] if 0 <= row < len(self._revisions) else None

    def row_total(self) -> int:
        return len(self._revisions)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info = self.revision_at(index.row()) if index.isValid() else None
        if info is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            current = " (current)" if index.row() == 0 else ""
            return (f"Revision {info.revision}{current}", info.saved_by,
                    local_time(str(info.saved_at)), info.content_hash[:12])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"Version {info.version}, revision {info.revision}, saved by "
                    f"{info.saved_by}; content hash {info.content_hash}")
        return None
