"""Authoring a flow in the Edit tab as a member would: typing, clicking, shortcuts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from edit_fakes import FakePrompts, FakeSession
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import drafts
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab
from flowbench.ui.edit.field_marks import mark_state

pytestmark = pytest.mark.ui


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Actor]:
    open_workspace(tmp_path / "ws.flowbench")
    yield create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
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


def click_row(view: QAbstractItemView, row_index: object) -> None:
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(row_index).center())


def click_menu(qtbot: QtBot, menu: QMenu, action: QAction) -> None:
    """Click a menu item. The offscreen platform leaves the closed menu as the active
    window (a desktop gives activation back), so hand it back to the tab's window."""
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())
    window = menu.parentWidget().window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def choose(qtbot: QtBot, menu: QMenu, data: str) -> None:
    qtbot.waitUntil(menu.isVisible)
    click_menu(qtbot, menu, next(a for a in menu.actions() if a.data() == data))


def add_step(qtbot: QtBot, tab: EditTab, kind: str, place: str = "child") -> str:
    """Insert on the tree opens the Add menu; click the kind. Returns the new step's id."""
    before = {s.id for s in tab.editor.definition.steps}
    tab.steps.tree.setFocus()
    qtbot.keyClick(tab.steps.tree, Qt.Key.Key_Insert)
    choose(qtbot, tab.steps.add_menu, f"{place}:{kind}")
    (new,) = {s.id for s in tab.editor.definition.steps} - before
    assert tab.steps.selected_step() == new and tab.step_form.step_id == new
    return new


def problem_messages(tab: EditTab) -> list[str]:
    model = tab.problems.model
    return [model.problem(row).message for row in range(model.rowCount())]


def test_build_trigger_and_branched_steps_fix_a_problem_and_save(
        qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Onboarding")
    tab = open_tab(qtbot, owner, flow.id)
    form = tab.flow_form
    # trigger: API event "trial.started"
    form.trigger_kind.setFocus()
    qtbot.keyClick(form.trigger_kind, Qt.Key.Key_Up)
    qtbot.keyClick(form.trigger_kind, Qt.Key.Key_Up)
    assert form.trigger_detail.currentWidget() is form.event_name
    qtbot.keyClicks(form.event_name, "trial.started")
    # a card, then after it two parallel branches: a wait and a push
    card = add_step(qtbot, tab, "send_card")
    card_page = tab.step_form.pages["send_card"]
    qtbot.keyClicks(card_page.title, "Welcome!")
    qtbot.keyClicks(card_page.body, "Here is how to start.")
    wait = add_step(qtbot, tab, "wait_duration")
    duration = tab.step_form.pages["wait_duration"].duration
    qtbot.keyClick(duration.line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(duration.line_edit, "P2D")
    assert duration.preview.text() == "= 2 days"
    push = add_step(qtbot, tab, "send_push", "sibling")
    definition = tab.editor.definition
    assert definition.trigger == Trigger("api_event", event="trial.started")
    assert [s.id for s in definition.children(card)] == [wait, push]
    nodes = tab.diagram.nodes
    assert set(nodes) == {card, wait, push}
    assert nodes[wait].y() == nodes[push].y() and nodes[wait].x() != nodes[push].x()
    assert tab.diagram.selected_step() == push

    # the new push has no title or body: both show in the problems list and on the field
    qtbot.waitUntil(lambda: "The push title is empty." in problem_messages(tab))
    push_page = tab.step_form.pages["send_push"]
    assert mark_state(push_page.title) == "error"
    assert "The push title is empty." in push_page.title.toolTip()
    assert tab.steps.model.data(tab.steps.model.index_of(push),
                                Qt.ItemDataRole.ToolTipRole).count("•") == 2
    # select another step, then click the problem: its step and field come back
    click_row(tab.steps.tree, tab.steps.model.index_of(card))
    assert tab.step_form.step_id == card
    row = problem_messages(tab).index("The push title is empty.")
    click_row(tab.problems.view, tab.problems.model.index(row, 0))
    assert tab.step_form.step_id == push and tab.diagram.selected_step() == push
    qtbot.waitUntil(push_page.title.hasFocus)
    qtbot.keyClicks(push_page.title, "Still there?")
    qtbot.keyClicks(push_page.body, "Your trial is waiting.")
    qtbot.waitUntil(lambda: problem_messages(tab) == [])
    assert mark_state(push_page.title) == ""

    assert tab.has_unsaved_changes()
    with qtbot.waitSignal(tab.saved, timeout=2000) as saved:
        qtbot.keyClick(push_page.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [flow.id] and not tab.has_unsaved_changes()
    stored = drafts.open_flow(flow.id)
    assert stored.revision == 2 and stored.definition == tab.editor.definition
    assert stored.definition.step(push).title == "Still there?"
    assert stored.definition.step(wait).duration == "P2D"


def test_undo_and_redo_cover_typing_and_structure(qtbot: QtBot, owner: Actor) -> None:
    start = FlowDefinition(trigger=Trigger("manual"), steps=(
        Step("card_1", "send_card", title="Hi", body="Body", priority=5),))
    flow = create_flow(owner, "Undo me", start)
    tab = open_tab(qtbot, owner, flow.id)
    title = tab.step_form.pages["send_card"].title
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " there")
    added = add_step(qtbot, tab, "wait_duration")
    assert tab.has_unsaved_changes()
    undo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    redo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(tab.steps.tree, *undo)
    assert tab.editor.definition.step(added) is None
    assert tab.steps.model.rowCount() == 1 and added not in tab.diagram.nodes
    title.setFocus()
    qtbot.keyClick(title, *undo)  # in the field: the flow's undo, not the field's own
    assert title.text() == "Hi" and tab.editor.definition == start
    assert not tab.has_unsaved_changes()
    qtbot.keyClick(title, *redo)
    qtbot.keyClick(title, *redo)
    assert title.text() == "Hi there" and tab.editor.definition.step(added) is not None
    assert tab.undo_stack().undoText().startswith("Add")


def test_keyboard_removes_and_moves_steps(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Keys", FlowDefinition(steps=(
        Step("wait_1", "wait_duration", duration="P1D"),
        Step("wait_2", "wait_duration", duration="P2D"),
        Step("wait_3", "wait_duration", duration="P3D"))))
    tab = open_tab(qtbot, owner, flow.id)
    tree = tab.steps.tree
    click_row(tree, tab.steps.model.index_of("wait_3"))
    qtbot.keyClick(tree, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [s.id for s in tab.editor.definition.roots()] == ["wait_1", "wait_3", "wait_2"]
    assert tab.steps.selected_step() == "wait_3"
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert [s.id for s in tab.editor.definition.roots()] == ["wait_1", "wait_2"]
    assert tab.steps.selected_step() == "wait_2", "the next step takes its place"
    # re-parent through "Move under…"
    menu = tab.steps.under_menu
    menu.popup(tree.mapToGlobal(tree.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    click_menu(qtbot, menu, next(a for a in menu.actions() if "1 day" in a.text()))
    assert tab.editor.definition.step("wait_2").parent == "wait_1"
    assert tab.steps.model.parent(tab.steps.model.index_of("wait_2")).isValid()


def test_trigger_and_name_problems_focus_their_fields(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Named", FlowDefinition(
        trigger=Trigger("segment_entered", segment="Nobody"),
        steps=(Step("wait_1", "wait_duration", duration="P1D"),)))
    tab = open_tab(qtbot, owner, flow.id)
    assert problem_messages(tab) == ["The workspace has no segment named 'Nobody'."]
    assert mark_state(tab.flow_form.segment) == "error"
    click_row(tab.problems.view, tab.problems.model.index(0, 0))
    qtbot.waitUntil(lambda: tab.flow_form.segment.hasFocus()
                    or tab.flow_form.segment.lineEdit().hasFocus())
    name = tab.flow_form.name
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(name, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "The flow needs a name." in problem_messages(tab))
    tab.diagram.setFocus()
    tab.select_problem(None, "name")
    qtbot.waitUntil(name.hasFocus)
    qtbot.keyClicks(name, "Renamed")
    assert tab.save()
    assert drafts.open_flow(flow.id).flow_name == "Renamed"
    assert QApplication.focusWidget() is name


def test_every_control_is_named_and_tab_moves_through_the_flow_fields(
        qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Accessible", FlowDefinition(
        trigger=Trigger("api_event", event="e"),
        steps=(Step("wait_1", "wait_duration", duration="P1D"),)))
    tab = open_tab(qtbot, owner, flow.id)
    unnamed = []
    for widget in tab.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or inside_a_control(widget):
            continue
        if not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert unnamed == []
    form = tab.flow_form
    form.name.setFocus()
    for expected in (form.trigger_kind, form.event_name, form.description,
                     tab.steps.add_button):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected


def inside_a_control(widget: QWidget) -> bool:
    """Parts of a combo box, spin box or scroll area: named through their owner."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            return True
        parent = parent.parentWidget()
    return False


def test_a_button_problem_leads_to_its_cell_and_is_fixed_there(
        qtbot: QtBot, owner: Actor) -> None:
    card = Step("card_1", "send_card", title="Docs", body="Read the guide", priority=5,
                buttons=(Button("Close", "dismiss"), Button("Open", "link")))
    flow = create_flow(owner, "Buttons", FlowDefinition(steps=(card,)))
    tab = open_tab(qtbot, owner, flow.id)
    assert problem_messages(tab) == ["Button 2 is a link but has no URL."]
    tab.steps.select_step(None)
    click_row(tab.problems.view, tab.problems.model.index(0, 0))
    table = tab.step_form.pages["send_card"].buttons.table
    qtbot.waitUntil(table.hasFocus)
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, 2)
    assert mark_state(table) == "error"
    qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell
    cell_editor = QApplication.focusWidget()
    assert cell_editor is not table
    qtbot.keyClicks(cell_editor, "https://example.com/guide")
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)  # the view commits on its next turn
    qtbot.waitUntil(lambda: tab.editor.definition.step("card_1").buttons[1].url
                    == "https://example.com/guide")
    qtbot.waitUntil(lambda: problem_messages(tab) == [])
    assert mark_state(table) == ""


def test_dropping_a_step_on_another_makes_it_run_after_it(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Drops", FlowDefinition(steps=(
        Step("wait_1", "wait_duration", duration="P1D"),
        Step("wait_2", "wait_duration", duration="P2D"))))
    tab = open_tab(qtbot, owner, flow.id)
    model = tab.steps.model
    data = model.mimeData([model.index_of("wait_2")])
    target = model.index_of("wait_1")
    assert not model.canDropMimeData(model.mimeData([target]), Qt.DropAction.MoveAction,
                                     -1, 0, model.index_of("wait_1")), "not onto itself"
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    qtbot.waitUntil(lambda: tab.editor.definition.step("wait_2").parent == "wait_1")
    assert model.parent(model.index_of("wait_2")) == target
    tab.undo_stack().undo()
    assert tab.editor.definition.step("wait_2").parent is None
