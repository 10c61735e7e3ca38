"""Paths in the Edit tab: a step after a card wait or a decision split says which path it
is on and can change it; the diagram labels the edges; a split's rule is edited with the
segments' rule editor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from edit_fakes import FakePrompts, FakeSession
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.segment_rules import Condition
from flowbench.services import drafts
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab

pytestmark = pytest.mark.ui
PATHS = FlowDefinition(trigger=Trigger("api_event", event="signup"), steps=(
    Step("hello", "send_card", title="Welcome aboard!", body="Hi",
         buttons=(Button("Start", "submit"),)),
    Step("wait", "wait_card_action", "hello", card="hello", action="submitted",
         timeout="P2D"),
    Step("thanks", "send_push", "wait", title="Nice work", body="All set"),
    Step("nudge", "send_push", "wait", title="Still there?", body="Have a look",
         path="otherwise"),
    Step("plan", "split", "nudge", match="all", conditions=(Condition("plan", "eq", "pro"),)),
    Step("pro", "send_push", "plan", title="Pro tips", body="…", path="yes"),
    Step("basic", "send_push", "plan", title="Upgrade?", body="…", path="no"),
))


@pytest.fixture
def tab(qtbot: QtBot, tmp_path: Path) -> Iterator[EditTab]:
    open_workspace(tmp_path / "ws.flowbench")
    owner = create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
    flow = create_flow(owner, "Paths", PATHS)
    edit = EditTab(FakeSession(owner), prompts=FakePrompts())
    qtbot.addWidget(edit)
    edit.resize(1400, 860)
    edit.show()
    qtbot.waitExposed(edit)
    edit.show_flow(flow.id)
    yield edit
    close_workspace()


def test_the_diagram_labels_the_edges_of_both_paths(tab: EditTab, tmp_path: Path) -> None:
    labels = {child: item.text() for child, item in tab.diagram.edge_labels.items()}
    assert labels == {"thanks": "submitted", "nudge": "otherwise", "pro": "yes",
                      "basic": "no"}
    tab.grab().save(str(Path("/tmp") / "i15-edit-paths.png"))


def test_the_step_form_says_and_changes_the_path(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("nudge")
    form = tab.step_form
    assert "on the “otherwise” path" in form.position.text()
    assert form.path.isVisible()
    assert [form.path.itemData(i) for i in range(form.path.count())] == [None, "otherwise"]
    form.path.setCurrentIndex(0)
    form.path.activated.emit(0)
    assert tab.editor.definition.step("nudge").path is None
    assert tab.diagram.edge_labels["nudge"].text() == "submitted"
    tab.steps.select_step("hello")
    assert not form.path.isVisible()  # the first step follows the trigger: no path


def test_a_timeout_without_an_otherwise_step_is_warned(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("nudge")
    tab.step_form.path.activated.emit(0)  # Nudge joins the submitted path
    tab.step_form.path.setCurrentIndex(0)
    tab.step_form.path.activated.emit(0)
    qtbot.waitUntil(lambda: any("on timeout this branch ends" in p.message
                                for p in tab.marks.tracker.problems()))


def test_the_split_rule_is_edited_with_the_rule_editor(qtbot: QtBot, tab: EditTab) -> None:
    tab.steps.select_step("plan")
    page = tab.step_form.pages["split"]
    assert page.rule.conditions() == [{"attribute": "plan", "op": "eq", "value": "pro"}]
    page.rule.add_button.click()
    page.rule.table.item(1, 0).setText("seats")
    page.rule.table.item(1, 2).setText("5")
    page.rule.match.setCurrentIndex(1)
    page.rule.match.activated.emit(1)
    step = tab.editor.definition.step("plan")
    assert step.match == "any"
    assert [(c.attribute, c.op, c.value) for c in step.conditions] == [
        ("plan", "eq", "pro"), ("seats", "eq", 5)]
    tab.editor.stack.undo()
    assert tab.editor.definition.step("plan").match == "all"
    assert page.rule.match_value() == "all"


def test_a_new_step_after_a_split_takes_the_free_path(tab: EditTab) -> None:
    definition = tab.editor.definition
    tab.editor.load(tab.editor.base, tab.editor.name, definition.with_steps(
        [s for s in definition.steps if s.id != "basic"]))
    tab.editor.read_only = False
    new_id = tab.editor.add_child("send_push", "plan")
    assert tab.editor.definition.step(new_id).path == "no"


def test_the_saved_draft_keeps_the_paths(tab: EditTab) -> None:
    stored = drafts.open_flow("Paths").definition
    assert {s.id: s.path for s in stored.steps if s.path} == {
        "nudge": "otherwise", "pro": "yes", "basic": "no"}


def test_screenshot_of_the_split_page(tab: EditTab) -> None:
    tab.steps.select_step("plan")
    tab.grab().save("/tmp/i15-edit-split.png")
    tab.steps.select_step("nudge")
    tab.step_form.grab().save("/tmp/i15-edit-path-form.png")
