"""The kept revisions of a draft as a table: revision, who saved it, when, content hash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from flowbench.services.revisions import RevisionInfo
from flowbench.ui.models.table_model import Index, RecordTableModel
from flowbench.ui.models.version_table import local_time


class RevisionTableModel(RecordTableModel[RevisionInfo]):
    HEADERS = ("Revision", "Saved by", "Saved", "Content")
    HEADER_TIPS = ("", "", "", "The start of the revision's content hash: equal hashes, "
                   "equal content")

    def set_revisions(self, revisions: Sequence[RevisionInfo]) -> None:
        self.set_records(reversed(revisions))  # the newest first

    revisions = RecordTableModel.records
    revision_at = RecordTableModel.record_at

    def cell(self, info: RevisionInfo, index: Index, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            current = " (current)" if index.row() == 0 else ""
            return (f"Revision {info.revision}{current}", info.saved_by,
                    local_time(str(info.saved_at)), info.content_hash[:12])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"Version {info.version}, revision {info.revision}, saved by "
                    f"{info.saved_by}; content hash {info.content_hash}")
        return None
