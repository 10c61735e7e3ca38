"""The Members and Settings window: an Owner manages members, approval groups and
settings (each change visible through the services); a Viewer or an Editor can look but
finds nothing that changes data; bad input is refused clearly and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from flowbench.services import members, passwords, workspace
from flowbench.services.context import Actor
from flowbench.services.runtime import customers as runtime_customers
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.admin import AdminWindows
from flowbench.ui.admin.add_member_dialog import AddMemberDialog
from flowbench.ui.admin.members_window import MembersAndSettingsWindow
from flowbench.ui.main_actions import MainActions
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.theme import Theme

PASSWORD = "correct horse 1"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash each distinct password once per test (argon2id is slow on purpose)."""
    real, cache = passwords.hash_password, {}

    def cached(password: str) -> str:
        if password not in cache:
            cache[password] = real(password)
        return cache[password]

    monkeypatch.setattr(passwords, "hash_password", cached)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Actor]]:
    """An open workspace: Owner, Admin, Editor, Viewer; one group Legal."""
    open_workspace(tmp_path / "admin.flowbench")
    try:
        owner = workspace.create_workspace("Acme Production", "owner@example.com", "Olivia",
                                           PASSWORD)
        cast = {"owner": owner}
        for role, email, name in (("admin", "ada@example.com", "Ada"),
                                  ("editor", "ed@example.com", "Ed"),
                                  ("viewer", "vi@example.com", "Vi")):
            info = members.add_member(owner, email, name, role, PASSWORD)
            cast[role] = Actor(info.id, info.email, info.name, info.role)
        members.add_group(owner, "Legal")
        members.add_group_member(owner, "Legal", "ed@example.com")
        yield cast
    finally:
        close_workspace()


@pytest.fixture
def open_as(qtbot: QtBot, prompts, world) -> Callable[[str], MembersAndSettingsWindow]:
    def make(role: str) -> MembersAndSettingsWindow:
        session = AppSession()
        session.sign_in(world[role])
        window = MembersAndSettingsWindow(session, prompts)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


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


# --- an Owner administers ----------------------------------------------------------------------

def test_owner_adds_a_member_with_a_generated_password_shown_once(qtbot, open_as,
                                                                 prompts) -> None:
    window = open_as("owner")
    changes: list[SessionChange] = []
    window.session.changed.connect(changes.append)
    dialog = add_member_dialog(qtbot, window)
    try:
        generated = dialog.password.text()
        qtbot.mouseClick(dialog.generate, Qt.MouseButton.LeftButton)
        assert dialog.password.text() != generated and len(dialog.password.text()) >= 12
        generated = dialog.password.text()
        fill(qtbot, dialog, "Nina@Example.com", "Nina", "Publisher")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        dialog.close()
    assert roles()["nina@example.com"] == "publisher"
    assert workspace.sign_in("nina@example.com", generated).name == "Nina"
    title, text = prompts.informed[-1]
    assert title == "Member added" and generated in text
    assert any(c.members for c in changes)
    assert window.members_page.selected().email == "nina@example.com"
    assert window.members_page.count.text() == "5 active of 5 members"


def test_owner_changes_a_role_deactivates_reactivates_and_resets(qtbot, open_as,
                                                                 prompts) -> None:
    window = open_as("owner")
    page = window.members_page
    assert page.select_member("vi@example.com")
    page.role.setCurrentIndex(page.role.findText("Editor"))
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert roles()["vi@example.com"] == "editor"
    assert page.model.index(page.model.row_of("vi@example.com"), 2).data() == "Editor"

    assert page.select_member("ed@example.com")
    assert page.active_button.text() == "&Deactivate…"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert "Deactivate Ed <ed@example.com>?" in prompts.asked[-1][1]
    assert members.get_member("ed@example.com").active is False
    assert page.model.index(page.model.row_of("ed@example.com"), 3).data() == "Deactivated"
    assert page.active_button.text() == "Re&activate"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert members.get_member("ed@example.com").active is True

    prompts.texts.append("a brand new secret")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert workspace.sign_in("ed@example.com", "a brand new secret").email == "ed@example.com"
    assert "a brand new secret" in prompts.informed[-1][1]


def test_declining_the_deactivation_question_changes_nothing(qtbot, open_as,
                                                             prompts) -> None:
    window = open_as("owner")
    prompts.confirm_answer = False
    window.members_page.select_member("ada@example.com")
    qtbot.mouseClick(window.members_page.active_button, Qt.MouseButton.LeftButton)
    assert members.get_member("ada@example.com").active is True


def test_owner_creates_renames_and_fills_an_approval_group(qtbot, open_as, prompts) -> None:
    window = open_as("owner")
    window.tabs.setCurrentWidget(window.groups_page)
    page = window.groups_page
    prompts.texts.append("Marketing")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert "Marketing" in members.list_groups()
    assert page.selected_group() == "Marketing"
    page.candidates.setCurrentIndex(page.candidates.findData("ada@example.com"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.candidates.setCurrentIndex(page.candidates.findData("vi@example.com"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert members.list_groups()["Marketing"] == ["ada@example.com", "vi@example.com"]
    assert [page.members.item(i).text() for i in range(page.members.count())] == [
        "Ada <ada@example.com>", "Vi <vi@example.com>"]
    assert page.member_emails() == ["ada@example.com", "vi@example.com"]
    assert page.candidates.findData("ada@example.com") == -1  # already in the group
    # the Members page follows: Ada's row names her group
    members_page = window.members_page
    row = members_page.model.row_of("ada@example.com")
    assert members_page.model.index(row, 4).data() == "Marketing"

    page.members.setCurrentRow(1)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert members.list_groups()["Marketing"] == ["ada@example.com"]
    prompts.texts.append("Brand")
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert list(members.list_groups()) == ["Brand", "Legal"]
    assert page.selected_group() == "Brand"
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert list(members.list_groups()) == ["Legal"]


def test_owner_toggles_approvals_and_self_approval(qtbot, open_as) -> None:
    window = open_as("owner")
    page = window.settings_page
    changes: list[SessionChange] = []
    window.session.changed.connect(changes.append)
    qtbot.mouseClick(page.approvals, Qt.MouseButton.LeftButton)
    assert workspace.workspace_info().approvals_enabled is True
    assert any(c.settings for c in changes)
    qtbot.mouseClick(page.self_approval, Qt.MouseButton.LeftButton)
    assert workspace.workspace_info().allow_self_approval is True
    qtbot.mouseClick(page.approvals, Qt.MouseButton.LeftButton)
    assert workspace.workspace_info().approvals_enabled is False
    assert not page.approvals.isChecked()
    assert "Legal" in page.groups_note.text()


def test_approvals_without_a_group_are_refused_and_the_box_goes_back(qtbot, open_as,
                                                                     prompts) -> None:
    window = open_as("owner")
    members.remove_group(window.session.actor, "Legal")
    window.refresh()
    page = window.settings_page
    qtbot.mouseClick(page.approvals, Qt.MouseButton.LeftButton)
    assert prompts.errors == [("Approvals not changed",
                               "Add an approval group before switching approvals on.")]
    assert not page.approvals.isChecked()
    assert workspace.workspace_info().approvals_enabled is False


def test_owner_renames_the_workspace_and_marks_a_test_account(qtbot, open_as,
                                                              prompts) -> None:
    window = open_as("owner")
    page = window.settings_page
    page.name.clear()
    qtbot.keyClicks(page.name, "Acme Staging")
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    assert workspace.workspace_info().name == "Acme Staging"
    assert window.session.workspace_name == "Acme Staging"
    prompts.texts.append("qa-1")
    qtbot.mouseClick(page.mark_button, Qt.MouseButton.LeftButton)
    assert [c.id for c in runtime_customers.list_customers(test=True)] == ["qa-1"]
    assert page.test_accounts.item(0).text() == "qa-1"
    page.test_accounts.setCurrentRow(0)
    qtbot.mouseClick(page.unmark_button, Qt.MouseButton.LeftButton)
    assert runtime_customers.list_customers(test=True) == []


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("email, name, password, says", [
    ("", "Nobody", None, "An email address is needed."),
    ("not-an-email", "Nobody", None, "is not an email address"),
    ("ED@example.com", "Ed Again", None, "A member with the email 'ed@example.com' already"),
    ("new@example.com", "New", "short", "at least 8 characters"),
    ("new@example.com", "  ", None, "The member needs a name."),
])
def test_bad_input_is_shown_in_the_dialog_and_adds_nobody(qtbot, open_as, email: str,
                                                          name: str, password: str | None,
                                                          says: str) -> None:
    window = open_as("owner")
    before = members.list_members()
    dialog = add_member_dialog(qtbot, window)
    try:
        fill(qtbot, dialog, email, name, "Editor", password)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible(), "a refused member keeps the dialog open"
        assert dialog.error.isVisible() and says in dialog.error.text()
        assert dialog.email.text() == email  # what was typed is kept
    finally:
        dialog.close()
    assert members.list_members() == before


def test_an_admin_is_not_offered_the_owner_role(open_as) -> None:
    window = open_as("admin")
    assert window.members_page.role.findText("Owner") == -1
    assert window.members_page.role.findText("Admin") >= 0


def test_a_refused_role_change_is_shown_and_changes_nothing(qtbot, open_as, prompts) -> None:
    window = open_as("owner")
    page = window.members_page
    page.select_member("owner@example.com")  # the only Owner
    page.role.setCurrentIndex(page.role.findText("Admin"))
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert prompts.asked[-1][0] == "Change your own role?"
    assert prompts.errors[-1] == ("Role not changed",
                                  "The workspace must keep at least one active Owner.")
    assert roles()["owner@example.com"] == "owner"
    assert page.role.currentText() == "Owner"  # shows what is stored again
    assert not page.active_button.isEnabled()
    assert page.active_button.toolTip().startswith("You cannot deactivate yourself")


def test_an_admin_who_steps_down_loses_the_controls_at_once(qtbot, open_as) -> None:
    window = open_as("admin")
    page = window.members_page
    page.select_member("ada@example.com")
    page.role.setCurrentIndex(page.role.findText("Editor"))
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    assert roles()["ada@example.com"] == "editor"
    assert window.session.actor.role == "editor"
    assert enabled_buttons(page) == []
    assert page.reason.text().startswith("Read only. Your role (Editor)")


# --- members who may not administer ---------------------------------------------------------

def enabled_buttons(root: QWidget) -> list[str]:
    return sorted(b.text() for b in root.findChildren(QPushButton)
                  if b.isEnabled() and b.isVisibleTo(root))


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


# --- the menu ---------------------------------------------------------------------------------

def test_the_workspace_menu_follows_the_role(qtbot, world) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    actions = MainActions(window)
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


def test_screenshot(qtbot, open_as, world, screenshots) -> None:
    owner = world["owner"]
    for email, name, role in (("pat@example.com", "Pat Publisher", "publisher"),
                              ("lee@example.com", "Lee Legal", "editor")):
        members.add_member(owner, email, name, role, PASSWORD)
    members.add_group(owner, "Marketing")
    members.add_group_member(owner, "Marketing", "pat@example.com")
    members.add_group_member(owner, "Legal", "lee@example.com")
    members.deactivate(owner, "vi@example.com")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Theme(app).apply(dark=False)  # the look of the real app (undone at the end)
    try:
        window = open_as("owner")
        window.resize(900, 520)
        window.members_page.select_member("pat@example.com")
        window.note.setText("Added pat@example.com as Publisher.")
        qtbot.waitExposed(window)
        path = screenshots(window, "members")
    finally:
        app.setStyleSheet("")
    assert path.stat().st_size > 10_000


# --- from the main window ---------------------------------------------------------------------

def unnamed(root: QWidget) -> list[str]:
    """Focusable, visible widgets with neither an accessible name nor a text."""
    from PySide6.QtWidgets import QAbstractScrollArea

    missing = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            continue
        name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
        if not name.replace("&", "").strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


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


# --- changing one's own password ----------------------------------------------------------------

@pytest.mark.parametrize("current, new, again, says", [
    ("wrong password", "a new passphrase", "a new passphrase", "The current password is wrong."),
    (PASSWORD, "a new passphrase", "a new passfrase", "The two new passwords differ"),
    (PASSWORD, "short", "short", "at least 8 characters"),
    (PASSWORD, PASSWORD, PASSWORD, "the same as the current one"),
])
def test_a_refused_password_change_says_why_and_keeps_the_old_one(
        qtbot, prompts, world, current: str, new: str, again: str, says: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    session = AppSession()
    session.sign_in(world["editor"])
    dialog = AdminWindows(session, prompts, parent).open_change_password()
    assert dialog is not None
    try:
        for field, text in ((dialog.current, current), (dialog.new, new),
                            (dialog.repeat, again)):
            qtbot.keyClicks(field, text)
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and says in dialog.error.text()
    finally:
        dialog.close()
    assert workspace.sign_in("ed@example.com", PASSWORD).email == "ed@example.com"


def test_a_member_changes_their_password_from_the_workspace_menu(shell,
                                                                  made_workspace) -> None:
    from flowbench.ui.admin.change_password_dialog import ChangePasswordDialog

    shell.start(made_workspace(viewer=True))
    shell.sign_in("vi@example.com")
    actions = shell.window.menu_actions
    shell.click_menu(actions.workspace_menu, actions.change_password)
    shell.qtbot.waitUntil(lambda: isinstance(shell.window.admin.password,
                                             ChangePasswordDialog))
    dialog = shell.window.admin.password
    try:
        shell.qtbot.keyClicks(dialog.current, PASSWORD)
        shell.qtbot.keyClicks(dialog.new, "my own passphrase")
        shell.qtbot.keyClicks(dialog.repeat, "my own passphrase")
        shell.qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
        shell.qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        dialog.close()
    assert shell.window.statusBar().currentMessage() == "Your password was changed."
    assert workspace.sign_in("vi@example.com", "my own passphrase").email == "vi@example.com"


def test_with_approvals_on_the_last_group_cannot_be_deleted(qtbot, open_as, prompts) -> None:
    window = open_as("owner")
    workspace.set_approvals(window.session.actor, True)
    window.refresh()
    page = window.groups_page
    assert page.selected_group() == "Legal"
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert prompts.errors[-1][0] == "Group not deleted"
    assert "keep at least one approval group" in prompts.errors[-1][1]
    assert list(members.list_groups()) == ["Legal"]
    assert page.groups.count() == 1
