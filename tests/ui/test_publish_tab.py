"""The Publish tab on its own: what blocks and why, approvals with Approve / Reject…,
a Viewer who can change nothing, validation errors that lead to the Edit tab, and the
tab following changes made elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from accessibility import unnamed
from publish_gui_world import World, make_world, stage_draft
from publishing_world import onboarding
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from flowbench.services import approvals, drafts, workspace
from flowbench.ui.main_window import EDIT_TAB, PUBLISH_TAB
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.session import AppSession, SessionChange

pytestmark = pytest.mark.ui


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())


@contextmanager
def tab_for(qtbot: QtBot, world: World, actor: Any, prompts: Any,
            draft: bool = True) -> Iterator[PublishTab]:
    session = AppSession()
    session.open_workspace(world.path)
    if draft:
        stage_draft(world)
    session.sign_in(actor)
    tab = PublishTab(session, prompts)
    qtbot.addWidget(tab)
    tab.resize(900, 650)
    tab.show()
    tab.show_flow(world.flow_id)
    try:
        yield tab
    finally:
        session.close_workspace()


def test_a_viewer_can_change_nothing_and_is_told_why(qtbot: QtBot, world: World,
                                                     prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.viewer, prompts) as tab:
        assert tab.approvals_section.isVisible()
        buttons = [b for b in tab.findChildren(QPushButton) if b.isVisibleTo(tab)
                   and not tab.forecast.isAncestorOf(b)]  # the forecast changes nothing
        assert len(buttons) == 5  # Approve and Reject… for two groups, and Publish…
        assert not any(button.isEnabled() for button in buttons)
        assert "Your role (Viewer) does not allow you to publish flows." in tab.reason.text()
        assert tab.approval_panel.note.text() == \
            "Your role (Viewer) does not allow you to approve drafts."
        assert "Cannot publish yet." in tab.state.text()
        assert tab.open_publish_dialog() is None and tab.dialog is None
        # the summary is there to read all the same
        assert "Welcome aboard!" in tab.summary.text()
        assert "Version 1 (live)" in tab.previous.text()


def test_an_approver_approves_and_another_rejects_with_a_comment(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.legal, prompts) as tab:
        panel = tab.approval_panel
        assert panel.approve_buttons["Legal"].isEnabled()
        assert not panel.approve_buttons["Marketing"].isEnabled()
        assert "not a member" in panel.approve_buttons["Marketing"].toolTip()
        assert panel.note.text() == ""  # they may act for a group: nothing to explain
        qtbot.mouseClick(panel.approve_buttons["Legal"], Qt.MouseButton.LeftButton)
        assert "Approved by Legal" in panel.state_labels["Legal"].text()
        assert not panel.approve_buttons["Legal"].isEnabled()  # done; Reject… still there
        assert panel.reject_buttons["Legal"].isEnabled()
        prompts.texts.append("The tone is too pushy for a first card.")
        qtbot.mouseClick(panel.reject_buttons["Legal"], Qt.MouseButton.LeftButton)
        assert "Rejected by Legal — “The tone is too pushy for a first card.”" in \
            panel.state_labels["Legal"].text()
        assert "Waiting for approval from Legal and Marketing." in tab.reason.text()
        prompts.texts.append(None)  # the member thinks better of it: nothing recorded
        assert tab.reject("Legal") is False
        assert approvals.approval_view(world.flow_id).state == "rejected"


def test_the_tab_follows_approvals_and_settings_changed_elsewhere(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.publisher, prompts) as tab:
        assert not tab.publish_button.isEnabled()
        assert "Waiting for approval from Legal and Marketing." in tab.reason.text()
        approvals.approve(world.cast.legal, world.flow_id, "Legal")
        tab.session.notify(SessionChange.for_flow(world.flow_id))
        assert "Waiting for approval from Marketing." in tab.reason.text()
        workspace.set_approvals(world.cast.owner, False)
        tab.session.notify(SessionChange(settings=True))
        assert not tab.approvals_section.isVisible()
        assert tab.publish_button.isEnabled() and "Ready to publish" in tab.state.text()
        assert tab.reason.text() == "Nothing blocks publishing."


def test_an_editor_is_refused_approving_their_own_draft_even_bypassing_the_button(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.editor, prompts) as tab:
        assert not tab.approval_panel.approve_buttons["Legal"].isEnabled()
        assert tab.approve("Legal") is False  # the service decides, and says why
        assert prompts.errors == [("Not approved", "You edited this draft, so you cannot "
                                                   "approve it yourself.")]


def test_validation_errors_block_and_each_leads_to_its_place_in_the_edit_tab(
        qtbot: QtBot, shell: Any, world: World) -> None:
    from flowbench.store.connection import close_workspace, open_workspace

    open_workspace(world.path)
    seen = drafts.open_flow(world.flow_id)
    drafts.save_draft(world.cast.editor, world.flow_id, onboarding(title=""),  # no title
                      expected_version=seen.version, expected_revision=seen.revision)
    close_workspace()
    shell.start(world.path)
    shell.sign_in("publisher@example.com", "correct horse battery")
    shell.click_flow("Onboarding")
    window = shell.window
    window.tabs.setCurrentIndex(PUBLISH_TAB)
    tab = window.publish_tab
    assert tab.errors_section.isVisible() and tab.errors.count() >= 1
    assert not tab.publish_button.isEnabled()
    assert "validation error" in tab.reason.text()
    item = tab.errors.item(0)
    assert "title" in item.text().lower()
    rect = tab.errors.visualItemRect(item)
    qtbot.mouseClick(tab.errors.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tabs.currentIndex() == EDIT_TAB
    assert window.edit_tab.step_form.step_id == "welcome"



def test_the_tab_and_the_dialog_name_their_controls(qtbot: QtBot, world: World,
                                                    prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.owner, prompts) as tab:
        assert unnamed(tab) == []
        dialog = tab.open_publish_dialog()
        assert dialog is not None
        try:
            assert dialog.accessibleName() and unnamed(dialog) == []
        finally:
            dialog.reject()


class UnsavedEdits:
    def has_unsaved_changes(self) -> bool:
        return True


def test_unsaved_edits_in_the_edit_tab_are_mentioned_before_publishing(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.owner, prompts) as tab:
        tab.edits = UnsavedEdits()
        prompts.confirm_answer = False
        assert tab.open_publish_dialog() is None
        assert prompts.asked[-1][0] == "Unsaved edits"
        prompts.confirm_answer = True
        dialog = tab.open_publish_dialog()
        assert dialog is not None
        dialog.reject()


def test_a_hidden_tab_catches_up_when_shown(qtbot: QtBot, world: World,
                                            prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.publisher, prompts) as tab:
        tab.hide()
        approvals.approve(world.cast.legal, world.flow_id, "Legal")
        tab.session.notify(SessionChange.for_flow(world.flow_id))
        assert "Legal and Marketing" in tab.reason.text()  # not read while hidden
        tab.show()
        assert "Waiting for approval from Marketing." in tab.reason.text()


def test_the_tab_and_dialog_follow_a_dark_palette(qtbot: QtBot, world: World, prompts: Any,
                                                  dark_scheme: Callable[[bool], None]) -> None:
    with tab_for(qtbot, world, world.cast.owner, prompts) as tab:
        assert "#FFF4D6" in tab.styleSheet()  # the light banner
        dark_scheme(True)  # what the theme does when the system goes dark
        qtbot.waitUntil(lambda: "#3a3220" in tab.styleSheet())
        assert "#a3abb8" in tab.summary.text()
        dialog = tab.open_publish_dialog()
        assert dialog is not None
        try:
            assert "#3a3220" in dialog.styleSheet()
        finally:
            dialog.reject()


def test_without_a_draft_the_tab_says_there_is_nothing_to_publish(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.publisher, prompts, draft=False) as tab:
        assert tab.heading.text() == "“Onboarding” — Version 1 is live"
        assert tab.state.text().startswith("ℹ  Nothing to publish: Version 1 is live.")
        assert not tab.publish_button.isEnabled()
        assert "has no draft" in tab.reason.text()
        assert not tab.summary_section.isVisibleTo(tab)
        assert not tab.approvals_section.isVisibleTo(tab)
        assert "Version 1 (live)" in tab.previous.text()  # still running, still shown


def test_an_approval_of_a_draft_changed_meanwhile_is_refused_and_shown_again(
        qtbot: QtBot, world: World, prompts: Any) -> None:
    with tab_for(qtbot, world, world.cast.legal, prompts) as tab:
        seen = drafts.open_flow(world.flow_id)  # the Editor saves again, unseen here
        drafts.save_draft(world.cast.editor, world.flow_id, onboarding(title="Hi again"),
                          expected_version=seen.version, expected_revision=seen.revision)
        qtbot.mouseClick(tab.approval_panel.approve_buttons["Legal"],
                         Qt.MouseButton.LeftButton)
        (title, text), = prompts.errors
        assert title == "Not approved" and "changed since you looked" in text
        assert "Hi again" in tab.summary.text()
        assert "Waiting for approval" in tab.approval_panel.state_labels["Legal"].text()
