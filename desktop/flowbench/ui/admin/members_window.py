"""The Members and Settings window: members, approval groups and workspace settings on
three pages. Any signed-in member may open it; what their role may not change is
disabled, with the reason written on the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowbench.ui.admin.groups_page import GroupsPage
from flowbench.ui.admin.members_page import MembersPage
from flowbench.ui.admin.settings_page import SettingsPage
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import text_label
from flowbench.ui.session import AppSession, SessionChange

MEMBERS_PAGE, GROUPS_PAGE, SETTINGS_PAGE = range(3)


class MembersAndSettingsWindow(QDialog):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("membersAndSettings")
        self.setWindowTitle("Members and Settings")
        self.setWindowIcon(icon("member"))
        self.setModal(False)
        self.session = session
        self.heading = text_label(self, name="Workspace", look="heading")
        self.note = text_label(self, name="Status", look="subtle")
        self.members_page = MembersPage(session, prompts, self)
        self.groups_page = GroupsPage(session, prompts, self)
        self.settings_page = SettingsPage(session, prompts, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Members and settings pages")
        self.tabs.tabBar().setAccessibleName("Pages: members, approval groups, settings")
        self.tabs.addTab(self.members_page, icon("member"), "&Members")
        self.tabs.addTab(self.groups_page, "Approval &Groups")
        self.tabs.addTab(self.settings_page, icon("workspace"), "&Settings")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(
            "Close members and settings")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        bottom = QVBoxLayout()
        bottom.addWidget(self.note)
        layout.addLayout(bottom)
        layout.addWidget(buttons)
        self.resize(900, 560)
        for page in (self.members_page, self.groups_page, self.settings_page):
            page.message.connect(self.note.setText)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.refresh)
        session.changed.connect(self._session_changed)
        self.refresh()

    def refresh(self) -> None:
        self.heading.setText(f"Members and settings of “{self.session.workspace_name}”"
                             if self.session.workspace_name else "Members and settings")
        self.members_page.refresh()
        self.groups_page.refresh()
        self.settings_page.refresh()

    def _session_changed(self, change: SessionChange) -> None:
        pages = (self.members_page, self.groups_page, self.settings_page)
        if change.session and not self.session.signed_in:
            self.close()
        elif change.origin in pages:
            # one page changed something the others show (names, groups, roles)
            for page in pages:
                if page is not change.origin:
                    page.refresh()
            self.heading.setText(f"Members and settings of “{self.session.workspace_name}”")
        elif (change.session or change.members or change.settings
              or getattr(change, "remote", False)):  # remote: another member, team workspace
            self.refresh()


def open_members_window(session: AppSession, prompts: Prompts,
                        parent: QWidget | None) -> MembersAndSettingsWindow:
    window = MembersAndSettingsWindow(session, prompts, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
