"""Steps, flows and assertions shared by the validation tests (tests/unit/test_validation*.py):
sound defaults for each step kind, the issue's example flow, and `only_problem`, which
holds a single problem to its place and to the wording a person reads."""

from __future__ import annotations

import re

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.segment_rules import Condition
from flowbench.domain.validation import Problem, Severity, validate

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
