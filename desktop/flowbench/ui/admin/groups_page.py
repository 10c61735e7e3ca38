"""The Approval Groups page: the groups (a draft needs one approval from each when
approvals are on) and who may approve on each group's behalf."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.roles import Permission
from flowbench.services import members
from flowbench.services.context import Actor
from flowbench.ui.admin.common import AdminPage, attempt, attempt_done, reason_label, why_not
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import button, button_row, text_label
from flowbench.ui.kit.tables import item_list
from flowbench.ui.session import AppSession

NAME = Qt.ItemDataRole.UserRole


class GroupsPage(AdminPage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self._groups: dict[str, list[str]] = {}
        self.groups = item_list(self, object_name="groupList",
                                accessible_name="Approval groups")
        self.new_button = button(self, "&New Group…", "Create an approval group",
                                 clicked=self.new_group)
        self.rename_button = button(self, "R&ename…", "Rename the selected approval group",
                                    clicked=self.rename_group)
        self.delete_button = button(self, "De&lete…", "Delete the selected approval group",
                                    clicked=self.delete_group)
        self.members = item_list(self, object_name="groupMemberList",
                                 accessible_name="Members of the selected group")
        self.candidates = QComboBox(self)
        self.candidates.setAccessibleName("Member to add to the group")
        self.candidates.setMinimumContentsLength(24)
        self.add_button = button(self, "A&dd to Group", "Add the chosen member to the "
                                 "selected group", clicked=self.add_member)
        self.remove_button = button(self, "&Remove from Group", "Remove the selected member "
                                    "from the group", clicked=self.remove_member)
        self.reason = reason_label(self, "Why approval groups cannot be changed")
        self.members_heading = QLabel(self)
        self.members_heading.setStyleSheet("font-weight: 600;")
        note = text_label(self, "When approvals are on, a draft needs one approval from "
                          "each group; any member of a group may approve on its behalf.",
                          look="subtle", wrap=True)

        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.candidates, 1)
        member_buttons.addWidget(self.add_button)
        member_buttons.addWidget(self.remove_button)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Groups</b>", self), 0, 0)
        grid.addWidget(self.members_heading, 0, 1)
        grid.addWidget(self.groups, 1, 0)
        grid.addWidget(self.members, 1, 1)
        grid.addLayout(button_row(self.new_button, self.rename_button, self.delete_button),
                       2, 0)
        grid.addLayout(member_buttons, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(note)
        layout.addLayout(grid, 1)
        self.groups.currentItemChanged.connect(lambda _new, _old: self._show_members())
        self.members.currentItemChanged.connect(lambda _new, _old: self._update_controls())

    # --- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.selected_group()
        self._groups = attempt(self.prompts, self, "Groups not shown", members.list_groups) or {}
        self.groups.blockSignals(True)
        self.groups.clear()
        for name, emails in self._groups.items():
            item = QListWidgetItem(f"{name}  ({len(emails)})", self.groups)
            item.setData(NAME, name)
            item.setToolTip(", ".join(emails) or "Nobody yet")
        self.groups.blockSignals(False)
        names = list(self._groups)
        if names:
            self.groups.setCurrentRow(names.index(keep) if keep in names else 0)
        self._show_members()

    def selected_group(self) -> str | None:
        item = self.groups.currentItem()
        return str(item.data(NAME)) if item is not None else None

    def select_group(self, name: str) -> bool:
        for row in range(self.groups.count()):
            if str(self.groups.item(row).data(NAME)).lower() == name.strip().lower():
                self.groups.setCurrentRow(row)
                return True
        return False

    def selected_member(self) -> str | None:
        """The email of the group member selected in the list."""
        item = self.members.currentItem()
        return str(item.data(NAME)) if item is not None else None

    def member_emails(self) -> list[str]:
        return [str(self.members.item(row).data(NAME)) for row in range(self.members.count())]

    def _show_members(self) -> None:
        group = self.selected_group()
        emails = self._groups.get(group or "", [])
        everybody = attempt(self.prompts, self, "Members not shown", members.list_members) or []
        known = {m.email: m for m in everybody}
        self.members.clear()
        for email in emails:
            info = known.get(email)
            text = f"{info.name} <{email}>" if info else email
            if info is not None and not info.active:
                text += " — deactivated"
            item = QListWidgetItem(text, self.members)
            item.setData(NAME, email)
        self.members_heading.setText(f"Members of “{group}”" if group else "Members")
        self.candidates.clear()
        for info in everybody:
            if info.active and info.email not in emails:
                self.candidates.addItem(f"{info.name} <{info.email}>", info.email)
        self._update_controls()

    def _update_controls(self) -> None:
        reason = why_not(self.session, Permission.MANAGE_SETTINGS)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        allowed, group = not reason, self.selected_group()
        self.new_button.setEnabled(allowed)
        self.rename_button.setEnabled(allowed and group is not None)
        self.delete_button.setEnabled(allowed and group is not None)
        self.candidates.setEnabled(allowed and group is not None and self.candidates.count() > 0)
        self.add_button.setEnabled(self.candidates.isEnabled())
        self.remove_button.setEnabled(allowed and self.selected_member() is not None)
        for widget in (self.new_button, self.rename_button, self.delete_button,
                       self.candidates, self.add_button, self.remove_button):
            widget.setToolTip(reason)

    def _changed(self, text: str, select: str | None = None) -> None:
        """Announce a change; ``select``: the group to show afterwards (made or renamed)."""
        self.announce(text, settings=True, members=True)
        if select is not None:
            self.select_group(select)

    def _acting_on_group(self, control: QWidget) -> tuple[Actor, str] | None:
        """The acting member and the selected group, when ``control`` may act now."""
        actor, group = self.acting_member(control), self.selected_group()
        return (actor, group) if actor is not None and group is not None else None

    # --- changing --------------------------------------------------------------------------------
    def new_group(self) -> str | None:
        actor = self.acting_member(self.new_button)
        if actor is None:
            return None
        name = self.prompts.ask_text(self, "New Approval Group", "Name of the group "
                                     "(e.g. Legal, Marketing):")
        if name is None:
            return None
        made = attempt(self.prompts, self, "Group not created",
                       lambda: members.add_group(actor, name))
        if made is None:
            return None
        self._changed(f"Created the approval group “{made}”.", select=made)
        return made

    def rename_group(self) -> bool:
        acting = self._acting_on_group(self.rename_button)
        if acting is None:
            return False
        actor, group = acting
        name = self.prompts.ask_text(self, "Rename Approval Group", "New name:", group)
        if name is None or name.strip() == group:
            return False
        made = attempt(self.prompts, self, "Group not renamed",
                       lambda: members.rename_group(actor, group, name))
        if made is None:
            return False
        self._changed(f"Renamed “{group}” to “{made}”.", select=made)
        return True

    def delete_group(self) -> bool:
        acting = self._acting_on_group(self.delete_button)
        if acting is None:
            return False
        actor, group = acting
        count = len(self._groups.get(group, []))
        if not self.prompts.confirm(
                self, "Delete approval group?",
                f"Delete “{group}” ({count} member{'s' if count != 1 else ''})? Approvals "
                "given on its behalf are removed; drafts no longer need its approval."):
            return False
        if not attempt_done(self.prompts, self, "Group not deleted",
                            lambda: members.remove_group(actor, group)):
            return False
        self._changed(f"Deleted the approval group “{group}”.")
        return True

    def add_member(self) -> bool:
        acting, email = self._acting_on_group(self.add_button), self.candidates.currentData()
        if acting is None or email is None:
            return False
        actor, group = acting
        if not attempt_done(self.prompts, self, "Member not added to the group",
                            lambda: members.add_group_member(actor, group, str(email))):
            self.refresh()
            return False
        self._changed(f"Added {email} to “{group}”.")
        return True

    def remove_member(self) -> bool:
        acting, email = self._acting_on_group(self.remove_button), self.selected_member()
        if acting is None or email is None:
            return False
        actor, group = acting
        if not attempt_done(self.prompts, self, "Member not removed from the group",
                            lambda: members.remove_group_member(actor, group, email)):
            self.refresh()
            return False
        self._changed(f"Removed {email} from “{group}”.")
        return True
