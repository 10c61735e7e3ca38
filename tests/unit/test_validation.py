"""Validation: every rule of issue 2 §2, each problem placed and worded for a person."""

from __future__ import annotations

import re

import pytest

from flowbench.domain.definition import (
    Button,
    FlowDefinition,
    Step,
    Trigger,
)
from flowbench.domain.segment_rules import Condition
from flowbench.domain.validation import Problem, Severity, has_errors, validate

SEGMENTS = {"Trial users", "Churn risk"}


def card(step_id: str = "welcome", parent: str | None = None, **fields) -> Step:
    values = {"title": "Welcome!", "body": "Let's get you set up.",
              "buttons": (Button("Start", "submit"),), "priority": 5}
    values.update(fields)
    return Step(step_id, "send_card", parent=parent, **values)


def push(step_id: str = "ping", parent: str | None = "welcome", **fields) -> Step:
    values = {"title": "New card", "body": "Open the app"}
    values.update(fields)
    return Step(step_id, "send_push", parent=parent, **values)


def wait(step_id: str = "later", parent: str | None = "welcome",
         duration: str | None = "P2D") -> Step:
    return Step(step_id, "wait_duration", parent=parent, duration=duration)


def await_card(step_id: str = "answer", parent: str | None = "welcome",
               card_id: str | None = "welcome", action: str | None = "submitted",
               timeout: str | None = None) -> Step:
    return Step(step_id, "wait_card_action", parent=parent, card=card_id, action=action,
                timeout=timeout)


def flow(*steps: Step, trigger: Trigger | None = None) -> FlowDefinition:
    return FlowDefinition(trigger=trigger or Trigger("api_event", event="signup_completed"),
                          steps=tuple(steps))


def sound() -> FlowDefinition:
    """The example of issue 2 §5: every step kind, every optional field."""
    return flow(
        card(buttons=(Button("Start", "submit"), Button("Docs", "link", "https://example.com")),
             expires_after="P7D"),
        push(card="welcome"),
        await_card(timeout="P3D"),
        push("nudge", parent="answer", path="otherwise"),
        Step("plan", "split", parent="answer", match="all",
             conditions=(Condition("plan", "eq", "pro"), Condition("seats", "in", (1, 2)))),
        push("pro", parent="plan", path="yes"),
        wait(),
    )


def problems(definition: FlowDefinition, name: str = "Welcome series") -> list[Problem]:
    return validate(name, definition, SEGMENTS)


def assert_sentence(message: str) -> None:
    """A message a person reads: a capitalised (or quoted) sentence, no code leaking."""
    assert len(message) >= 12, message
    assert message[0].isupper() or message[0] in "'“", message
    assert message.rstrip().endswith((".", "?", "!")), message
    for leak in ("None", "Step(", "Trigger(", "{", "}", "Traceback", "<"):
        assert leak not in message, message


def only_problem(definition: FlowDefinition, *, severity: Severity = Severity.ERROR,
                 step: str | None, field: str, name: str = "Welcome series",
                 says: str = "") -> Problem:
    found = problems(definition, name)
    assert len(found) == 1, found
    problem = found[0]
    assert (problem.severity, problem.step, problem.field) == (severity, step, field)
    assert_sentence(problem.message)
    if says:
        assert re.search(says, problem.message, re.IGNORECASE), problem.message
    return problem


# --- the flow itself -------------------------------------------------------------------

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


# --- cards and pushes -----------------------------------------------------------------

@pytest.mark.parametrize("value", [None, "", "   "])
@pytest.mark.parametrize("field", ["title", "body"])
def test_empty_card_title_or_body(field: str, value: str | None) -> None:
    only_problem(flow(card(**{field: value})), step="welcome", field=field,
                 says=f"card {'title' if field == 'title' else 'body'} is empty")


@pytest.mark.parametrize("field", ["title", "body"])
def test_empty_push_title_or_body(field: str) -> None:
    only_problem(flow(card(), push(**{field: " "})), step="ping", field=field, says="empty")


def test_bad_button_action() -> None:
    definition = flow(card(buttons=(Button("OK", "submit"), Button("Go", "teleport"))))
    only_problem(definition, step="welcome", field="buttons[1].action",
                 says="Button 2 has the unknown action 'teleport'")


def test_button_without_label() -> None:
    only_problem(flow(card(buttons=(Button(" ", "dismiss"),))), step="welcome",
                 field="buttons[0].label", says="no label")


@pytest.mark.parametrize("url", [None, ""])
def test_link_button_without_url(url: str | None) -> None:
    only_problem(flow(card(buttons=(Button("Docs", "link", url),))), step="welcome",
                 field="buttons[0].url", says="link but has no URL")


@pytest.mark.parametrize("url", ["example.com", "ftp://example.com/x", "https://"])
def test_link_button_with_a_url_that_is_not_a_web_address(url: str) -> None:
    only_problem(flow(card(buttons=(Button("Docs", "link", url),))), step="welcome",
                 field="buttons[0].url", says="not a web address")


@pytest.mark.parametrize("priority", [0, 11, -3])
def test_priority_out_of_range(priority: int) -> None:
    only_problem(flow(card(priority=priority)), step="welcome", field="priority",
                 says="between 1 and 10")


@pytest.mark.parametrize("target, says", [
    ("later", "links to the wait of 2 days, which does not send a card"),
    ("ping", "links to the push “New card”, which does not send a card"),
    ("nowhere", "a card that is no longer in the flow .step “nowhere”.; choose another"),
])
def test_push_linked_to_a_step_that_is_not_a_send_card_step(target: str, says: str) -> None:
    only_problem(flow(card(), wait(), push(card=target)), step="ping", field="card",
                 says=says)


def test_push_linked_to_any_card_step_is_fine() -> None:
    assert problems(flow(card(), card("other"), push(parent="other", card="welcome"))) == []


# --- durations ------------------------------------------------------------------------

@pytest.mark.parametrize("value, says", [
    ("P0D", "longer than zero"),
    ("PT0S", "longer than zero"),
    ("-P1D", "longer than zero"),
    ("P11Y", "at most 10 years"),
    ("PT87601H", "at most 10 years"),
    ("P99999999999999D", "at most 10 years"),
    ("PT30S", "at least 1 minute"),
    ("soon", "not a duration"),
    ("P", "not a duration"),
    ("2 dayz", "write e.g. 2 hours"),
])
def test_non_positive_absurd_or_unreadable_wait(value: str, says: str) -> None:
    only_problem(flow(card(), wait(duration=value)), step="later", field="duration",
                 says=says)


def test_missing_wait_duration() -> None:
    only_problem(flow(card(), wait(duration=None)), step="later", field="duration",
                 says="missing")


@pytest.mark.parametrize("value", ["P2Y", "P400D", "P10Y"])
def test_a_wait_of_more_than_a_year_within_the_limit_is_only_a_warning(value: str) -> None:
    problem = only_problem(flow(card(), wait(duration=value)), severity=Severity.WARNING,
                           step="later", field="duration", says="longer than a year")
    assert not problem.is_error
    assert not has_errors([problem])


@pytest.mark.parametrize("field, step_id, definition", [
    ("expires_after", "welcome", flow(card(expires_after="P0D"))),
    ("timeout", "answer", flow(card(), await_card(timeout="-PT5M"))),
])
def test_optional_durations_are_checked_too(field: str, step_id: str,
                                            definition: FlowDefinition) -> None:
    only_problem(definition, step=step_id, field=field, says="longer than zero")


# --- wait for a card action -------------------------------------------------------------

def test_wait_for_the_card_of_a_grandparent_is_fine() -> None:
    assert problems(flow(card(), wait(), await_card(parent="later"))) == []


@pytest.mark.parametrize("steps, says", [
    ((card(), card("sibling", title="Hello"), await_card(card_id="sibling")),
     "The card “Hello” is not sent before this step"),  # not an ancestor
    ((card(), await_card(card_id="answer")),
     "is submitted does not send a card"),  # itself
    ((card(), wait(), await_card(card_id="later")),
     "The wait of 2 days does not send a card"),  # not a card step
    ((card(), push(), await_card(parent="ping", card_id="ping")),
     "The push “New card” does not send a card"),  # a push ancestor
    ((card(), await_card(card_id="nowhere")),
     "no longer in the flow .step “nowhere”."),  # no such step (e.g. removed)
    ((card(), await_card(), card("after", parent="answer", title="Later"),
      await_card("x", parent="welcome", card_id="after")),
     "The card “Later” is not sent before this step"),  # a descendant card
])
def test_wait_for_a_card_that_is_not_a_send_card_ancestor(steps: tuple[Step, ...],
                                                          says: str) -> None:
    step_id = steps[-1].id
    only_problem(flow(*steps), step=step_id, field="card", says=says)


def test_wait_for_a_card_action_without_a_card() -> None:
    only_problem(flow(card(), await_card(card_id=None)), step="answer", field="card",
                 says="Choose the card step")


@pytest.mark.parametrize("action, says", [(None, "Choose the card action"),
                                          ("", "Choose the card action"),
                                          ("clicked", "'clicked' is not a card action")])
def test_wait_for_a_missing_or_unknown_card_action(action: str | None, says: str) -> None:
    only_problem(flow(card(), await_card(action=action)), step="answer", field="action",
                 says=says)


# --- triggers ---------------------------------------------------------------------------

@pytest.mark.parametrize("event", ["a", "signup_completed", "app.open-v2", "x" * 100])
def test_valid_event_names(event: str) -> None:
    assert problems(flow(card(), trigger=Trigger("api_event", event=event))) == []


@pytest.mark.parametrize("event, says", [
    (None, "needs an event name"),
    ("", "needs an event name"),
    ("  ", "needs an event name"),
    ("x" * 101, "not a valid event name"),
    ("sign up", "not a valid event name"),
    (" signup", "not a valid event name"),
    ("signup\n", "not a valid event name"),
    ("signup!", "not a valid event name"),
    ("café", "not a valid event name"),
])
def test_invalid_event_names(event: str | None, says: str) -> None:
    only_problem(flow(card(), trigger=Trigger("api_event", event=event)), step=None,
                 field="trigger.event", says=says)


def test_segment_trigger_naming_a_known_segment_is_fine() -> None:
    assert problems(flow(card(), trigger=Trigger("segment_entered",
                                                 segment="Trial users"))) == []


@pytest.mark.parametrize("segment, says", [
    (None, "needs a segment"),
    ("", "needs a segment"),
    ("Trial", "no segment named 'Trial'"),
    ("trial users", "no segment named"),
    (" Trial users", "no segment named"),
])
def test_segment_trigger_without_segment_or_with_an_unknown_one(segment: str | None,
                                                                says: str) -> None:
    only_problem(flow(card(), trigger=Trigger("segment_entered", segment=segment)),
                 step=None, field="trigger.segment", says=says)


def test_segment_trigger_in_a_workspace_without_segments() -> None:
    found = validate("Flow", flow(card(), trigger=Trigger("segment_entered", segment="X")))
    assert [(p.step, p.field) for p in found] == [(None, "trigger.segment")]


def test_manual_trigger_needs_nothing() -> None:
    assert problems(flow(card(), trigger=Trigger("manual"))) == []


# --- several problems at once -----------------------------------------------------------

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


# --- paths and decision splits ------------------------------------------------------------

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


def test_the_documented_flow_file_example_reads_and_is_sound() -> None:
    from pathlib import Path

    from flowbench.domain.flow_file import parse_flow_file

    doc = (Path(__file__).resolve().parents[2] / "docs" / "flow-file-format.md").read_text()
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    flow = parse_flow_file(example)
    assert validate(flow.name, flow.definition, {"New trial users"}) == []
    assert {s.path for s in flow.definition.steps} == {None, "otherwise", "yes", "no"}
