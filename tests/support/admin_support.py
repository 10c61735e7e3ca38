"""Helpers for the Members and Settings window tests (tests/ui/admin/): the members'
password, their roles as stored, the Add Member dialog, and what a window offers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from flowbench.services import members
from flowbench.ui.admin.add_member_dialog import AddMemberDialog
from flowbench.ui.admin.members_window import MembersAndSettingsWindow

PASSWORD = "correct horse 1"


def roles() -> dict[str, str]:
    return {m.email: m.role for m in members.list_members()}


def add_member_dialog(qtbot: QtBot, window: MembersAndSettingsWindow) -> AddMemberDialog:
    qtbot.mouseClick(window.members_page.add_button, Qt.MouseButton.LeftButton)
    dialog = window.members_page.add_dialog
    assert isinstance(dialog, AddMemberDialog) and dialog.isVisible()
    return dialog


def fill(qtbot: QtBot, dialog: AddMemberDialog, email: str, name: str, role: str,
         password: str | None = None) -> None:
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, email)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, name)
    dialog.role.setCurrentIndex(dialog.role.findText(role))
    if password is not None:
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, password)


def enabled_buttons(root: QWidget) -> list[str]:
    return sorted(b.text() for b in root.findChildren(QPushButton)
                  if b.isEnabled() and b.isVisibleTo(root))

