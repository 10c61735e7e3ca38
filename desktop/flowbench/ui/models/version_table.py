"""A flow's versions as a table: number, status, who created and published it, when."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from flowbench.domain.versions import VersionInfo, VersionStatus
from flowbench.ui.models.table_model import ReadOnlyTableModel

HEADERS = ("Version", "Status", "Created by", "Created", "Published by", "Published")
STATUS_WORDS = {VersionStatus.DRAFT: "Draft", VersionStatus.LIVE: "Live",
                VersionStatus.PREVIOUS: "Previous"}
NONE = "—"

Index = QModelIndex | QPersistentModelIndex


def local_time(stored: str | None) -> str:
    """A stored UTC time (``2026-04-02 09:30:00``) in the member's local time."""
    if not stored:
        return NONE
    try:
        moment = datetime.datetime.fromisoformat(stored)
    except ValueError:
        return stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class VersionTableModel(ReadOnlyTableModel):
    HEADERS = HEADERS
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._versions: list[VersionInfo] = []

    def set_versions(self, versions: Sequence[VersionInfo]) -> None:
        self.beginResetModel()
        self._versions = list(versions)
        self.endResetModel()

    def versions(self) -> list[VersionInfo]:
        return list(self._versions)

    def version_at(self, row: int) -> VersionInfo | None:
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def row_total(self) -> int:
        return len(self._versions)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info = self.version_at(index.row()) if index.isValid() else None
        if info is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells(info)[index.column()]
        if role == Qt.ItemDataRole.FontRole and info.status == VersionStatus.LIVE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            edited = (f"; last saved by {info.updated_by} at {local_time(info.updated_at)}"
                      if info.updated_by else "")
            return f"Version {info.number}, revision {info.revision}{edited}"
        return None

    @staticmethod
    def _cells(info: VersionInfo) -> tuple[str, ...]:
        return (f"Version {info.number}", STATUS_WORDS.get(info.status, str(info.status)),
                info.created_by, local_time(info.created_at), info.published_by or NONE,
                local_time(info.published_at))
