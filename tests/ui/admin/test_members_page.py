"""The Members page: an Owner adds a member (a generated password shown once), changes
a role, deactivates, reactivates and resets a password; bad input is shown in the dialog
and changes nothing; a refused role change says why; an Admin never gets the Owner
role and loses the controls as soon as they step down.
The screenshot shows the page."""

from __future__ import annotations

import pytest
from admin_support import PASSWORD, add_member_dialog, enabled_buttons, fill, roles
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from flowbench.services import members, workspace
from flowbench.ui.session import SessionChange
from flowbench.ui.theme import Theme


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
