"""The publish with its three choices: each alone, together, defaults, test data untouched."""

from __future__ import annotations

import itertools
import json

import pytest
from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import onboarding, publish_first_version, start_next

from flowbench.domain.errors import InvalidInput
from flowbench.domain.publish_plan import PublishChoices, choice_texts, publish_counts
from flowbench.services import drafts, flows, publishing
from flowbench.services.publish_plan import prepare_publish
from flowbench.store import models


def _stage(cast) -> int:
    """Version 3 drafted over live Version 2 and previous Version 1, with runtime data.

    Customers c1…c10 (live) and t1…t2 (test). Segment: c1…c8, t1, t2.
    Version 1: c1–c3 running with active cards, c4 running with a snoozed card,
    c9 completed (card completed), t1 running (test). Version 2: c5 running, active card.
    """
    owner = cast.owner
    flow_id = publish_first_version(owner)
    first, last = add_customers(10, prefix="c")
    t_first, t_last = add_customers(2, prefix="t", is_test=True)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, first + 7)
    add_segment_members(segment, t_first, t_last)
    v1 = version_id(flow_id, 1)
    add_running_instances(flow_id, v1, first, first + 2)
    add_running_instances(flow_id, v1, first + 3, first + 3, card_status="snoozed")
    add_running_instances(flow_id, v1, first + 8, first + 8, status="completed",
                          card_status="completed")
    add_running_instances(flow_id, v1, t_first, t_first)
    start_next(owner, flow_id, "Welcome, v2")
    publishing.publish_draft(owner, flow_id)
    add_running_instances(flow_id, version_id(flow_id, 2), first + 4, first + 4)
    start_next(owner, flow_id, "Welcome, v3")
    return flow_id


def _count(model, *where) -> int:
    query = model.select()
    for clause in where:
        query = query.where(clause)
    return query.count()


def test_the_plan_counts_previous_versions_and_the_segment(cast) -> None:
    flow_id = _stage(cast)
    plan = prepare_publish(cast.publisher, flow_id)
    assert plan.can_publish, plan.blockers
    assert (plan.version, plan.live_version) == (3, 2)
    assert [(v.version, v.running_instances, v.open_cards) for v in plan.previous_versions] \
        == [(1, 4, 4), (2, 1, 1)]
    assert (plan.segment.name, plan.segment.members, plan.segment.already_running) \
        == ("Trial users", 8, 5)
    texts = choice_texts(plan)
    assert texts["cancel_previous_instances"] == "Cancel 5 running instances of Versions 1–2"
    assert texts["cancel_previous_cards"] == "Cancel 5 active cards sent by Versions 1–2"
    assert texts["start_existing_segment_members"] == \
        "Also start this flow for the 3 customers already in “Trial users”"
    assert any("title" in change for change in plan.changes)


COMBINATIONS = list(itertools.product([False, True], repeat=3))


@pytest.mark.parametrize(("cancel_instances", "cancel_cards", "start"), COMBINATIONS)
def test_each_combination_has_exactly_the_chosen_effects(cast, cancel_instances, cancel_cards,
                                                         start) -> None:
    flow_id = _stage(cast)
    test_rows_before = (
        sorted(models.Instance.select(models.Instance.id, models.Instance.status).where(
            models.Instance.is_test).tuples()),
        sorted(models.Card.select(models.Card.id, models.Card.status).where(
            models.Card.is_test).tuples()))
    plan = prepare_publish(cast.publisher, flow_id)
    choices = PublishChoices(cancel_instances, cancel_cards, start)
    promised = publish_counts(plan, choices)
    result = publishing.publish(cast.publisher, plan, choices)
    assert (promised.cancelled_instances, promised.cancelled_cards,
            promised.started_instances) == (result.cancelled_instances,
                                            result.cancelled_cards, result.started_instances)

    old = [version_id(flow_id, 1), version_id(flow_id, 2)]
    v3 = version_id(flow_id, 3)
    live_old = (models.Instance.version.in_(old)) & ~models.Instance.is_test
    running_old = _count(models.Instance, live_old, models.Instance.status == "running")
    cancelled_old = _count(models.Instance, live_old, models.Instance.status == "cancelled")
    open_cards_old = _count(models.Card, models.Card.version.in_(old), ~models.Card.is_test,
                            models.Card.status.in_(["active", "snoozed"]))
    cancelled_cards = _count(models.Card, models.Card.version.in_(old),
                             models.Card.status == "cancelled")
    started = _count(models.Instance, models.Instance.version == v3)

    assert drafts.open_flow(flow_id).version == 3
    assert flows.flow_summary(flow_id).live_version == 3
    assert (running_old, cancelled_old) == ((0, 5) if cancel_instances else (5, 0))
    assert result.cancelled_instances == (5 if cancel_instances else 0)
    assert (open_cards_old, cancelled_cards) == ((0, 5) if cancel_cards else (5, 0))
    assert result.cancelled_cards == (5 if cancel_cards else 0)
    expected_start = (8 if cancel_instances else 3) if start else 0
    assert started == result.started_instances == expected_start
    if start:  # the new version really ran for them: each got the Version 3 card
        assert _count(models.Card, models.Card.version == v3,
                      models.Card.status == "active") == expected_start
        assert not _count(models.Instance, models.Instance.version == v3,
                          models.Instance.is_test)
    # the completed instance and its closed card are never touched
    assert _count(models.Instance, models.Instance.status == "completed") == 1
    assert _count(models.Card, models.Card.status == "completed") == 1
    # test data is left exactly as it was
    assert test_rows_before == (
        sorted(models.Instance.select(models.Instance.id, models.Instance.status).where(
            models.Instance.is_test).tuples()),
        sorted(models.Card.select(models.Card.id, models.Card.status).where(
            models.Card.is_test).tuples()))
    entry = models.AuditEntry.select().where(models.AuditEntry.action == "flow.publish") \
        .order_by(models.AuditEntry.id.desc()).first()
    details = json.loads(entry.details)
    assert entry.member_id == cast.publisher.member_id
    assert details["choices"] == choices.to_dict()
    assert details["cancelled_instances"] == result.cancelled_instances
    assert details["started_instances"] == expected_start


def test_choices_default_to_off(cast) -> None:
    flow_id = _stage(cast)
    result = publishing.publish(cast.publisher, prepare_publish(cast.publisher, flow_id))
    assert result.choices == PublishChoices()
    assert (result.cancelled_instances, result.cancelled_cards, result.started_instances) \
        == (0, 0, 0)
    assert _count(models.Instance, models.Instance.status == "running") == 6


def test_segment_choice_is_refused_for_other_triggers(cast) -> None:
    from flowbench.domain.definition import FlowDefinition, Step, Trigger

    definition = FlowDefinition(Trigger("api_event", event="signup"),
                                (Step("hi", "send_card", title="Hi", body="Hello"),))
    flow_id = publish_first_version(cast.owner, "Signup", definition)
    start_next(cast.owner, flow_id, "ignored")  # becomes a segment flow draft…
    draft = drafts.open_flow(flow_id)
    assert draft.version == 2
    drafts.save_draft(cast.owner, flow_id, definition.with_description("v2"),
                      expected_version=2, expected_revision=draft.revision)  # …back to api_event
    plan = prepare_publish(cast.publisher, flow_id)
    with pytest.raises(InvalidInput, match="segment"):
        publishing.publish(cast.publisher, plan, PublishChoices(
            start_existing_segment_members=True))
    assert flows.flow_summary(flow_id).live_version == 1
    assert "start_existing_segment_members" not in choice_texts(plan)


def test_zero_counts_say_so(cast) -> None:
    flow_id = publish_first_version(cast.owner)
    start_next(cast.owner, flow_id, "v2")
    texts = choice_texts(prepare_publish(cast.publisher, flow_id))
    assert "there are none" in texts["cancel_previous_instances"]
    assert "there are none" in texts["start_existing_segment_members"]
    assert onboarding().trigger.segment == "Trial users"
