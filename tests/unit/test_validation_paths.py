"""Validation of paths and decision splits: where a path may be taken, a timeout with
no otherwise step, a split's conditions."""

from __future__ import annotations

import pytest
from validation_support import SEGMENTS, assert_sentence, await_card, card, flow, problems, push

from flowbench.domain.definition import Step
from flowbench.domain.segment_rules import Condition
from flowbench.domain.validation import Severity, validate


def test_a_wait_with_a_timeout_and_no_otherwise_step_is_warned_that_the_branch_ends() -> None:
    found = problems(flow(card(), await_card(timeout="P3D"), push(parent="answer")))
    assert [(p.severity, p.step, p.field) for p in found] == [
        (Severity.WARNING, "answer", "timeout")]
    assert "on timeout this branch ends" in found[0].message
    assert problems(flow(card(), await_card(timeout="P3D"),
                         push(parent="answer", path="otherwise"))) == []
    assert problems(flow(card(), await_card(), push(parent="answer"))) == []


@pytest.mark.parametrize(("parent_steps", "path", "message"), [
    ((card(),), "otherwise", "has no paths"),
    ((), "otherwise", "Only a step right after"),
    ((card(), await_card()), "yes", "not a path of a wait"),
    ((Step("s", "split", parent=None, match="any",
           conditions=(Condition("plan", "exists"),)),), "otherwise", "“yes” or its “no”"),
    ((Step("s", "split", parent=None, match="any",
           conditions=(Condition("plan", "exists"),)),), None, "“yes” or its “no”"),
])
def test_a_path_only_under_a_wait_or_a_split_and_only_one_it_offers(parent_steps, path,
                                                                    message) -> None:
    parent = parent_steps[-1].id if parent_steps else None
    found = problems(flow(*parent_steps, push("child", parent=parent, path=path)))
    errors = [p for p in found if p.is_error]
    assert [(p.step, p.field) for p in errors] == [("child", "path")]
    assert message in errors[0].message
    assert_sentence(errors[0].message)


def test_a_split_needs_a_condition_and_sound_ones() -> None:
    empty = Step("s", "split", match="all")
    assert [(p.field, p.message) for p in problems(flow(empty))] == [
        ("conditions", "A decision split needs at least one condition.")]
    broken = Step("s", "split", match="both",
                  conditions=(Condition("plan", "between", 1), Condition("", "eq", 1)))
    fields = [p.field for p in problems(flow(broken)) if p.is_error]
    assert fields == ["match", "conditions[0]", "conditions[1]"]


def test_a_split_on_an_attribute_no_customer_has_is_a_warning() -> None:
    split = Step("s", "split", match="all", conditions=(Condition("plna", "eq", "pro"),))
    found = validate("F", flow(split), SEGMENTS, known_attributes={"plan"})
    assert [(p.severity, p.field) for p in found] == [(Severity.WARNING, "conditions[0]")]
    assert "plna" in found[0].message
    assert validate("F", flow(split), SEGMENTS) == []  # attributes not known: not checked
