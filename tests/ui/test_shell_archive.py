"""Archive, unarchive and duplicate from the flow list (File menu and context menu), and
the "Show archived" filter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts, flows, members, publishing
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"


def definition(title: str) -> FlowDefinition:
    return FlowDefinition(Trigger("api_event", event="signed_up"), (
        Step("card_1", "send_card", title=title, body="Hi", buttons=(Button("OK"),)),))


@pytest.fixture
def two_flows(made_workspace: Callable[..., Path]) -> Iterator[Path]:
    """Alpha (live "Live title", draft "Draft title") and Beta (draft); Ed an Editor."""
    path = made_workspace()
    open_workspace(path)
    owner = sign_in(OWNER, PASSWORD)
    members.add_member(owner, "ed@example.com", "Ed", "editor", PASSWORD)
    flows.create_flow(owner, "Alpha", definition("Live title"))
    publishing.publish_draft(owner, "Alpha")
    current = drafts.start_next_draft(owner, "Alpha", 1)
    drafts.save_draft(owner, "Alpha", definition("Draft title"),
                      expected_version=current.version, expected_revision=current.revision)
    flows.create_flow(owner, "Beta", definition("Beta"))
    close_workspace()
    yield path


def test_archive_then_show_archived_then_unarchive(shell: Any, two_flows: Path) -> None:
    shell.start(two_flows)
    shell.sign_in()
    actions = shell.window.menu_actions
    shell.click_flow("Beta")
    assert actions.archive_flow in shell.window.flow_list.view.actions()  # context menu
    shell.click_menu(actions.file_menu, actions.archive_flow)
    assert shell.prompts.asked[-1][0] == "Archive flow?"
    assert shell.flow_names() == ["Alpha"]
    assert shell.window.current_flow() is None
    assert [f.name for f in flows.list_flows(include_archived=True) if f.archived] == ["Beta"]

    shell.window.flow_list.show_archived.setChecked(True)
    assert actions.show_archived.isChecked()
    assert shell.flow_names() == ["Alpha", "Beta (archived)"]
    shell.window.flow_list.grab().save("/tmp/i15-flow-list-archived.png")
    shell.click_flow("Beta (archived)")
    assert actions.unarchive_flow.isEnabled() and not actions.archive_flow.isVisible()
    shell.click_menu(actions.file_menu, actions.unarchive_flow)
    assert shell.flow_names() == ["Alpha", "Beta"]
    actions.show_archived.trigger()  # the Edit menu's twin of the check box
    assert not shell.window.flow_list.show_archived.isChecked()


def test_duplicate_copies_the_live_version_into_a_new_flow(shell: Any, two_flows: Path
                                                           ) -> None:
    shell.start(two_flows)
    shell.sign_in()
    actions = shell.window.menu_actions
    shell.click_flow("Alpha")
    shell.prompts.texts.append("Alpha again")
    shell.click_menu(actions.file_menu, actions.duplicate_flow)
    assert "content of its live version" in shell.prompts.asked[-1][1]
    assert shell.flow_names() == ["Alpha", "Alpha again", "Beta"]
    created = next(f for f in flows.list_flows() if f.name == "Alpha again")
    assert shell.window.current_flow() == created.id
    assert (created.live_version, created.draft_version) == (None, 1)
    copy = drafts.open_flow(created.id).definition
    assert copy.steps[0].title == "Live title"


def test_an_editor_may_duplicate_but_not_archive(shell: Any, two_flows: Path) -> None:
    shell.start(two_flows)
    shell.sign_in("ed@example.com")
    actions = shell.window.menu_actions
    shell.click_flow("Beta")
    assert actions.duplicate_flow.isEnabled()
    assert not actions.archive_flow.isEnabled()
    assert actions.archive_flow.toolTip() == \
        "Your role (Editor) does not allow you to archive flows."
