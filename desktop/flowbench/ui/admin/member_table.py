"""The workspace's members as a table: name, email, role, status, approval groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from flowbench.domain.roles import Role
from flowbench.services.members import MemberInfo
from flowbench.ui.models.table_model import Index, RecordTableModel, bold_font

HEADERS = ("Name", "Email", "Role", "Status", "Approval groups")


def role_label(role: str) -> str:
    return Role(role).label if role in {r.value for r in Role} else role


class MemberTableModel(RecordTableModel[MemberInfo]):
    HEADERS = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.me: int | None = None  # the signed-in member's id, shown in bold

    def set_members(self, members: Sequence[MemberInfo], me: int | None) -> None:
        self.me = me
        self.set_records(members)

    member_at = RecordTableModel.record_at

    def row_of(self, email: str) -> int:
        key = email.strip().lower()
        return next((row for row, m in enumerate(self._records) if m.email == key), -1)

    def cell(self, info: MemberInfo, index: Index, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            name = f"{info.name} (you)" if info.id == self.me else info.name
            cells = (name, info.email, role_label(info.role),
                     "Active" if info.active else "Deactivated",
                     ", ".join(info.groups) or "—")
            return cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not info.active:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and info.id == self.me:
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and not info.active:
            return f"{info.email} is deactivated and cannot sign in."
        return None
