"""The limits every flow keeps: 1,000 steps, depth 500, durations up to 10 years, texts
without control characters — refused when a file is read, naming the place; shown by
validation; and nothing that describes a flow grows faster than the flow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from big_flow_support import largest_flow, line_of

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.durations import DurationError, parse_duration
from flowbench.domain.flow_file import FlowFileError, dump_flow_file, parse_flow_file
from flowbench.domain.flow_summary import steps_in_words
from flowbench.domain.limits import MAX_DEPTH, MAX_STEPS, LimitExceeded, check_limits
from flowbench.domain.validation import validate
from flowbench.ui.publish.plan_text import _bullets


def file_of(steps: list[dict[str, Any]], **top: Any) -> str:
    document = {"format": "flowbench.flow", "format_version": 1, "name": "Limits",
                "trigger": {"kind": "manual"}, "steps": steps, **top}
    return json.dumps(document)


def refusal(text: str) -> str:
    with pytest.raises(FlowFileError) as refused:
        parse_flow_file(text)
    return str(refused.value)


def card(step_id: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"id": step_id, "kind": "send_card", "title": "Hi", "body": "Body",
            **({"parent": parent} if parent else {}), **fields}


def test_the_issue_example_a_huge_timeout_is_refused_naming_its_place() -> None:
    steps = [card("a"), card("b", "a"), card("c", "b"), card("d", "c"),
             {"id": "e", "kind": "wait_card_action", "parent": "d", "card": "d",
              "action": "any", "timeout": "P99999999999999D"}]
    assert refusal(file_of(steps)) == "steps[4].timeout: at most 10 years"


@pytest.mark.parametrize("field, value", [
    ("timeout", "PT999999999999999999H"), ("timeout", "P11Y"), ("timeout", "PT87601H"),
    ("expires_after", "P3651D"), ("duration", "P9999999999Y")])
def test_durations_past_ten_years_are_refused_without_an_overflow(field: str,
                                                                  value: str) -> None:
    kind = {"timeout": "wait_card_action", "expires_after": "send_card",
            "duration": "wait_duration"}[field]
    step: dict[str, Any] = {"id": "s", "kind": kind, field: value}
    if kind == "send_card":
        step.update(title="Hi", body="Body")
    assert refusal(file_of([step])) == f"steps[0].{field}: at most 10 years"


def test_ten_years_exactly_is_allowed_and_validates_with_a_warning() -> None:
    flow = parse_flow_file(file_of([{"id": "w", "kind": "wait_duration",
                                     "duration": "P10Y"}]))
    problems = validate("Limits", flow.definition)
    assert [(p.severity, p.field) for p in problems] == [("warning", "duration")]


def test_a_duration_far_too_large_to_compute_is_a_duration_error() -> None:
    with pytest.raises(DurationError, match="at most 10 years"):
        parse_duration("P99999999999999D")


def test_at_most_one_thousand_steps() -> None:
    steps = [{"id": f"w{i}", "kind": "wait_duration", "duration": "P1D"}
             for i in range(MAX_STEPS + 1)]
    assert refusal(file_of(steps)) == "steps: at most 1,000 steps (this file has 1,001)"
    assert len(parse_flow_file(file_of(steps[:MAX_STEPS])).definition.steps) == MAX_STEPS


def test_a_line_of_five_hundred_steps_is_the_deepest_allowed() -> None:
    deepest = line_of(MAX_DEPTH)
    check_limits(deepest)  # the benchmark's 500-step line
    too_deep = line_of(MAX_DEPTH + 1)
    with pytest.raises(LimitExceeded) as refused:
        check_limits(too_deep)
    assert refused.value.place == f"steps[{MAX_DEPTH}].parent"
    text = dump_flow_file("Deep", too_deep)
    assert refusal(text).startswith(f"steps[{MAX_DEPTH}].parent: more than 500 steps deep")


def test_depth_counts_steps_listed_before_their_parents() -> None:
    steps = [Step(f"s{i}", "wait_duration", parent=f"s{i + 1}" if i < MAX_DEPTH else None,
                  duration="P1D") for i in range(MAX_DEPTH + 1)]
    with pytest.raises(LimitExceeded, match="more than 500 steps deep"):
        check_limits(FlowDefinition(steps=tuple(steps)))


@pytest.mark.parametrize("where, step, says", [
    ("steps[0].title", card("a", title="Hi\x1b[2J"), "control character (escape)"),
    ("steps[0].title", card("a", title="Two\nlines"), "control character (line break)"),
    ("steps[0].buttons[0].label", card("a", buttons=[{"label": "\x00", "action": "submit"}]),
     "control character (NUL)"),
    ("steps[0].body", card("a", body="x" * 10_001), "at most 10,000 characters"),
    ("steps[0].id", {"id": "a\x7f", "kind": "wait_duration", "duration": "P1D"},
     "control character (DEL)"),
    ("steps[0].priority", card("a", priority=10**12), "at most 1,000,000"),
])
def test_texts_and_numbers_are_bounded(where: str, step: dict[str, Any], says: str) -> None:
    message = refusal(file_of([step]))
    assert message.startswith(f"{where}: ") and says in message


def test_a_body_and_the_description_may_hold_line_breaks() -> None:
    flow = parse_flow_file(file_of([card("a", body="Line one\nLine two\ttabbed")],
                                   description="About\nthis flow"))
    assert flow.definition.steps[0].body == "Line one\nLine two\ttabbed"


@pytest.mark.parametrize("name, says", [("Bad\x00", "NUL"), ("Esc\x1b", "escape"),
                                        ("Two\nlines", "line break"), ("n" * 201, "200")])
def test_a_flow_name_is_bounded(name: str, says: str) -> None:
    message = refusal(file_of([], name=name))
    assert message.startswith("name: ") and says in message


def test_a_lone_surrogate_is_refused() -> None:
    text = file_of([card("a")]).replace('"Hi"', '"\\ud800"')
    assert refusal(text).startswith("steps[0].title: ")


def test_validation_reports_limits_the_editor_can_break() -> None:
    definition = FlowDefinition(trigger=Trigger("manual"), steps=(
        Step("a", "send_card", title="Hi\x1b", body="Body", buttons=(Button("OK"),)),
        Step("w", "wait_duration", parent="a", duration="P99999999999999D"),
    ))
    found = {(p.step, p.field): p.message for p in validate("Limits", definition)}
    assert "control character (escape)" in found[("a", "title")]
    assert "at most 10 years" in found[("w", "duration")]


def test_a_definition_past_a_limit_is_one_problem_not_thousands() -> None:
    steps = tuple(Step(f"w{i}", "wait_duration", duration="P0D") for i in range(5_000))
    problems = validate("Huge", FlowDefinition(steps=steps))
    assert [(p.field, p.is_error) for p in problems] == [("steps", True)]


def test_the_summary_of_the_largest_flow_is_linear_in_its_size() -> None:
    largest = largest_flow()
    assert len(largest.steps) == MAX_STEPS
    check_limits(largest)
    assert validate("Largest", largest) == []  # validation copes with it, too

    lines = steps_in_words(largest)
    half = steps_in_words(largest_flow(MAX_STEPS // 2))
    # one line a step, and a path heading ("If the card is closed:") under each card wait
    assert MAX_STEPS <= len(lines) <= 2 * MAX_STEPS
    longest = max(len(line) for line in lines)
    assert longest <= 120, max(lines, key=len)  # no line grows with the depth
    assert len("\n".join(lines)) <= 2.2 * len("\n".join(half))
    html = _bullets(lines)
    assert len(html) <= 2.2 * len(_bullets(half))
    assert "[level 500]" in "\n".join(lines)  # the deepest step still says where it is


def _split_on(value: Any) -> FlowDefinition:
    from flowbench.domain.definition import condition_from_dict
    rule = condition_from_dict({"attribute": "revenue", "op": "gt", "value": value})
    return FlowDefinition(steps=(Step("s", "split", match="all", conditions=(rule,)),
                                 Step("p", "send_push", parent="s", path="yes",
                                      title="Hi", body="Hi")))


def test_a_split_compares_large_numbers_as_a_segment_rule_does() -> None:
    check_limits(_split_on(5_000_000))  # not a priority: 18 digits are fine
    check_limits(_split_on("x" * 1_000))
    with pytest.raises(LimitExceeded, match=r"steps\[0\]\.conditions\[0\]\.value: more than "
                                            "18 digits"):
        check_limits(_split_on(10 ** 19))
    with pytest.raises(LimitExceeded, match="at most 1,000 characters"):
        check_limits(_split_on("x" * 1_001))
