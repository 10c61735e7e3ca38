"""Validation of waits: durations (unreadable, absurd, missing, long enough for a
warning) and waiting for a card action (which card, which action)."""

from __future__ import annotations

import pytest
from validation_support import await_card, card, flow, only_problem, problems, push, wait

from flowbench.domain.definition import FlowDefinition, Step
from flowbench.domain.validation import Severity, has_errors


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
