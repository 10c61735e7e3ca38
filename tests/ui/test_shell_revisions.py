"""No draft content is lost in the window: the Versions tab lists every kept revision of
the draft, shows one and restores it as the next revision; importing over a draft
another member saved last asks first (No is the default)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.flow_file import dump_flow_file
from flowbench.services import drafts, flows, members, revisions
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import VERSIONS_TAB
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
OWNER, ANA, PASSWORD = "owner@example.com", "ana@example.com", "correct horse 1"


def card_flow(title: str) -> FlowDefinition:
    return FlowDefinition(Trigger("manual"), (
        Step("card_1", "send_card", title=title, body="Body text.", buttons=(Button("OK"),)),))


def save_as(email: str, flow_id: int, title: str) -> None:
    seen = drafts.open_flow(flow_id)
    drafts.save_draft(sign_in(email, PASSWORD), flow_id, card_flow(title),
                      expected_version=seen.version, expected_revision=seen.revision)


@pytest.fixture
def revised_shell(shell: Any, made_workspace: Callable[..., Path]) -> Any:
    """'Renewal reminder' with three revisions: the Owner's 1, Ana's 2 and 3."""
    path = made_workspace()
    open_workspace(path)
    owner = sign_in(OWNER, PASSWORD)
    members.add_member(owner, ANA, "Ana", "editor", PASSWORD)
    flow_id = flows.create_flow(owner, "Renewal reminder", card_flow("Renew now")).id
    save_as(ANA, flow_id, "Renew today")
    save_as(ANA, flow_id, "Renew this week")
    close_workspace()
    shell.start(path)
    shell.sign_in()
    shell.click_flow("Renewal reminder")
    shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
    return shell


def revision_rows(shell: Any) -> list[tuple[str, str]]:
    model = shell.window.versions_tab.revisions.model
    return [(model.index(r, 0).data(), model.index(r, 1).data())
            for r in range(model.rowCount())]


def test_the_versions_tab_shows_and_restores_an_earlier_revision(
        qtbot: QtBot, revised_shell: Any, screenshots) -> None:
    shell = revised_shell
    panel = shell.window.versions_tab.revisions
    assert revision_rows(shell) == [("Revision 3 (current)", "Ana"), ("Revision 2", "Ana"),
                                    ("Revision 1", "Olivia Owner")]
    assert not panel.restore_button.isEnabled()  # the current one is the draft already
    assert panel.select_revision(1) and panel.restore_button.isEnabled()
    screenshots(shell.window, "versions-revisions")
    assert panel.show_selected()
    title, text = shell.prompts.informed[-1]
    assert title == "Revision 1" and "Renew now" in text and "saved by Olivia Owner" in text
    assert panel.restore_selected()
    flow_id = shell.window.current_flow()
    draft = drafts.open_flow(flow_id)
    assert (draft.revision, draft.definition) == (4, card_flow("Renew now"))
    assert [r.revision for r in revisions.list_revisions(flow_id)] == [1, 2, 3, 4]
    assert revision_rows(shell)[0] == ("Revision 4 (current)", "Olivia Owner")
    assert drafts.revision_content(flow_id, 3).definition == card_flow("Renew this week")


def _flow_file(folder: Path, title: str) -> Path:
    path = folder / "renewal.flowbench.json"
    definition = card_flow(title)
    path.write_text(dump_flow_file("Renewal reminder", definition), encoding="utf-8")
    return path


@pytest.mark.parametrize("answer", [False, True])
def test_importing_over_a_draft_another_member_saved_asks_first(
        revised_shell: Any, tmp_path: Path, answer: bool) -> None:
    shell = revised_shell
    flow_id = shell.window.current_flow()
    shell.prompts.confirm_answer = answer
    task = shell.window.transfer.import_flow(_flow_file(tmp_path, "From the file"))
    title, text = shell.prompts.asked[-1]
    assert title == "Replace the draft?"
    assert text == ("Ana saved revision 3 of this draft moments ago. Replace it with the "
                    "file? Ana's revision stays in the history.")
    if not answer:
        assert task is None
        assert drafts.open_flow(flow_id).revision == 3
        return
    shell.qtbot.waitUntil(lambda: drafts.open_flow(flow_id).revision == 4, timeout=10_000)
    shell.session.notify(SessionChange.for_flow(flow_id))
    assert drafts.revision_content(flow_id, 3).definition == card_flow("Renew this week")
    assert drafts.open_flow(flow_id).definition == card_flow("From the file")


def test_a_revision_restored_over_a_draft_saved_meanwhile_is_refused(
        qtbot: QtBot, revised_shell: Any) -> None:
    shell = revised_shell
    panel = shell.window.versions_tab.revisions
    flow_id = shell.window.current_flow()
    assert panel.select_revision(1)
    save_as(ANA, flow_id, "Renew next week")  # revision 4; the panel is not told
    shell.prompts.confirm_answer = True
    assert not panel.restore_selected()
    assert shell.prompts.errors[-1][0] == "Not restored"
    assert drafts.open_flow(flow_id).definition == card_flow("Renew next week")  # untouched
    assert revision_rows(shell)[0] == ("Revision 4 (current)", "Ana")  # caught up
