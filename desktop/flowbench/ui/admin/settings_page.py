"""The Settings page: the workspace's name, approvals on or off, self-approval, and the
test accounts — the only customers a draft's test send may ever reach.

A switch applies at once; a refusal (e.g. approvals on with no group) puts it back.
Test accounts are runtime data: marking one needs the rehearsal permission (Editors
too), not the settings permission.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.roles import Permission
from flowbench.services import workspace
from flowbench.services.context import Actor
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime.access import REHEARSAL
from flowbench.services.workspace import WorkspaceInfo
from flowbench.ui.admin.common import AdminPage, attempt, reason_label, why_not
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.forms import button, button_row, text_label
from flowbench.ui.kit.tables import item_list
from flowbench.ui.session import AppSession

TEST_ACCOUNTS_SHOWN = 500


class SettingsPage(AdminPage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self._has_accounts = False
        self.reason = reason_label(self, "Why settings cannot be changed")
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Workspace name")
        self.rename_button = button(self, "&Rename", "Rename the workspace",
                                    clicked=self.rename_workspace)
        self.approvals = QCheckBox("Drafts need &approval from every approval group "
                                   "before they are published", self)
        self.approvals.setAccessibleName("Approvals on")
        self.self_approval = QCheckBox("Members may approve drafts they &edited themselves",
                                       self)
        self.self_approval.setAccessibleName("Self-approval allowed")
        self.groups_note = text_label(self, look="subtle", wrap=True)
        self.test_reason = reason_label(self, "Why test accounts cannot be changed")
        self.test_accounts = item_list(self, object_name="testAccountList",
                                       accessible_name="Test accounts")
        self.mark_button = button(self, "Mar&k Customer as Test Account…",
                                  "Mark a customer as a test account",
                                  clicked=self.mark_test_account)
        self.unmark_button = button(self, "&Unmark",
                                    "Make the selected test account a customer again",
                                    clicked=self.unmark_test_account)

        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.rename_button)
        general = QGroupBox("Workspace", self)
        form = QFormLayout(general)
        name_label = QLabel("&Name:", general)
        name_label.setBuddy(self.name)
        form.addRow(name_label, name_row)
        approvals = QGroupBox("Approvals", self)
        approval_layout = QVBoxLayout(approvals)
        approval_layout.addWidget(self.approvals)
        approval_layout.addWidget(self.self_approval)
        approval_layout.addWidget(self.groups_note)
        tests = QGroupBox("Test accounts", self)
        test_layout = QVBoxLayout(tests)
        intro = text_label(tests, "A draft's test send reaches only these customers; "
                           "anything addressed to another customer is refused.",
                           look="subtle", wrap=True)
        test_layout.addWidget(intro)
        test_layout.addWidget(self.test_reason)
        test_layout.addWidget(self.test_accounts, 1)
        test_layout.addLayout(button_row(self.mark_button, self.unmark_button))
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addWidget(general)
        layout.addWidget(approvals)
        layout.addWidget(tests, 1)

        self.name.returnPressed.connect(self.rename_workspace)
        self.approvals.clicked.connect(self.set_approvals)
        self.self_approval.clicked.connect(self.set_self_approval)
        self.test_accounts.currentItemChanged.connect(lambda _n, _o: self._update_controls())

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        info = attempt(self.prompts, self, "Settings not shown", workspace.workspace_info)
        if info is not None:
            self.name.setText(info.name)
            self.approvals.setChecked(info.approvals_enabled)
            self.self_approval.setChecked(info.allow_self_approval)
            self.groups_note.setText(
                f"Approval groups: {', '.join(info.groups)}." if info.groups else
                "There are no approval groups yet: add one on the Approval Groups page "
                "before switching approvals on.")
        accounts = attempt(self.prompts, self, "Test accounts not shown",
                           lambda: runtime_customers.list_customers(
                               test=True, limit=TEST_ACCOUNTS_SHOWN)) or []
        self.test_accounts.clear()
        self.test_accounts.addItems([c.id for c in accounts])
        if not accounts:
            self.test_accounts.addItem("No test accounts yet.")
            self.test_accounts.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._has_accounts = bool(accounts)
        self._update_controls()

    def selected_test_account(self) -> str | None:
        item = self.test_accounts.currentItem()
        return item.text() if item is not None and self._has_accounts else None

    def _update_controls(self) -> None:
        reason = why_not(self.session, Permission.MANAGE_SETTINGS)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        for widget in (self.name, self.rename_button, self.approvals, self.self_approval):
            widget.setEnabled(not reason)
            widget.setToolTip(reason)
        self.name.setReadOnly(bool(reason))
        test_reason = why_not(self.session, REHEARSAL)
        self.test_reason.setText(test_reason)
        self.test_reason.setVisible(bool(test_reason))
        self.mark_button.setEnabled(not test_reason)
        self.unmark_button.setEnabled(not test_reason
                                      and self.selected_test_account() is not None)
        self.mark_button.setToolTip(test_reason)
        self.unmark_button.setToolTip(test_reason)

    def _changed(self, text: str) -> None:
        self.announce(text, settings=True)

    # --- changing --------------------------------------------------------------------------------
    def rename_workspace(self) -> bool:
        actor = self.acting_member(self.rename_button)
        if actor is None:
            return False
        new = self.name.text()
        info = attempt(self.prompts, self, "Workspace not renamed",
                       lambda: workspace.rename_workspace(actor, new))
        if info is None:
            self.refresh()
            return False
        self.session.workspace_name = info.name
        self._changed(f"The workspace is now called “{info.name}”.")
        return True

    def set_approvals(self, enabled: bool) -> bool:
        return self._switch("Approvals not changed",
                            lambda actor: workspace.set_approvals(actor, enabled),
                            lambda info: "Approvals are on: drafts need every group's "
                            "approval." if info.approvals_enabled else "Approvals are off.")

    def set_self_approval(self, allowed: bool) -> bool:
        return self._switch("Self-approval not changed",
                            lambda actor: workspace.set_self_approval(actor, allowed),
                            lambda info: "Members may now approve their own drafts."
                            if info.allow_self_approval else
                            "Members may no longer approve drafts they edited.")

    def _switch(self, title: str, change: Callable[[Actor], WorkspaceInfo],
                done: Callable[[WorkspaceInfo], str]) -> bool:
        """A switch applies at once; a refusal puts the box back to what is stored."""
        actor = self.session.actor
        if actor is None:
            return False
        info = attempt(self.prompts, self, title, lambda: change(actor))
        if info is None:
            self.refresh()
            return False
        self._changed(done(info))
        return True

    def mark_test_account(self) -> bool:
        if self.acting_member(self.mark_button) is None:
            return False
        customer = self.prompts.ask_text(self, "Mark as Test Account",
                                         "Customer id (added if unknown):")
        if not customer:
            return False
        return self._set_test(customer, True)

    def unmark_test_account(self) -> bool:
        customer = self.selected_test_account()
        if customer is None or not self.unmark_button.isEnabled():
            return False
        return self._set_test(customer, False)

    def _set_test(self, customer: str, is_test: bool) -> bool:
        actor = self.session.actor
        if actor is None:
            return False
        flag = "test=yes" if is_test else "test=no"
        done = attempt(self.prompts, self, "Test account not changed",
                       lambda: runtime_customers.set_customer(actor, customer, [flag]))
        if done is None:
            return False
        self.announce(f"“{customer.strip()}” is {'now' if is_test else 'no longer'} a test "
                      "account.")
        return True
