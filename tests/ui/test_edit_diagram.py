"""The flow diagram and the steps tree select together: a click in one selects in the
other, and the step's form follows; clicking the trigger goes to the trigger's fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.diagram_items import NODE_HEIGHT, NODE_WIDTH
from flowbench.ui.edit.edit_tab import EditTab

pytestmark = pytest.mark.ui
BRANCHED = FlowDefinition(trigger=Trigger("api_event", event="trial.started"), steps=(
    Step("push_1", "send_push", title="Hello", body="Welcome"),
    Step("wait_1", "wait_duration", "push_1", duration="P1D"),
    Step("push_2", "send_push", "push_1", title="Other branch", body="Hi"),
))


class Session(QObject):
    changed = Signal()

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor


class NoPrompts:
    def confirm(self, parent: object, title: str, text: str) -> bool:
        raise AssertionError(f"unexpected question: {title}")

    def inform(self, parent: object, title: str, text: str) -> None:
        raise AssertionError(f"unexpected message: {title}")


@pytest.fixture
def tab(qtbot: QtBot, tmp_path: Path) -> Iterator[EditTab]:
    open_workspace(tmp_path / "ws.flowbench")
    owner = create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
    flow = create_flow(owner, "Branched", BRANCHED)
    edit = EditTab(Session(owner), prompts=NoPrompts())
    qtbot.addWidget(edit)
    edit.resize(1400, 800)
    edit.show()
    qtbot.waitExposed(edit)
    edit.show_flow(flow.id)
    yield edit
    close_workspace()


def click_node(tab: EditTab, rect: QRectF) -> None:
    view = tab.diagram
    view.ensureVisible(rect)
    point = view.mapFromScene(rect.center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_clicking_a_node_selects_the_step_in_the_tree_and_shows_its_form(
        tab: EditTab) -> None:
    click_node(tab, tab.diagram.node_rect("push_2"))

    assert tab.steps.selected_step() == "push_2"
    assert tab.step_form.step_id == "push_2"
    assert tab.step_form.pages["send_push"].title.text() == "Other branch"

    click_node(tab, tab.diagram.node_rect("wait_1"))
    assert tab.steps.selected_step() == "wait_1" and tab.step_form.step_id == "wait_1"


def test_selecting_in_the_tree_selects_the_node(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.tree.setFocus()
    tab.steps.select_step("push_1")
    qtbot.keyClick(tab.steps.tree, Qt.Key.Key_Down)  # the first child of push_1

    selected = tab.steps.selected_step()
    assert selected in {"wait_1", "push_2"}
    assert tab.diagram.selected_step() == selected
    assert tab.diagram.nodes[selected].isSelected()


def test_clicking_the_trigger_goes_to_the_trigger_fields(qtbot: QtBot, tab: EditTab) -> None:
    trigger = tab.diagram.trigger_node
    assert trigger is not None
    click_node(tab, trigger.mapRectToScene(QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT)))

    qtbot.waitUntil(tab.flow_form.trigger_kind.hasFocus)
