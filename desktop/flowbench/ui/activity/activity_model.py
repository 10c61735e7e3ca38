"""A flow's activity as a table: one row per version (newest first) and a total row;
columns are instance statuses, then card statuses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from flowbench.domain.versions import VersionStatus
from flowbench.services.activity import (
    CARD_STATUSES,
    INSTANCE_STATUSES,
    FlowActivity,
    VersionActivity,
)
from flowbench.ui.models.table_model import Index, RecordTableModel, bold_font

STATUS_WORDS = {VersionStatus.DRAFT.value: "Draft", VersionStatus.LIVE.value: "Live",
                VersionStatus.PREVIOUS.value: "Previous"}
INSTANCE_HEADERS = {"running": "Running", "completed": "Completed", "cancelled": "Cancelled"}
CARD_HEADERS = {"active": "Active", "snoozed": "Snoozed", "completed": "Acted",
                "dismissed": "Dismissed", "expired": "Expired", "cancelled": "Cancelled"}
COLUMNS: list[tuple[str, str]] = (
    [("version", ""), ("status", "")]
    + [("instance", status) for status in INSTANCE_STATUSES]
    + [("card", status) for status in CARD_STATUSES])
FIRST_CARD_COLUMN = 2 + len(INSTANCE_STATUSES)


def header_of(column: int) -> str:
    kind, status = COLUMNS[column]
    if kind == "version":
        return "Version"
    if kind == "status":
        return "Status"
    if kind == "instance":
        return f"Instances\n{INSTANCE_HEADERS[status].lower()}"
    return f"Cards\n{CARD_HEADERS[status].lower()}"


class ActivityTableModel(RecordTableModel[VersionActivity]):
    HEADERS = tuple(header_of(section) for section in range(len(COLUMNS)))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._activity: FlowActivity | None = None

    def set_activity(self, activity: FlowActivity | None) -> None:
        self._activity = activity
        rows = list(activity.versions) if activity else []
        self.set_records(rows + [_total(rows)] if len(rows) > 1 else rows)

    def version_at(self, row: int) -> VersionActivity | None:
        """The version of a row; None for the total row or outside the table."""
        version = self.record_at(row)
        return version if version is not None and version.number > 0 else None

    def row_of(self, number: int) -> int | None:
        return next((r for r, v in enumerate(self._records) if v.number == number), None)

    def count(self, row: int, kind: str, status: str) -> int:
        version = self._records[row]
        return (version.instances if kind == "instance" else version.cards).get(status, 0)

    def header_tip(self, section: int) -> str | None:
        kind, status = COLUMNS[section]
        if kind == "instance":
            return f"Instances {status}"
        if kind == "card":
            return f"Cards {status}" + (" (submitted)" if status == "completed" else "")
        return None

    def cell(self, version: VersionActivity, index: Index, role: int) -> Any:
        kind, status = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if kind == "version":
                return f"Version {version.number}" if version.number > 0 else "All versions"
            if kind == "status":
                return STATUS_WORDS.get(version.status, version.status)
            return f"{self.count(index.row(), kind, status):,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("instance", "card"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (version.status == VersionStatus.LIVE
                                                 or version.number <= 0):
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and kind in ("instance", "card"):
            count = self.count(index.row(), kind, status)
            which = f"Version {version.number}" if version.number > 0 else "all versions"
            return f"{count:,} {kind}{'s' if count != 1 else ''} {status} in {which}"
        return None


def _total(rows: list[VersionActivity]) -> VersionActivity:
    instances = {s: sum(v.instances.get(s, 0) for v in rows) for s in INSTANCE_STATUSES}
    cards = {s: sum(v.cards.get(s, 0) for v in rows) for s in CARD_STATUSES}
    return VersionActivity(0, "", instances, cards)
