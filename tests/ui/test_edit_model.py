"""The Edit tab's model layer: tree edits, incremental validation, undo, recovery files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import (
    Button,
    FlowDefinition,
    Step,
    StepKind,
    Trigger,
    default_step,
)
from flowbench.domain.validation import validate
from flowbench.ui.binding_guard import keep_singletons_alive
from flowbench.ui.edit import definition_edits as edits
from flowbench.ui.edit.flow_editor import EditBase, FlowEditor
from flowbench.ui.edit.problem_tracker import ProblemTracker
from flowbench.ui.edit.recovery import RecoveryStore

keep_singletons_alive()


def branched() -> FlowDefinition:
    """card_1 → (wait_1 → push_1 → await_2, await_1); card_2"""
    return FlowDefinition(trigger=Trigger("api_event", event="signup"), steps=(
        Step("card_1", "send_card", None, title="Hi", body="Welcome",
             buttons=(Button("OK", "submit"),), priority=5),
        Step("wait_1", "wait_duration", "card_1", duration="P1D"),
        Step("push_1", "send_push", "wait_1", title="Ping", body="Come back", card="card_1"),
        Step("await_1", "wait_card_action", "card_1", card="card_1", action="any"),
        Step("await_2", "wait_card_action", "push_1", card="card_1", action="submitted"),
        Step("card_2", "send_card", None, title="Other", body="Elsewhere", priority=3),
    ))


def ids(definition: FlowDefinition, parent: str | None) -> list[str]:
    return [s.id for s in definition.children(parent)]


# --- tree edits ------------------------------------------------------------------------
def test_add_child_and_sibling_place_new_steps_where_asked() -> None:
    definition, new = edits.add_child(branched(), "wait_card_action", "wait_1")
    assert definition.step(new).parent == "wait_1"
    assert definition.step(new).card == "card_1", "a card-action wait points at its card"
    definition, sibling = edits.add_sibling(definition, "send_push", "wait_1")
    assert ids(definition, "card_1") == ["wait_1", sibling, "await_1"]


def test_move_among_siblings_and_under_another_step() -> None:
    definition = edits.move_among_siblings(branched(), "await_1", -1)
    assert ids(definition, "card_1") == ["await_1", "wait_1"]
    assert edits.move_among_siblings(definition, "await_1", -1) == definition
    moved = edits.move_under(definition, "push_1", "card_1", 0)
    assert ids(moved, "card_1") == ["push_1", "await_1", "wait_1"]
    assert edits.move_under(moved, "card_1", "wait_1") == moved, "no loops"
    assert not edits.can_move_under(moved, "card_1", "await_1")
    assert edits.can_move_under(moved, "await_1", None)


def test_display_tree_shows_orphans_and_loops_at_the_top() -> None:
    definition = FlowDefinition(steps=(
        Step("a", "wait_duration", "ghost", duration="P1D"),
        Step("b", "wait_duration", "c", duration="P1D"),
        Step("c", "wait_duration", "b", duration="P1D"),
    ))
    children, parent_of = edits.display_tree(definition)
    assert set(parent_of) == {"a", "b", "c"}
    assert children[None][:2] == ["a", "b"] and children["b"] == ["c"]


# --- incremental validation --------------------------------------------------------------
FIELD_VALUES = {
    "title": st.sampled_from(["", " ", "Hello", "x" * 130]),
    "body": st.sampled_from(["", "Body"]),
    "duration": st.sampled_from(["", "P2D", "PT0S", "PT30S", "banana", "P2Y"]),
    "expires_after": st.sampled_from([None, "P1D", "nope"]),
    "timeout": st.sampled_from([None, "PT1H", "-P1D"]),
    "action": st.sampled_from(["any", "submitted", "exploded"]),
    "card": st.sampled_from([None, "card_1", "card_2", "wait_1", "push_1", "await_1",
                             "await_2", "missing"]),
    "priority": st.sampled_from([1, 5, 11]),
}


@given(st.lists(st.tuples(st.sampled_from(["card_1", "wait_1", "push_1", "await_1",
                                            "await_2"]),
                          st.sampled_from(sorted(FIELD_VALUES)), st.data()), max_size=12))
def test_incremental_validation_matches_a_full_validation(edits_list: list) -> None:
    definition = branched()
    tracker = ProblemTracker()
    tracker.revalidate_all("Flow", definition)
    for step_id, field, data in edits_list:
        value = data.draw(FIELD_VALUES[field])
        definition = definition.with_step(definition.step(step_id).with_changes(
            **{field: value}))
        tracker.revalidate_step("Flow", definition, step_id)
        assert sorted(map(repr, tracker.problems())) == \
            sorted(map(repr, validate("Flow", definition)))


def test_flow_level_revalidation_reports_only_what_changed() -> None:
    tracker = ProblemTracker()
    definition = branched()
    assert tracker.revalidate_all("Flow", definition) == set()
    changed = tracker.revalidate_flow("", definition.with_trigger(Trigger("api_event")))
    assert changed == {None}
    assert {p.field for p in tracker.for_key(None)} == {"name", "trigger.event"}
    assert tracker.revalidate_flow("", definition.with_trigger(Trigger("api_event"))) == set()


# --- the editor and its undo stack ---------------------------------------------------------
@pytest.fixture
def editor(qtbot: QtBot) -> FlowEditor:
    editor = FlowEditor()
    editor.read_only = False
    editor.load(EditBase(1, 1, 1, True, "Flow"), "Flow", branched())
    return editor


def test_typing_in_one_field_undoes_as_one_step(editor: FlowEditor) -> None:
    for text in ("H", "He", "Hel"):
        editor.set_step_field("push_1", "title", text)
    editor.set_step_field("card_1", "title", "Hey")
    assert editor.stack.count() == 2 and editor.is_dirty()
    editor.stack.undo()
    assert editor.definition.step("card_1").title == "Hi"
    editor.stack.undo()
    assert editor.definition.step("push_1").title == "Ping" and not editor.is_dirty()
    editor.stack.redo()
    assert editor.definition.step("push_1").title == "Hel"


def test_structural_edits_undo_and_read_only_refuses(editor: FlowEditor) -> None:
    new = editor.add_child(StepKind.SEND_CARD.value, "push_1")
    editor.remove_step("wait_1")
    assert editor.definition.step("push_1").parent == "card_1"
    editor.stack.undo()
    editor.stack.undo()
    assert editor.definition == branched() and new is not None
    editor.read_only = True
    editor.set_name("Nope")
    assert editor.name == "Flow" and editor.stack.count() == 2


# --- recovery files ------------------------------------------------------------------------
def test_recovery_files_round_trip_and_survive_garbage(tmp_path: Path) -> None:
    store = RecoveryStore("/some/workspace.flowbench", tmp_path)
    other = RecoveryStore("/another/workspace.flowbench", tmp_path)
    definition = branched().with_step(default_step("send_card", "card_1"))
    path = store.write(7, "Edited", definition, 2, 5)
    assert path.parent == tmp_path and not list(tmp_path.glob("*.tmp"))
    kept = store.read(7)
    assert kept is not None and (kept.name, kept.definition, kept.base_version,
                                 kept.base_revision) == ("Edited", definition, 2, 5)
    assert other.read(7) is None, "each workspace keeps its own recovery files"
    path.write_text("{not json", encoding="utf-8")
    assert store.read(7) is None
    path.write_text(json.dumps({"flow_id": 7}), encoding="utf-8")
    assert store.read(7) is None
    store.delete(7)
    store.delete(7)
    assert not path.exists()
