"""The window on an offline copy (PostgreSQL only): File → Work Offline opens the copy
with the member still signed in and "Offline copy" in the title; what needs the team is
disabled with the reason; File → Sync shows a conflict side by side, and taking a side
per step sends the mix as a new revision."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import remember_hashing
from offline_world import PASSWORD, build_acme, definition, edit
from workspaces import POSTGRES_URL, create_database, drop_database, read_rows

from flowbench.domain.offline_merge import Side
from flowbench.services.context import Actor
from flowbench.ui.offline.conflict_dialog import ConflictDialog

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")
REFUSAL = "This is an offline copy of Acme: approve/publish when back online"
DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
SUPPORT = Path(__file__).resolve().parents[1] / "support"


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    remember_hashing(monkeypatch)
    url = create_database()
    try:
        build_acme(url)
        yield url
    finally:
        drop_database(url)


def colleague_edits_beta(team: str) -> None:
    """Eve saves Beta on the server, from her own process, while the window is offline."""
    code = ("from offline_world import *\n"
            f"with opened({team!r}, 'eve') as eve:\n"
            "    edit(eve, 'Beta', definition('Eve title', wait='P1D'))\n")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(DESKTOP), str(SUPPORT)])}
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_working_offline_then_syncing_a_conflict_and_taking_a_side_per_step(
        shell, team: str, tmp_path: Path, screenshots) -> None:
    window, actions = shell.window, shell.window.menu_actions
    shell.start(team)
    shell.sign_in("pat@example.com", PASSWORD)
    assert actions.work_offline.isEnabled() and not actions.sync_offline.isEnabled()
    copy = tmp_path / "acme-offline.flowbench"
    shell.prompts.files = [copy]
    actions.work_offline.trigger()
    shell.qtbot.waitUntil(lambda: shell.session.offline_copy_of == "Acme")
    shell.wait_for_flow_list()
    assert shell.session.signed_in and shell.session.actor.email == "pat@example.com"
    assert "Offline copy" in window.windowTitle() and "Acme" in window.windowTitle()
    assert actions.sync_offline.isEnabled() and not actions.work_offline.isEnabled()
    # Publishing needs the team: disabled, with the reason.
    shell.click_flow("Alpha")
    window.tabs.setCurrentIndex(1)
    shell.qtbot.waitUntil(lambda: REFUSAL in window.publish_tab.reason.text())
    assert not window.publish_tab.publish_button.isEnabled()
    assert REFUSAL in actions.members_settings.toolTip()

    actor: Actor = shell.session.actor
    edit(actor, "Beta", definition("Pat title", wait="P5D"))
    colleague_edits_beta(team)
    actions.sync_offline.trigger()
    shell.qtbot.waitUntil(lambda: isinstance(window.offline.dialog, ConflictDialog))
    dialog = window.offline.dialog
    try:
        rows = dict((row[0], row[1:]) for row in dialog.rows())
        assert rows["Step “welcome”"] == ("Send card “Beta card”", "● Send card “Pat title”",
                                          "● Send card “Eve title”")
        assert rows["Step “later”"] == ("Wait 2 days", "● Wait 5 days", "● Wait 1 day")
        assert not dialog.take_chosen.isEnabled()  # both changed "welcome": choose first
        screenshots(dialog, "offline-conflict")
        dialog.choose("welcome", Side.MINE)
        dialog.choose("later", Side.THEIRS)
        assert dialog.take_chosen.isEnabled()
        dialog.take_chosen.click()
        shell.qtbot.waitUntil(lambda: window.offline.dialog is None, timeout=60_000)
        assert "Resolved “Beta”. Outcome: sent." in window.statusBar().currentMessage()
    finally:
        if window.offline.dialog is dialog:  # still open: the test failed above
            dialog.reject()
    [(revision, text)] = read_rows(team, "SELECT v.revision, v.definition FROM flow_version v "
                                   "JOIN flow f ON f.id = v.flow_id WHERE f.name = 'Beta' "
                                   "AND v.status = 'draft'")
    assert revision == 3 and "Pat title" in text and "P1D" in text
    assert shell.session.signed_in and "Offline copy" in window.windowTitle()
