"""Everyday editing without surprises: durations typed as people write them, Insert and
Delete from the step's form, and removing a step that has steps after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from edit_fakes import FakePrompts, FakeSession
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab

pytestmark = pytest.mark.ui
CARD = Step("card_1", "send_card", title="Welcome!", body="Hi", buttons=(Button("OK"),))
FLOW = FlowDefinition(Trigger("manual"), (
    CARD,
    Step("wait_1", "wait_duration", "card_1", duration="P1D"),
    Step("push_1", "send_push", "wait_1", title="Still there?", body="Come back"),
    Step("await_1", "wait_card_action", "card_1", card="card_1", action="any"),
))


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Actor]:
    open_workspace(tmp_path / "ws.flowbench")
    yield create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
    close_workspace()


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def tab(qtbot: QtBot, owner: Actor, prompts: FakePrompts) -> EditTab:
    flow = create_flow(owner, "Onboarding", FLOW)
    edit = EditTab(FakeSession(owner), prompts=prompts)
    qtbot.addWidget(edit)
    edit.resize(1100, 700)
    edit.show()
    qtbot.waitExposed(edit)
    edit.activateWindow()
    qtbot.waitUntil(edit.isActiveWindow)
    edit.show_flow(flow.id)
    return edit


def problem_messages(tab: EditTab) -> list[str]:
    tab.marks.validate_now()
    model = tab.problems.model
    return [model.problem(row).message for row in range(model.rowCount())]


@pytest.mark.parametrize("typed, stored, shown", [
    ("2 hours", "PT2H", ("2", "hours")),
    ("2h", "PT2H", ("2", "hours")),
    ("90 min", "PT1H30M", ("90", "minutes")),
    ("1 day 12 hours", "P1DT12H", ("36", "hours")),
    ("P2D", "P2D", ("2", "days")),
    ("3", "P3D", ("3", "days")),  # a number in the unit beside it
])
def test_a_duration_is_typed_as_people_write_it_and_stored_as_iso_8601(
        qtbot: QtBot, tab: EditTab, typed: str, stored: str,
        shown: tuple[str, str]) -> None:
    tab.steps.select_step("wait_1")
    field = tab.step_form.pages["wait_duration"].duration
    field.line_edit.setFocus()
    field.line_edit.selectAll()
    qtbot.keyClicks(field.line_edit, typed)
    assert tab.editor.definition.step("wait_1").duration == stored
    assert field.preview.text().startswith("= ")
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Tab)  # typing ends: number and unit
    assert (field.line_edit.text(), field.unit.currentText()) == shown
    assert tab.editor.definition.step("wait_1").duration == stored


def test_choosing_another_unit_changes_the_stored_duration(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("wait_1")
    field = tab.step_form.pages["wait_duration"].duration
    assert (field.line_edit.text(), field.unit.currentText()) == ("1", "days")
    field.unit.setFocus()
    qtbot.keyClick(field.unit, Qt.Key.Key_Down)  # days → weeks
    assert tab.editor.definition.step("wait_1").duration == "P7D"


def test_an_unreadable_duration_says_which_forms_are_accepted(
        qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("wait_1")
    field = tab.step_form.pages["wait_duration"].duration
    field.line_edit.selectAll()
    qtbot.keyClicks(field.line_edit, "soonish")
    assert field.preview.text() == "not a duration"
    assert any("write e.g. 2 hours, 90 min, 1 day 12 hours or PT2H" in message
               for message in problem_messages(tab))


def test_insert_and_delete_work_from_the_step_form(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("push_1")
    page = tab.step_form.pages["send_push"]
    page.card.setFocus()  # a drop-down of the step's form, not the tree
    qtbot.waitUntil(page.card.hasFocus)
    qtbot.keyClick(page.card, Qt.Key.Key_Insert)
    menu: QMenu = tab.steps.add_menu
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    qtbot.keyClick(page.card, Qt.Key.Key_Delete)
    assert tab.editor.definition.step("push_1") is None  # a leaf: removed at once
    # in a text field Delete still deletes text
    tab.steps.select_step("card_1")
    title = tab.step_form.pages["send_card"].title
    title.setFocus()
    title.setCursorPosition(0)
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    assert tab.editor.definition.step("card_1").title == "elcome!"


def test_removing_a_step_with_steps_after_it_asks_branch_or_only_the_step(
        qtbot: QtBot, tab: EditTab, prompts: FakePrompts) -> None:
    tab.steps.select_step("card_1")
    prompts.choice = None  # Cancel
    tab.steps.remove_button.click()
    title, question = prompts.asked[-1]
    assert title == "Remove step?"
    assert question.startswith("The card “Welcome!” has 3 steps after it. Remove the whole "
                               "branch, or only this step")
    assert tab.editor.definition == FLOW  # nothing removed
    prompts.choice = 1  # only the step: the steps after it follow the trigger
    tab.steps.remove_button.click()
    definition = tab.editor.definition
    assert [s.id for s in definition.steps] == ["wait_1", "push_1", "await_1"]
    assert definition.step("wait_1").parent is None
    # the wait for the removed card is not left dangling silently: it names the card
    assert ("This waits for the card “Welcome!”, which was removed from the flow; choose "
            "another card.") in problem_messages(tab)
    tab.editor.stack.undo()
    assert tab.editor.definition == FLOW
    prompts.choice = 0  # the whole branch
    tab.steps.select_step("wait_1")
    tab.steps.remove_button.click()
    assert [s.id for s in tab.editor.definition.steps] == ["card_1", "await_1"]
    assert tab.editor.stack.undoText() == "Remove branch"


def test_a_saved_flow_keeps_no_dangling_reference_unnoticed(
        qtbot: QtBot, tab: EditTab, owner: Actor, prompts: FakePrompts) -> None:
    prompts.choice = 1
    tab.steps.select_step("card_1")
    tab.steps.remove_button.click()
    assert tab.save()
    stored = drafts.open_flow(tab.current_flow() or 0).definition
    assert stored.step("await_1").card == "card_1"  # kept, and flagged until re-pointed
    QTest.qWait(0)
    assert any("was removed from the flow" in m for m in problem_messages(tab))
