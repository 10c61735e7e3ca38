"""The window beside other processes and storage faults: it keeps refreshing while another
process publishes, a save that finds the workspace busy says so and keeps the edit, and a
workspace that cannot be written opens read-only with every edit disabled and why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from publish_gui_world import make_world, stage_draft
from publishing_world import PASSWORD as WORLD_PASSWORD
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.errors import WorkspaceBusy
from flowbench.services import drafts, flows
from flowbench.services.workspace import sign_in
from flowbench.store.connection import ENV_BUSY_TIMEOUT, close_workspace, open_workspace
from flowbench.ui.main_window import EDIT_TAB, VERSIONS_TAB
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"
SUPPORT = Path(__file__).parents[1] / "support"
SAVE = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def card_flow(title: str) -> FlowDefinition:
    return FlowDefinition(Trigger("manual"), (
        Step("card_1", "send_card", title=title, body="Body text.", buttons=(Button("OK"),)),))


@pytest.fixture
def flow_file(made_workspace: Callable[..., Path]) -> Path:
    path = made_workspace()
    open_workspace(path)
    flows.create_flow(sign_in(OWNER, PASSWORD), "Renewal reminder", card_flow("Renew now"))
    close_workspace()
    return path


def _python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))


@pytest.fixture
def lock_holder(flow_file: Path) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    """Another process that takes the workspace's write lock and keeps it until its
    stdin closes."""
    started: list[subprocess.Popen[str]] = []

    def hold() -> subprocess.Popen[str]:
        holder = _python("-c", "import sqlite3, sys\n"
                         f"db = sqlite3.connect({str(flow_file)!r}, isolation_level=None)\n"
                         "db.execute('BEGIN IMMEDIATE')\nprint('HOLDING', flush=True)\n"
                         "sys.stdin.read()\n")
        started.append(holder)
        assert holder.stdout.readline().strip() == "HOLDING", holder.stderr.read()
        return holder

    yield hold
    for holder in started:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def edit_the_card_title(qtbot: QtBot, shell: Any, flow_file: Path) -> tuple[Any, Any]:
    """Signed in, the card's title typed on to ("Renew now today"), not saved yet: the
    Edit tab and the title's field."""
    shell.start(flow_file)
    shell.sign_in()
    shell.click_flow("Renewal reminder")
    shell.window.tabs.setCurrentIndex(EDIT_TAB)
    tab = shell.window.edit_tab
    title = tab.step_form.pages["send_card"].title
    qtbot.waitUntil(lambda: title.text() == "Renew now")
    qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " today")
    return tab, title


def test_a_save_that_finds_the_workspace_busy_says_so_and_keeps_the_edit(
        qtbot: QtBot, shell: Any, flow_file: Path, lock_holder, monkeypatch) -> None:
    monkeypatch.setenv(ENV_BUSY_TIMEOUT, "300")  # refuse after 0.3 s instead of 15 s
    tab, title = edit_the_card_title(qtbot, shell, flow_file)
    holder = lock_holder()
    shell.shortcut(*SAVE)
    assert shell.prompts.informed[-1] == ("Not saved", WorkspaceBusy.MESSAGE)
    assert tab.has_unsaved_changes() and title.text() == "Renew now today"
    holder.stdin.close()
    holder.wait(timeout=30)
    shell.shortcut(*SAVE)
    qtbot.waitUntil(lambda: not tab.has_unsaved_changes())
    saved = drafts.open_flow("Renewal reminder")
    assert (saved.revision, saved.definition) == (2, card_flow("Renew now today"))


def announced_holder(flow_file: Path, rows: int) -> subprocess.Popen[str]:
    """Another Flowbench in a long write that announces itself (a publish touching
    ``rows`` rows) and holds the workspace's lock until its stdin closes."""
    return _python("-c", "import sys\n"
                   "from flowbench.store.connection import open_workspace, write_transaction\n"
                   "from flowbench.store.long_writes import LongWrite\n"
                   f"open_workspace({str(flow_file)!r})\n"
                   "work = LongWrite(\"publishing Version 9 of 'Renewal reminder'\", "
                   f"{rows})\n"
                   "with write_transaction(work):\n"
                   "    print('HOLDING', flush=True)\n"
                   "    sys.stdin.readline()\n")


def test_a_save_that_waits_for_another_process_long_write_says_what_it_waits_for(
        qtbot: QtBot, shell: Any, flow_file: Path) -> None:
    """Another Flowbench holds the workspace's lock for a long write (a publish to many
    customers announces itself beside the file): a save meanwhile waits — the window
    says what for, under a busy cursor — and goes through once the lock is free."""
    tab, title = edit_the_card_title(qtbot, shell, flow_file)
    holder = announced_holder(flow_file, 2_000_000)  # 20 s expected: < 2 × 15 s, so it waits
    messages: list[str] = []
    cursors: list[object] = []
    tooltips: list[str] = []
    bar = shell.window.statusBar()
    bar.messageChanged.connect(messages.append)
    bar.messageChanged.connect(lambda _text: cursors.append(QApplication.overrideCursor()))
    bar.messageChanged.connect(lambda _text: tooltips.append(bar.toolTip()))
    try:
        assert holder.stdout.readline().strip() == "HOLDING", holder.stderr.read()
        # the other process finishes a second later, while this one waits in the save
        threading.Timer(1.0, holder.stdin.close).start()
        shell.shortcut(*SAVE)
        assert holder.wait(timeout=30) == 0, holder.stderr.read()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    waits = [m for m in messages if m.startswith("Waiting to write to the workspace.")]
    assert len(waits) == 1
    assert "Another Flowbench is publishing Version 9 of 'Renewal reminder'" in waits[0]
    # what is cut off last in a narrow window comes first: who, what, how much longer
    assert re.search(r"'Renewal reminder': about (1\d|20) seconds more \(since \d\d:\d\d:\d\d; "
                     r"about 20 seconds in all\)\.$", waits[0]), waits[0]
    assert tooltips[messages.index(waits[0])] == waits[0]  # all of it, on hovering
    assert bar.toolTip() == ""
    assert cursors[messages.index(waits[0])] is not None  # busy while it waited
    assert QApplication.overrideCursor() is None  # and no longer
    assert shell.prompts.informed == [] and shell.prompts.errors == []
    qtbot.waitUntil(lambda: not tab.has_unsaved_changes())
    saved = drafts.open_flow("Renewal reminder")
    assert (saved.revision, saved.definition) == (2, card_flow("Renew now today"))


def test_a_save_that_could_only_wait_in_vain_is_refused_at_once_and_keeps_the_edit(
        qtbot: QtBot, shell: Any, flow_file: Path) -> None:
    """Another Flowbench's long write is expected to hold the lock for far longer than
    a write waits (15 s): the window does not freeze for those 15 s only to refuse —
    the save is refused at once, naming what holds the workspace and for how long, and
    the edit stays, to be saved once it is over."""
    tab, title = edit_the_card_title(qtbot, shell, flow_file)
    holder = announced_holder(flow_file, 10_000_000)  # 100 s expected
    messages: list[str] = []
    shell.window.statusBar().messageChanged.connect(messages.append)
    try:
        assert holder.stdout.readline().strip() == "HOLDING", holder.stderr.read()
        started = time.monotonic()
        shell.shortcut(*SAVE)
        refused_after = time.monotonic() - started
        [(heading, text)] = shell.prompts.informed
        assert tab.has_unsaved_changes() and title.text() == "Renew now today"
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert heading == "Not saved"
    assert text.startswith(f"{WorkspaceBusy.MESSAGE} Another Flowbench is publishing "
                           "Version 9 of 'Renewal reminder': about 2 minutes more"), text
    assert refused_after < 10  # not the 15 s busy timeout: the window never froze for it
    assert not any(m.startswith("Waiting to write") for m in messages)
    shell.shortcut(*SAVE)  # the long write is over: the edit saves
    qtbot.waitUntil(lambda: not tab.has_unsaved_changes())
    assert drafts.open_flow("Renewal reminder").definition == card_flow("Renew now today")


def test_the_window_keeps_refreshing_while_another_process_publishes(
        qtbot: QtBot, shell: Any, tmp_path: Path, tmp_path_factory) -> None:
    world = make_world(tmp_path, approvals=False, cache=tmp_path_factory.mktemp("world"))
    open_workspace(world.path)
    stage_draft(world)
    close_workspace()
    shell.start(world.path)
    shell.sign_in("olive@example.com", WORLD_PASSWORD)
    shell.click_flow("Onboarding")
    shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
    versions = shell.window.versions_tab
    go = tmp_path / "go"
    publisher = _python(str(SUPPORT / "publish_worker.py"), str(world.path),
                        "publisher@example.com", WORLD_PASSWORD, "Onboarding",
                        "hold-at-stage", "Saving", str(go))
    try:
        assert publisher.stdout.readline().strip() == "HOLDING", publisher.stderr.read()
        for _ in range(20):  # every screen reloads while the publish is open
            shell.session.notify(SessionChange(flows=True, flow_ids=frozenset({world.flow_id}),
                                               remote=True))
            shell.wait_for_flow_list()
            assert [v.status.value for v in versions.model.versions()] == ["draft", "live"]
        go.touch()
        out, err = publisher.communicate(timeout=60)
    finally:
        if publisher.poll() is None:
            publisher.kill()
            publisher.wait()
    assert out.strip() == "PUBLISHED", err
    shell.session.notify(SessionChange(flows=True, flow_ids=frozenset({world.flow_id})))
    assert [v.status.value for v in versions.model.versions()] == ["live", "previous"]
    assert shell.prompts.errors == []


def test_a_workspace_that_cannot_be_written_opens_read_only(
        qtbot: QtBot, shell: Any, flow_file: Path, tmp_path: Path) -> None:
    if subprocess.run(["chattr", "+i", str(flow_file)], capture_output=True).returncode:
        pytest.skip("chattr +i is not allowed on this file system")
    try:
        shell.start(flow_file)
        shell.sign_in()
        window = shell.window
        assert "Read-only workspace" in window.workspace_label.text()
        assert not window.menu_actions.new_flow.isEnabled()
        assert not window.menu_actions.import_flow.isEnabled()
        shell.click_flow("Renewal reminder")
        shell.window.tabs.setCurrentIndex(EDIT_TAB)
        tab = window.edit_tab
        qtbot.waitUntil(lambda: tab.banner.isVisible())
        assert tab.banner_label.text().startswith("Read-only workspace: ws.flowbench cannot "
                                                  "be written")
        shell.window.tabs.setCurrentIndex(VERSIONS_TAB)
        assert window.versions_tab.reason.text().startswith("Read-only workspace")
    finally:
        subprocess.run(["chattr", "-i", str(flow_file)], check=False)
