"""Who reaches the Members and Settings window and the Audit Log, and how: a Viewer or
an Editor can look but finds nothing that changes data; the Workspace menu follows the
role and opens both windows by keyboard; one window of each, closed on sign-out."""

from __future__ import annotations

import pytest
from accessibility import unnamed
from admin_support import enabled_buttons
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flowbench.services import members, workspace
from flowbench.ui.admin import AdminWindows
from flowbench.ui.main_actions import MainActions
from flowbench.ui.session import AppSession
from flowbench.ui.window_shell import top_menus


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewers_and_editors_can_look_but_not_change(open_as, role: str) -> None:
    window = open_as(role)
    label = role.capitalize()
    members_page, groups_page, settings_page = (window.members_page, window.groups_page,
                                                window.settings_page)
    assert members_page.model.rowCount() == 4  # they can see who is in the workspace
    assert members_page.reason.text() == (
        f"Read only. Your role ({label}) does not allow you to manage members.")
    assert groups_page.reason.text().endswith("does not allow you to change workspace settings.")
    assert settings_page.reason.isVisibleTo(settings_page)
    for page in (members_page, groups_page):
        assert enabled_buttons(page) == []
    assert not settings_page.approvals.isEnabled()
    assert not settings_page.self_approval.isEnabled()
    assert settings_page.approvals.toolTip().startswith("Read only.")
    assert settings_page.name.isReadOnly()
    # test accounts are rehearsal data: an Editor may mark them, a Viewer may not
    assert settings_page.mark_button.isEnabled() == (role == "editor")
    assert members_page.add_button.toolTip() == members_page.reason.text()


def test_viewer_actions_refused_even_if_called(qtbot, open_as, prompts) -> None:
    window = open_as("viewer")
    before = (members.list_members(), members.list_groups(), workspace.workspace_info())
    assert window.members_page.open_add_member() is None
    assert window.members_page.change_role() is False
    assert window.groups_page.new_group() is None
    assert window.settings_page.set_approvals(True) is False  # the service refuses
    assert "does not allow you to change workspace settings" in prompts.errors[-1][1]
    assert (members.list_members(), members.list_groups(), workspace.workspace_info()) == before


def test_the_workspace_menu_follows_the_role(qtbot, world) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    actions = MainActions(window, top_menus(window))
    session = AppSession()
    actions.update_for(session, False)
    assert not actions.members_settings.isEnabled() and not actions.audit_log.isEnabled()
    session.sign_in(world["viewer"])
    actions.update_for(session, False)
    assert actions.members_settings.isEnabled()
    assert "read only" in actions.members_settings.toolTip()
    assert not actions.audit_log.isEnabled()
    assert actions.audit_log.toolTip() == (
        "Your role (Viewer) does not allow you to view the audit log.")
    session.sign_in(world["owner"])
    actions.update_for(session, False)
    assert actions.members_settings.isEnabled() and actions.audit_log.isEnabled()
    assert actions.members_settings.shortcut().toString() == "Ctrl+Shift+M"
    assert actions.audit_log.shortcut().toString() == "Ctrl+Shift+L"


def test_one_window_each_and_it_closes_on_sign_out(qtbot, prompts, world) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    session = AppSession()
    admin = AdminWindows(session, prompts, parent)
    assert admin.open_members() is None  # nobody signed in
    session.sign_in(world["owner"])
    first = admin.open_members()
    assert first is not None and admin.open_members() is first
    audit = admin.open_audit_log()
    assert audit is not None and audit.isVisible()
    qtbot.waitUntil(lambda: not audit.model.loading)
    session.sign_out()
    qtbot.waitUntil(lambda: admin.members is None and admin.audit is None)


def test_the_workspace_menu_opens_both_windows_by_keyboard(shell, made_workspace) -> None:
    shell.start(made_workspace(viewer=True))
    shell.sign_in()
    shell.shortcut(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    shell.qtbot.waitUntil(lambda: shell.window.admin.members is not None)
    admin = shell.window.admin.members
    assert admin.isVisible() and admin.members_page.add_button.isEnabled()
    assert admin.members_page.model.rowCount() == 2
    for page in range(admin.tabs.count()):
        admin.tabs.setCurrentIndex(page)
        assert unnamed(admin) == [], admin.tabs.tabText(page)
    admin.close()
    shell.shortcut(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    shell.qtbot.waitUntil(lambda: shell.window.admin.audit is not None)
    audit = shell.window.admin.audit
    shell.qtbot.waitUntil(lambda: not audit.model.loading)
    assert audit.model.rowCount() == 2  # the workspace made and the Viewer added
    assert unnamed(audit) == []
    audit.close()


def test_a_viewer_opens_members_read_only_and_not_the_audit_log(shell,
                                                                 made_workspace) -> None:
    shell.start(made_workspace(viewer=True))
    shell.sign_in("vi@example.com")
    actions = shell.window.menu_actions
    assert not actions.audit_log.isEnabled()
    shell.click_menu(actions.workspace_menu, actions.members_settings)
    shell.qtbot.waitUntil(lambda: shell.window.admin.members is not None)
    admin = shell.window.admin.members
    assert enabled_buttons(admin.members_page) == []
    assert admin.members_page.reason.text().startswith("Read only. Your role (Viewer)")
    admin.close()
