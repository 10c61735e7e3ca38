"""Steps named for people: by title or what they do, the id only as a detail; a card
action "any" reads "closed"."""

from __future__ import annotations

from flowbench.domain.changes import describe_changes, describe_step
from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.step_names import action_words, card_words, name_step, step_words

CARD = Step("card_1", "send_card", title="Welcome!", body="Hi", buttons=(Button("OK"),))
WAIT = Step("await_1", "wait_card_action", "card_1", card="card_1", action="any")
FLOW = FlowDefinition(Trigger("manual"), (CARD, WAIT))


def test_a_wait_for_any_action_reads_closed() -> None:
    assert action_words("any") == "closed"
    assert action_words("submitted") == "submitted"
    assert step_words(WAIT, FLOW) == "the wait until “Welcome!” is closed"
    assert describe_step(WAIT, FLOW) == "Wait until “Welcome!” is closed"


def test_steps_are_named_by_title_and_the_id_only_when_nothing_else_says_it() -> None:
    assert card_words(FLOW, "card_1") == "“Welcome!”"
    assert step_words(CARD) == "the card “Welcome!”"
    untitled = Step("card_2", "send_card", title="", body="")
    assert step_words(untitled) == "the untitled card “card_2”"
    assert name_step(FLOW, "gone") == "the step “gone”"


def test_the_changes_since_the_live_version_name_steps_by_title() -> None:
    newer = FlowDefinition(Trigger("manual"), (
        Step("card_1", "send_card", title="Welcome back!", body="Hi", buttons=(Button("OK"),)),
        Step("push_1", "send_push", "card_1", title="Psst", body="Look")))
    assert describe_changes(FLOW, newer) == [
        "Changed the card “Welcome back!” (step card_1): title “Welcome!” → "
        "“Welcome back!”.",
        "Added: Send push “Psst” (step push_1).",
        "Removed: Wait until “Welcome!” is closed (step await_1)."]
