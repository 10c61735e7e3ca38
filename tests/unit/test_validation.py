"""Validation: every rule of issue 2 §2, each problem placed and worded for a person —
the flow as a whole (name, steps, ids, the step tree, kinds), several problems at once
and the documented example. Cards, waits, triggers and paths have their own files."""

from __future__ import annotations

import pytest
from validation_support import (
    assert_sentence,
    card,
    flow,
    only_problem,
    problems,
    push,
    sound,
    wait,
)

from flowbench.domain.definition import Step, Trigger
from flowbench.domain.validation import has_errors, validate


def test_a_sound_flow_has_no_problems() -> None:
    assert problems(sound()) == []
    assert not has_errors([])


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name(name: str) -> None:
    only_problem(sound(), step=None, field="name", name=name, says="name")


def test_no_steps() -> None:
    only_problem(flow(), step=None, field="steps", says="no steps")


def test_duplicate_step_ids() -> None:
    only_problem(flow(card(), card(title="Other")), step="welcome", field="id",
                 says="share the id 'welcome'")


def test_unknown_parent() -> None:
    only_problem(flow(card(), wait(parent="nowhere")), step="later", field="parent",
                 says="The wait of 2 days follows a step that does not exist .“nowhere”")


def test_step_that_is_its_own_parent_is_reported_once() -> None:
    only_problem(flow(card(), wait("loop", parent="loop"), wait("after", parent="loop")),
                 step="loop", field="parent", says="The wait of 2 days cannot follow itself")


def test_cycle_is_reported_once_naming_its_steps() -> None:
    definition = flow(card(), wait("a", parent="c"), wait("b", parent="a"),
                      wait("c", parent="b"), wait("d", parent="a"))
    problem = only_problem(definition, step="a", field="parent", says="loop")
    assert "a → b → c" in problem.message


@pytest.mark.parametrize("step_id", ["", "has space", "tail\n", "x" * 65])
def test_unusable_step_id(step_id: str) -> None:
    only_problem(flow(card(step_id)), step=step_id, field="id", says="step id")


def test_unknown_step_kind() -> None:
    only_problem(flow(card(), Step("mystery", "send_fax", parent="welcome")),
                 step="mystery", field="kind", says="'send_fax' is not a known step kind")


def test_unknown_trigger_kind() -> None:
    only_problem(flow(card(), trigger=Trigger("cron")), step=None, field="trigger.kind",
                 says="'cron'")


def test_every_problem_is_reported_not_just_the_first() -> None:
    definition = flow(card(title=""), wait(duration="P0D"), push(card="later"),
                      trigger=Trigger("api_event", event="bad event"))
    found = problems(definition, name="")
    assert {(p.step, p.field) for p in found} == {
        (None, "name"), (None, "trigger.event"), ("welcome", "title"),
        ("later", "duration"), ("ping", "card")}
    assert all(p.is_error for p in found)
    assert has_errors(found)
    for problem in found:
        assert_sentence(problem.message)
        assert set(problem.to_dict()) == {"severity", "step", "field", "message"}


def test_the_documented_flow_file_example_reads_and_is_sound() -> None:
    from pathlib import Path

    from flowbench.domain.flow_file import parse_flow_file

    doc = (Path(__file__).resolve().parents[2] / "docs" / "flow-file-format.md").read_text()
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    flow = parse_flow_file(example)
    assert validate(flow.name, flow.definition, {"New trial users"}) == []
    assert {s.path for s in flow.definition.steps} == {None, "otherwise", "yes", "no"}
