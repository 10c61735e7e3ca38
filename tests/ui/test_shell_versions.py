"""The Versions tab: versions appear as they are published, and a published version is
restored as the draft — asking first when that would replace changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts, flows, publishing
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import VERSIONS_TAB
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"


def card_flow(title: str) -> FlowDefinition:
    return FlowDefinition(Trigger("manual"), (
        Step("card_1", "send_card", title=title, body="Body text.", buttons=(Button("OK"),)),))


def rows(shell: Any) -> list[tuple[str, ...]]:
    model = shell.window.versions_tab.model
    return [tuple(model.index(r, c).data() for c in (0, 1, 2, 4))
            for r in range(model.rowCount())]


@pytest.fixture
def flow_shell(shell: Any, made_workspace: Callable[..., Path]) -> Any:
    path = made_workspace()
    open_workspace(path)
    flows.create_flow(sign_in(OWNER, PASSWORD), "Renewal reminder", card_flow("Renew now"))
    close_workspace()
    shell.start(path)
    shell.sign_in()
    shell.click_flow("Renewal reminder")
    shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
    return shell


def test_versions_appear_after_a_publish_through_the_service(flow_shell: Any) -> None:
    shell = flow_shell
    owner, flow_id = shell.session.actor, shell.window.current_flow()
    assert rows(shell) == [("Version 1", "Draft", "Olivia Owner", "—")]
    assert not shell.window.versions_tab.restore_button.isEnabled()

    publishing.publish_draft(owner, flow_id)
    shell.session.notify(SessionChange.for_flow(flow_id))
    assert rows(shell) == [("Version 1", "Live", "Olivia Owner", "Olivia Owner")]
    assert shell.flow_names() == ["Renewal reminder"]
    assert flows.list_flows()[0].live_version == 1

    drafts.start_next_draft(owner, flow_id, expected_live=1)
    live = drafts.open_flow(flow_id)
    drafts.save_draft(owner, flow_id, card_flow("Renew today"), expected_version=live.version,
                      expected_revision=live.revision)
    publishing.publish_draft(owner, flow_id)
    shell.session.notify(SessionChange.for_flow(flow_id))
    assert rows(shell) == [("Version 2", "Live", "Olivia Owner", "Olivia Owner"),
                           ("Version 1", "Previous", "Olivia Owner", "Olivia Owner")]
    published = shell.window.versions_tab.model.index(0, 5).data()
    assert published[:2] == "20" and len(published) == len("2026-01-01 09:30")


def test_restore_asks_when_the_draft_has_changes(qtbot: QtBot, flow_shell: Any) -> None:
    shell = flow_shell
    owner, flow_id = shell.session.actor, shell.window.current_flow()
    tab = shell.window.versions_tab
    publishing.publish_draft(owner, flow_id)  # Version 1 live: "Renew now"
    drafts.save_draft(owner, flow_id, card_flow("Renew later"), expected_version=1,
                      expected_revision=1)  # Version 2 draft with changes
    shell.session.notify(SessionChange.for_flow(flow_id))
    assert [r[:2] for r in rows(shell)] == [("Version 2", "Draft"), ("Version 1", "Live")]
    assert tab.selected_version().number == 1  # a published one is picked first

    shell.prompts.confirm_answer = False
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    title, text = shell.prompts.asked[-1]
    assert title == "Restore as draft?" and "has saved changes" in text
    assert drafts.get_draft(flow_id).definition == card_flow("Renew later")  # untouched

    shell.prompts.confirm_answer = True
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    draft = drafts.get_draft(flow_id)
    assert draft.version == 2 and draft.definition == card_flow("Renew now")
    assert "Version 2 is now a draft" in shell.window.statusBar().currentMessage()

    asked = len(shell.prompts.asked)  # the draft now equals the live version: no question
    tab.select_version(1)
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert len(shell.prompts.asked) == asked


def test_a_restore_over_a_draft_saved_meanwhile_is_refused_and_the_tab_catches_up(
        qtbot: QtBot, flow_shell: Any) -> None:
    shell = flow_shell
    owner, flow_id = shell.session.actor, shell.window.current_flow()
    tab = shell.window.versions_tab
    publishing.publish_draft(owner, flow_id)  # Version 1 live: "Renew now"
    drafts.save_draft(owner, flow_id, card_flow("Renew later"), expected_version=1,
                      expected_revision=1)  # Version 2 draft
    shell.session.notify(SessionChange.for_flow(flow_id))
    tab.select_version(1)
    # saved elsewhere; the tab is not told, so it still shows the draft's older revision
    drafts.save_draft(owner, flow_id, card_flow("Renew soon"), expected_version=2,
                      expected_revision=1)
    shell.prompts.confirm_answer = True
    assert not tab.restore_selected()
    assert shell.prompts.errors[-1][0] == "Not restored"
    assert drafts.get_draft(flow_id).definition == card_flow("Renew soon")  # untouched
    assert tab.model.versions()[0].revision == 2  # refreshed: the newer revision is shown
    assert "is now a draft" not in shell.window.statusBar().currentMessage()
