"""The Edit tab listens to the session's announcements (``SessionChange``) and reloads
only when its own flow changed elsewhere, so unrelated changes keep its undo history,
and unsaved edits are never replaced by a change made elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.services import drafts
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
SOUND = FlowDefinition(trigger=Trigger("api_event", event="signup"), steps=(
    Step("push_1", "send_push", title="Hello", body="Welcome aboard"),))


class Session(QObject):
    changed = Signal(object)

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor: Actor | None = actor

    def notify(self, change: SessionChange) -> None:
        self.changed.emit(change)


class Prompts:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answer = True

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self.asked.append(title)
        return self.answer

    def inform(self, parent: object, title: str, text: str) -> None:
        self.asked.append(title)


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Actor]:
    open_workspace(tmp_path / "ws.flowbench")
    yield create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
    close_workspace()


def open_tab(qtbot: QtBot, owner: Actor, flow_id: int) -> tuple[EditTab, Session, Prompts]:
    session, prompts = Session(owner), Prompts()
    tab = EditTab(session, prompts=prompts)
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()
    qtbot.waitExposed(tab)
    tab.show_flow(flow_id)
    return tab, session, prompts


def type_title(qtbot: QtBot, tab: EditTab, text: str) -> None:
    title = tab.step_form.pages["send_push"].title
    qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, text)


def test_changes_to_other_flows_keep_the_edits_and_their_undo_history(
        qtbot: QtBot, owner: Actor) -> None:
    mine = create_flow(owner, "Mine", SOUND)
    other = create_flow(owner, "Other", SOUND)
    tab, session, _prompts = open_tab(qtbot, owner, mine.id)
    type_title(qtbot, tab, " there")
    tab.save()
    type_title(qtbot, tab, "!")
    assert tab.undo_stack().count() == 2

    drafts.save_draft(owner, other.id, SOUND.with_step(SOUND.steps[0].with_changes(
        title="Changed")), expected_version=1, expected_revision=1)
    session.notify(SessionChange.for_flow(other.id))
    session.notify(SessionChange(members=True))
    session.notify(SessionChange.for_flow(mine.id, origin=tab))  # its own doing

    assert tab.undo_stack().count() == 2 and tab.has_unsaved_changes()
    assert tab.step_form.pages["send_push"].title.text() == "Hello there!"
    assert not tab.elsewhere_banner.isVisible()
    tab.undo_stack().undo()
    assert tab.step_form.pages["send_push"].title.text() == "Hello there"


def test_a_change_that_leaves_the_flow_as_it_was_does_not_reload(
        qtbot: QtBot, owner: Actor) -> None:
    mine = create_flow(owner, "Mine", SOUND)
    tab, session, _prompts = open_tab(qtbot, owner, mine.id)
    type_title(qtbot, tab, " there")
    tab.save()

    session.notify(SessionChange.for_flow(mine.id))  # e.g. an approval was asked for

    assert tab.undo_stack().count() == 1 and tab.undo_stack().canUndo()


def test_a_change_elsewhere_reloads_a_tab_without_unsaved_edits(
        qtbot: QtBot, owner: Actor) -> None:
    mine = create_flow(owner, "Mine", SOUND)
    tab, session, _prompts = open_tab(qtbot, owner, mine.id)

    drafts.save_draft(owner, mine.id, SOUND.with_step(SOUND.steps[0].with_changes(
        title="From a colleague")), expected_version=1, expected_revision=1)
    session.notify(SessionChange.for_flow(mine.id))

    assert tab.step_form.pages["send_push"].title.text() == "From a colleague"
    assert tab.editor.base is not None and tab.editor.base.revision == 2
    assert not tab.elsewhere_banner.isVisible()


def test_unsaved_edits_are_kept_and_the_change_elsewhere_is_announced(
        qtbot: QtBot, owner: Actor) -> None:
    mine = create_flow(owner, "Mine", SOUND)
    tab, session, prompts = open_tab(qtbot, owner, mine.id)
    type_title(qtbot, tab, " from me")

    drafts.save_draft(owner, mine.id, SOUND.with_step(SOUND.steps[0].with_changes(
        title="From a colleague")), expected_version=1, expected_revision=1)
    session.notify(SessionChange.for_flow(mine.id))

    title = tab.step_form.pages["send_push"].title
    assert title.text() == "Hello from me" and tab.has_unsaved_changes()
    assert tab.elsewhere_banner.isVisible()
    assert "changed elsewhere" in tab.elsewhere_label.text()
    assert "revision 2" in tab.elsewhere_label.text()

    prompts.answer = False  # the stale save: not overwritten, edits kept
    assert not tab.save()
    assert prompts.asked == ["The flow changed elsewhere"]
    assert drafts.open_flow(mine.id).definition.steps[0].title == "From a colleague"

    prompts.answer = True  # Reload… in the banner
    qtbot.mouseClick(tab.reload_button, Qt.MouseButton.LeftButton)
    assert title.text() == "From a colleague" and not tab.has_unsaved_changes()
    assert not tab.elsewhere_banner.isVisible()
