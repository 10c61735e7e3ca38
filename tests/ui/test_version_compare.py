"""Versions tab → Compare…: two chosen versions (or a version and the draft) side by side,
steps aligned by id, changed fields marked, added and removed steps shown."""

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

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"

WELCOME = Step("welcome", "send_card", title="Welcome", body="Hi", buttons=(Button("OK"),))
PAUSE = Step("pause", "wait_duration", parent="welcome", duration="P1D")
REMIND = Step("remind", "send_push", parent="pause", title="Reminder", body="Still there?")
THANKS = Step("thanks", "send_card", parent="pause", title="Thanks", body="Bye",
              buttons=(Button("OK"),))


@pytest.fixture
def compare_shell(shell: Any, made_workspace: Callable[..., Path]) -> Any:
    """Onboarding: Version 1 live (welcome, pause 1 day, remind); Version 2 draft (a new
    title, a 2-day pause, remind removed, thanks added)."""
    path = made_workspace()
    open_workspace(path)
    owner = sign_in(OWNER, PASSWORD)
    live = FlowDefinition(Trigger("api_event", event="signup"), (WELCOME, PAUSE, REMIND))
    flow = flows.create_flow(owner, "Onboarding", live)
    publishing.publish_draft(owner, flow.id)
    drafts.start_next_draft(owner, flow.id, expected_live=1)
    drafts.save_draft(owner, flow.id, live.with_steps((
        WELCOME.with_changes(title="Welcome aboard!"), PAUSE.with_changes(duration="P2D"),
        THANKS)), expected_version=2, expected_revision=1)
    close_workspace()
    shell.start(path)
    shell.sign_in()
    shell.click_flow("Onboarding")
    shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
    return shell


def test_compare_shows_the_live_version_and_the_draft_side_by_side(
        qtbot: QtBot, compare_shell: Any, screenshots: Callable[..., Path]) -> None:
    tab = compare_shell.window.versions_tab
    tab.select_version(1)
    assert tab.compare_button.isEnabled()
    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)
    dialog = tab.compare_dialog
    try:
        assert dialog is not None and dialog.isVisible()
        assert [dialog.tree.headerItem().text(c) for c in range(3)] == [
            "Step / field", "Version 1 (live)", "Version 2 (draft)"]
        assert dialog.rows() == [
            ("Trigger", "When the API event “signup” arrives",
             "When the API event “signup” arrives"),
            ("● welcome", "Send card “Welcome”", "Send card “Welcome aboard!”"),
            ("    ● pause", "Wait 1 day", "Wait 2 days"),
            ("        − remind", "Send push “Reminder”", "—"),
            ("        + thanks", "—", "Send card “Thanks”")]
        assert [row for row in dialog.fields(1) if row[0].startswith("●")] == [
            ("● title", "“Welcome”", "“Welcome aboard!”")]
        assert dialog.fields(2)[-1] == ("● duration", "1 day", "2 days")
        assert dialog.summary.text().startswith("Steps: 2 changed, 1 added, 1 removed.")
        shot = screenshots(dialog, "version-compare")
        assert shot.exists()

        dialog.choose(2, 2)  # the same version twice: nothing differs
        assert dialog.summary.text().startswith("Steps: 0 changed, 0 added, 0 removed. "
                                                "The two versions have the same content.")
        assert all(not row[0].startswith(("●", "＋", "−")) for row in dialog.rows())
    finally:
        dialog.close()


def test_compare_needs_two_versions(compare_shell: Any) -> None:
    tab = compare_shell.window.versions_tab
    tab.select_version(2)
    dialog = tab.compare_selected()  # the draft chosen: compared with the live version
    try:
        assert dialog is not None
        assert (dialog.before_choice.currentData(), dialog.after_choice.currentData()) == (1, 2)
    finally:
        dialog.close()
