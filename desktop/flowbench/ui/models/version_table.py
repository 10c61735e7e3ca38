"""A flow's versions as a table: number, status, who created and published it, when."""

from __future__ import annotations

import datetime
from typing import Any

from PySide6.QtCore import Qt

from flowbench.domain.versions import VersionInfo, VersionStatus
from flowbench.ui.models.table_model import Index, RecordTableModel, bold_font

HEADERS = ("Version", "Status", "Created by", "Created", "Published by", "Published")
STATUS_WORDS = {VersionStatus.DRAFT: "Draft", VersionStatus.LIVE: "Live",
                VersionStatus.PREVIOUS: "Previous"}
NONE = "—"


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


class VersionTableModel(RecordTableModel[VersionInfo]):
    HEADERS = HEADERS

    set_versions = RecordTableModel.set_records
    versions = RecordTableModel.records
    version_at = RecordTableModel.record_at

    def cell(self, info: VersionInfo, index: Index, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells(info)[index.column()]
        if role == Qt.ItemDataRole.FontRole and info.status == VersionStatus.LIVE:
            return bold_font()
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
