"""Validation of triggers: event names, segments the workspace has or has not, and
the manual trigger."""

from __future__ import annotations

import pytest
from validation_support import card, flow, only_problem, problems

from flowbench.domain.definition import Trigger
from flowbench.domain.validation import validate


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
