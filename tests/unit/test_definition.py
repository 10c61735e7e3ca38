"""Flow definitions: JSON round trip, content hash, the step tree."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.definition import (
    Button,
    FlowDefinition,
    Step,
    Trigger,
    default_step,
)

ISSUE_EXAMPLE = {
    "description": "",
    "trigger": {"kind": "api_event", "event": "signup_completed"},
    "steps": [
        {"id": "welcome", "kind": "send_card", "title": "Welcome!",
         "body": "Let's get you set up.",
         "buttons": [{"label": "Start", "action": "submit"},
                     {"label": "Docs", "action": "link", "url": "https://example.com"}],
         "expires_after": "P7D", "priority": 5},
        {"id": "ping", "kind": "send_push", "parent": "welcome", "title": "New card",
         "body": "Open the app", "card": "welcome"},
        {"id": "wait", "kind": "wait_card_action", "parent": "welcome", "card": "welcome",
         "action": "submitted", "timeout": "P3D"},
        {"id": "later", "kind": "wait_duration", "parent": "welcome", "duration": "P2D"},
    ],
}


def example() -> FlowDefinition:
    return FlowDefinition.from_dict(ISSUE_EXAMPLE)


def test_round_trip_through_dict_and_json() -> None:
    definition = example()
    assert definition.to_dict() == ISSUE_EXAMPLE
    assert FlowDefinition.from_json(definition.to_json()) == definition
    assert definition.steps[0].buttons[1] == Button("Docs", "link", "https://example.com")


def test_json_is_canonical_and_keeps_non_ascii_text() -> None:
    definition = example().with_step(example().steps[0].with_changes(title="Grüß dich 👋"))
    text = definition.to_json()
    assert "Grüß dich 👋" in text
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False)


def test_equal_content_has_equal_hash_whatever_the_key_order() -> None:
    shuffled = json.loads(json.dumps(ISSUE_EXAMPLE))
    shuffled["steps"][0] = dict(reversed(list(shuffled["steps"][0].items())))
    shuffled = dict(reversed(list(shuffled.items())))
    assert FlowDefinition.from_dict(shuffled).content_hash() == example().content_hash()
    assert len(example().content_hash()) == 64


def test_fields_that_do_not_belong_to_the_step_kind_do_not_count() -> None:
    stray = example().with_step(example().step("later").with_changes(title="ignored"))
    assert stray.content_hash() == example().content_hash()


@pytest.mark.parametrize("change", [
    lambda d: d.with_description("Now with a description"),
    lambda d: d.with_trigger(Trigger("api_event", event="signup_started")),
    lambda d: d.with_trigger(Trigger("manual")),
    lambda d: d.with_step(d.step("welcome").with_changes(title="Welcome")),
    lambda d: d.with_step(d.step("welcome").with_changes(priority=6)),
    lambda d: d.with_step(d.step("welcome").with_changes(buttons=())),
    lambda d: d.with_step(d.step("later").with_changes(duration="P3D")),
    lambda d: d.with_step(d.step("later").with_changes(parent=None)),
    lambda d: d.without_step("ping"),
    lambda d: d.with_steps(d.steps + (Step("more", "wait_duration", duration="P1D"),)),
])
def test_any_real_change_changes_the_hash(change) -> None:
    assert change(example()).content_hash() != example().content_hash()


def test_tree_queries() -> None:
    definition = FlowDefinition(steps=(
        Step("a", "send_card"), Step("b", "wait_duration", parent="a"),
        Step("c", "send_card", parent="b"), Step("d", "wait_duration", parent="a"),
        Step("x", "wait_duration", parent="y"), Step("y", "wait_duration", parent="x")))
    assert [s.id for s in definition.roots()] == ["a"]
    assert [s.id for s in definition.children("a")] == ["b", "d"]
    assert [s.id for s in definition.ancestors("c")] == ["b", "a"]
    assert [s.id for s in definition.ancestors("x")] == ["y"]  # stops at the loop
    assert [(depth, s.id) for depth, s in definition.walk()] == [
        (0, "a"), (1, "b"), (2, "c"), (1, "d"), (0, "x"), (0, "y")]


def test_removing_a_step_moves_its_children_up() -> None:
    definition = example().without_step("welcome")
    assert definition.step("welcome") is None
    assert {s.id: s.parent for s in definition.steps} == {"ping": None, "wait": None,
                                                          "later": None}
    assert example().without_step("nowhere") == example()


def test_new_step_ids_are_unique_and_default_steps_have_their_kind() -> None:
    definition = FlowDefinition(steps=(Step("card_1", "send_card"),))
    assert definition.new_step_id("send_card") == "card_2"
    assert definition.new_step_id("wait_duration") == "wait_1"
    for kind in ("send_card", "send_push", "wait_duration", "wait_card_action"):
        step = default_step(kind, "s", parent="p")
        assert (step.kind, step.parent) == (kind, "p")
