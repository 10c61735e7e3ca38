"""Each trigger kind starts the live version — and only for customers not already in it."""

from __future__ import annotations

import pytest

from flowbench.domain.definition import Trigger
from flowbench.domain.errors import Conflict, NotFound
from flowbench.services import publishing
from flowbench.services.runtime import starts as runtime_starts

CUSTOMERS = "id,plan,test\nann,trial,no\nbob,pro,no\ntia,trial,yes\n"


def test_an_api_event_starts_every_live_flow_on_that_event(world) -> None:
    world.customers(CUSTOMERS)
    card, wait = world.card, world.wait
    world.on_event("Welcome", "signup", card("hi"), wait("w", "hi", "P1D"))
    world.on_event("Also", "signup", card("also"))
    world.on_event("Other", "login", card("other"))
    world.flow("Draft only", Trigger("api_event", event="signup"), card("never"),
               publish=False)

    result = world.event("ann", "signup")

    assert result.started == {"Welcome": 1, "Also": 1}
    assert world.cards() == [("ann", "hi", "active"), ("ann", "also", "active")]
    assert [(c, s) for c, _, s, _ in world.instances()] == [("ann", "running"),
                                                            ("ann", "completed")]


def test_a_customer_running_the_flow_is_not_started_again_until_it_ends(world) -> None:
    world.customers(CUSTOMERS)
    world.on_event("Welcome", "signup", world.card("hi"),
                   world.wait("w", "hi", "P1D"))
    world.event("ann", "signup")
    assert world.event("ann", "signup").started == {}
    assert len(world.instances()) == 1
    world.advance("P1D")  # the wait ends: the instance completes
    assert world.instances() == [("ann", 1, "completed", False)]
    assert world.event("ann", "signup").started == {"Welcome": 1}


def test_the_live_version_runs_not_the_draft(world) -> None:
    world.customers(CUSTOMERS)
    flow_id = world.on_event("Welcome", "signup", world.card("v1"))
    world.redraft(flow_id, world.card("v2"))
    world.event("ann", "signup")
    assert world.cards() == [("ann", "v1", "active")]


def test_entering_a_segment_starts_its_flows_once(world) -> None:
    world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
    world.on_segment("Onboarding", "Trial", world.card("hi"),
                     world.wait("w", "hi", "P7D"))

    result = world.customers(CUSTOMERS)
    assert result.entered == {"Trial": 2} and result.started == 2
    # the test account runs the live flow too, as test data
    assert world.instances() == [("ann", 1, "running", False), ("tia", 1, "running", True)]

    # leaving and entering again while still running does not start a second instance
    world.customers("id,plan\nann,pro\n")
    entered = world.customers("id,plan\nann,trial\nbob,trial\n")
    assert entered.entered == {"Trial": 2} and entered.started == 1
    assert [c for c, *_ in world.instances()] == ["ann", "tia", "bob"]


def test_customers_already_in_a_segment_are_not_started_by_publishing(world) -> None:
    world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
    world.customers(CUSTOMERS)
    world.on_segment("Onboarding", "Trial", world.card("hi"))
    assert world.instances() == []
    world.customers("id,plan\nnew,trial\n")  # only those who enter later
    assert [c for c, *_ in world.instances()] == ["new"]


def test_a_new_segment_rule_lets_customers_enter_and_start(world) -> None:
    world.customers(CUSTOMERS)
    world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
    world.on_segment("Onboarding", "Trial", world.card("hi"))
    world.segment("Trial", {"attribute": "plan", "op": "in", "value": ["trial", "pro"]})
    assert [c for c, *_ in world.instances()] == ["bob"]


def test_a_manual_flow_starts_for_chosen_customers(world) -> None:
    world.customers(CUSTOMERS)
    world.manual("Survey", world.card("ask"), world.wait("w", "ask", "P1D"))
    first = runtime_starts.start_manual(world.cast.publisher, "Survey", ["ann", "bob"])
    assert (first.sent, first.skipped) == (["ann", "bob"], [])
    again = runtime_starts.start_manual(world.cast.publisher, "Survey", ["bob", "tia"])
    assert again.sent == ["tia"]
    assert again.skipped == [("bob", runtime_starts.ALREADY_RUNNING)]
    assert world.cards() == [("ann", "ask", "active"), ("bob", "ask", "active"),
                             ("tia", "ask", "active")]


def test_manual_starts_are_refused_for_other_triggers_and_unknown_customers(world) -> None:
    world.customers(CUSTOMERS)
    world.on_event("Welcome", "signup", world.card("hi"))
    with pytest.raises(Conflict, match="starts on the event 'signup', not by hand"):
        runtime_starts.start_manual(world.cast.publisher, "Welcome", ["ann"])
    world.manual("Survey", world.card("ask"))
    with pytest.raises(NotFound, match="'zed'"):
        runtime_starts.start_manual(world.cast.publisher, "Survey", ["ann", "zed"])
    assert world.instances() == []  # nothing was started for ann either


def test_a_publish_after_events_runs_the_new_version_for_new_starts(world) -> None:
    world.customers(CUSTOMERS)
    flow_id = world.on_event("Welcome", "signup", world.card("v1"))
    world.redraft(flow_id, world.card("v2"))
    publishing.publish_draft(world.cast.owner, flow_id)
    world.event("bob", "signup")
    assert world.instances() == [("bob", 2, "completed", False)]
    assert world.cards() == [("bob", "v2", "active")]
