"""The workspace's members as a table: name, email, role, status, approval groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from flowbench.domain.roles import Role
from flowbench.services.members import MemberInfo
from flowbench.ui.models.table_model import ReadOnlyTableModel

HEADERS = ("Name", "Email", "Role", "Status", "Approval groups")
Index = QModelIndex | QPersistentModelIndex


def role_label(role: str) -> str:
    return Role(role).label if role in {r.value for r in Role} else role


class MemberTableModel(ReadOnlyTableModel):
    HEADERS = HEADERS
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[MemberInfo] = []
        self.me: int | None = None  # the signed-in member's id, shown in bold

    def set_members(self, members: Sequence[MemberInfo], me: int | None) -> None:
        self.beginResetModel()
        self._members = list(members)
        self.me = me
        self.endResetModel()

    def member_at(self, row: int) -> MemberInfo | None:
        return self._members[row] if 0 <= row < len(self._members) else None

    def row_of(self, email: str) -> int:
        key = email.strip().lower()
        return next((row for row, m in enumerate(self._members) if m.email == key), -1)

    def row_total(self) -> int:
        return len(self._members)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info = self.member_at(index.row()) if index.isValid() else None
        if info is None:
            return None
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
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and not info.active:
            return f"{info.email} is deactivated and cannot sign in."
        return None
