"""The Groups and Settings pages: an Owner creates, renames, fills and deletes an
approval group (never the last one while approvals are on), switches approvals and
self-approval, renames the workspace and marks a test account."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowbench.services import members, workspace
from flowbench.services.runtime import customers as runtime_customers
from flowbench.ui.session import SessionChange


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
