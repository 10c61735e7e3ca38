"""The Edit tab around saving: stale saves, read-only members, the next version after a
publish, and unsaved edits recovered after the editor process was killed."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from edit_fakes import FakePrompts, FakeSession
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.members import add_member
from flowbench.services.publishing import publish_draft
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab
from flowbench.ui.edit.recovery import RecoveryStore, recovery_folder

pytestmark = pytest.mark.ui
EMAIL, PASSWORD = "owner@example.com", "correct horse 1"
CARD = Step("card_1", "send_card", title="Hello", body="Welcome aboard",
            buttons=(Button("OK", "submit"),), priority=5)
SOUND = FlowDefinition(trigger=Trigger("api_event", event="signup"), steps=(
    CARD, Step("wait_1", "wait_duration", "card_1", duration="P1D")))
SAVE = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    return tmp_path / "ws.flowbench"


@pytest.fixture
def owner(workspace_file: Path) -> Iterator[Actor]:
    open_workspace(workspace_file)
    yield create_workspace("Test", EMAIL, "Olivia Owner", PASSWORD)
    close_workspace()


def open_tab(qtbot: QtBot, actor: Actor, flow_id: int,
             prompts: FakePrompts | None = None) -> EditTab:
    tab = EditTab(FakeSession(actor), prompts=prompts or FakePrompts())
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.show_flow(flow_id)
    return tab


def type_into(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Click into a field, go to its end, type."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClicks(field, text)


def test_a_stale_save_is_refused_and_a_reload_offered(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Shared", SOUND)
    prompts = FakePrompts(answer=False)
    tab = open_tab(qtbot, owner, flow.id, prompts)
    title = tab.step_form.pages["send_card"].title
    type_into(qtbot, title, " from me")
    # meanwhile a colleague saves the same draft
    seen = drafts.open_flow(flow.id)
    drafts.save_draft(owner, flow.id, seen.definition.with_step(CARD.with_changes(
        title="From a colleague")), expected_version=1, expected_revision=1)

    qtbot.keyClick(title, *SAVE)
    (question_title, question), = prompts.asked
    assert question_title == "The flow changed elsewhere"
    assert "changed since you looked" in question and "revision 2" in question
    stored = drafts.open_flow(flow.id)
    assert stored.definition.step("card_1").title == "From a colleague", "not overwritten"
    assert tab.has_unsaved_changes() and title.text() == "Hello from me"

    prompts.answer = True  # this time: yes, reload
    qtbot.keyClick(title, *SAVE)
    assert len(prompts.asked) == 2
    assert title.text() == "From a colleague" and not tab.has_unsaved_changes()
    assert tab.editor.base is not None and tab.editor.base.revision == 2
    qtbot.keyClicks(title, "!")
    assert tab.save() and drafts.open_flow(flow.id).revision == 3


def test_a_viewer_sees_everything_read_only_with_the_reason(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Look only", SOUND)
    info = add_member(owner, "viv@example.com", "Viv Viewer", "viewer", "correct horse 2")
    viewer = Actor(info.id, info.email, info.name, info.role)
    tab = open_tab(qtbot, viewer, flow.id)
    assert tab.banner.isVisible() and not tab.next_version_button.isVisible()
    assert tab.banner_label.text() == ("Read only. Your role (Viewer) does not allow you "
                                       "to edit drafts.")
    title = tab.step_form.pages["send_card"].title
    assert title.text() == "Hello" and title.isReadOnly() and tab.flow_form.name.isReadOnly()
    type_into(qtbot, title, "zzz")
    type_into(qtbot, tab.flow_form.name, "zzz")
    assert not tab.steps.add_button.isEnabled() and not tab.steps.remove_button.isEnabled()
    tab.steps.tree.setFocus()
    qtbot.keyClick(tab.steps.tree, Qt.Key.Key_Delete)
    qtbot.keyClick(tab.steps.tree, *SAVE)
    assert tab.editor.definition == SOUND and not tab.has_unsaved_changes()
    assert not tab.save() and drafts.open_flow(flow.id).revision == 1
    tab.steps.select_step("wait_1")  # looking around still works
    assert tab.step_form.step_id == "wait_1" and tab.diagram.selected_step() == "wait_1"


def test_edit_as_the_next_version_after_a_publish(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Going live", SOUND)
    publish_draft(owner, flow.id)
    tab = open_tab(qtbot, owner, flow.id)
    assert tab.banner.isVisible() and "Version 1 is live" in tab.banner_label.text()
    assert tab.next_version_button.isVisible()
    assert tab.next_version_button.text() == "Edit as Version 2"
    title = tab.step_form.pages["send_card"].title
    assert title.isReadOnly() and not tab.steps.add_button.isEnabled()

    qtbot.mouseClick(tab.next_version_button, Qt.MouseButton.LeftButton)
    draft = drafts.open_flow(flow.id)
    assert draft.is_draft and draft.version == 2 and draft.definition == SOUND
    assert not tab.banner.isVisible() and not title.isReadOnly()
    type_into(qtbot, title, " again")
    qtbot.keyClick(title, *SAVE)
    saved = drafts.open_flow(flow.id)
    assert (saved.version, saved.revision) == (2, 2)
    assert saved.definition.step("card_1").title == "Hello again"
    assert drafts.get_version(flow.id, 1).definition == SOUND, "the live version never changes"


CHILD = r"""
import sys, time
from pathlib import Path
from flowbench.ui.binding_guard import keep_singletons_alive
keep_singletons_alive()  # as the app does before its QApplication (PySide6 6.12 on 3.11)
from PySide6.QtCore import QObject, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from flowbench.services.workspace import sign_in
from flowbench.store.connection import open_workspace
from flowbench.ui.edit.edit_tab import EditTab

class Session(QObject):
    changed = Signal()

class NoPrompts:
    def confirm(self, *args): return False
    def inform(self, *args): pass

app = QApplication([])
open_workspace(Path(sys.argv[1]))
session = Session()
session.actor = sign_in(sys.argv[2], sys.argv[3])
tab = EditTab(session, prompts=NoPrompts())
tab.show()
tab.show_flow(int(sys.argv[4]))
written = []
tab.keeper.recovery.written.connect(written.append)
QTest.keyClicks(tab.step_form.pages["send_card"].title, " (unsaved)")
deadline = time.monotonic() + 30
while not written and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
print("RECOVERY-WRITTEN" if written else "NO-RECOVERY-FILE", flush=True)
while True:  # an editor left open, until it is killed
    app.processEvents()
    time.sleep(0.05)
"""


def first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return process.stdout.readline().strip()


def test_unsaved_edits_are_recovered_after_the_editor_process_is_killed(
        qtbot: QtBot, owner: Actor, workspace_file: Path) -> None:
    flow = create_flow(owner, "Crash test", SOUND)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(workspace_file), EMAIL, PASSWORD, str(flow.id)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert first_line(child, timeout=60) == "RECOVERY-WRITTEN"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert drafts.open_flow(flow.id).definition == SOUND, "the killed editor saved nothing"

    prompts = FakePrompts(choice=0)  # Restore Them
    tab = open_tab(qtbot, owner, flow.id, prompts)
    (question_title, question), = prompts.asked
    assert question_title == "Recover unsaved edits?" and "Crash test" in question
    assert tab.step_form.pages["send_card"].title.text() == "Hello (unsaved)"
    assert tab.has_unsaved_changes()
    tab.undo_stack().undo()  # the recovery itself is one undoable edit
    assert tab.editor.definition == SOUND
    tab.undo_stack().redo()
    assert tab.save()
    assert drafts.open_flow(flow.id).definition.step("card_1").title == "Hello (unsaved)"
    assert not list(recovery_folder().glob(f"*-{flow.id}.json")), "saved: file removed"


def test_declined_recovery_is_forgotten_and_cancelled_recovery_is_kept(qtbot: QtBot, owner: Actor,
                                        workspace_file: Path) -> None:
    flow = create_flow(owner, "Declined", SOUND)
    store = RecoveryStore(str(workspace_file))
    path = store.write(flow.id, "Declined", SOUND.with_description("old idea"), 1, 1)
    prompts = FakePrompts(choice=None)  # Cancel (the default): kept, asked again later
    tab = open_tab(qtbot, owner, flow.id, prompts)
    assert len(prompts.asked) == 1 and path.exists()
    assert tab.editor.definition == SOUND and not tab.has_unsaved_changes()
    prompts.choice = 1  # Discard Them
    tab.show_flow(flow.id)
    assert len(prompts.asked) == 2 and not path.exists()
    assert tab.editor.definition == SOUND and not tab.has_unsaved_changes()
    tab.show_flow(flow.id)
    assert len(prompts.asked) == 2, "once discarded, never asked again"


def test_unsaved_edits_are_written_and_dropped_with_discard(qtbot: QtBot, owner: Actor,
                                                            workspace_file: Path) -> None:
    flow = create_flow(owner, "Kept", SOUND)
    tab = open_tab(qtbot, owner, flow.id)
    type_into(qtbot, tab.flow_form.name, " v2")
    with qtbot.waitSignal(tab.keeper.recovery.written, timeout=6000) as written:
        pass
    path = Path(written.args[0])
    assert RecoveryStore(str(workspace_file)).read(flow.id).name == "Kept v2"
    tab.discard_changes()
    assert not path.exists() and not tab.has_unsaved_changes()
    assert tab.flow_form.name.text() == "Kept"


def test_a_taken_name_is_explained_and_stays_unsaved(qtbot: QtBot, owner: Actor) -> None:
    create_flow(owner, "Taken", SOUND)
    flow = create_flow(owner, "Mine", SOUND)
    prompts = FakePrompts()
    tab = open_tab(qtbot, owner, flow.id, prompts)
    name = tab.flow_form.name
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(name, "Taken")
    type_into(qtbot, tab.step_form.pages["send_card"].title, "!")
    qtbot.keyClick(name, *SAVE)
    (title, text), = prompts.told
    assert title == "Saved, but not renamed" and "already exists" in text
    stored = drafts.open_flow(flow.id)
    assert stored.flow_name == "Mine" and stored.definition.step("card_1").title == "Hello!"
    assert tab.has_unsaved_changes(), "the name is still to be saved"


def test_signing_out_empties_the_tab(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Signed in", SOUND)
    tab = open_tab(qtbot, owner, flow.id)
    session = tab.session
    assert isinstance(session, FakeSession)
    session.actor = None
    session.changed.emit()
    assert tab.pages.currentWidget() is tab.placeholder and tab.current_flow() is None
    session.actor = owner
    tab.show_flow(flow.id)
    assert tab.current_flow() == flow.id and tab.flow_form.name.text() == "Signed in"
