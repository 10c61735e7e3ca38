"""What the desktop app's runtime window needs from the services: customers a page at a
time, a card's buttons pressed as the customer would, segments saved and deleted one by
one (with permission checks)."""

from __future__ import annotations

import pytest

from flowbench.domain.definition import Button, Step, Trigger
from flowbench.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime import segments as runtime_segments
from flowbench.store import models

TRIAL = {"attribute": "plan", "op": "eq", "value": "trial"}


def test_pages_follow_each_other_and_search_ignores_case(world) -> None:
    world.customers("id,plan\n" + "".join(f"c{n:03},trial\n" for n in range(25))
                    + "zed_1,pro\nzed%2,pro\n")
    first = runtime_customers.page_customers(limit=10)
    second = runtime_customers.page_customers(after=first[-1].id, limit=10)
    assert [c.id for c in first] == [f"c{n:03}" for n in range(10)]
    assert [c.id for c in second] == [f"c{n:03}" for n in range(10, 20)]
    assert runtime_customers.count_customers() == 27
    assert [c.id for c in runtime_customers.page_customers(search="ZED")] == [
        "zed%2", "zed_1"]
    assert [c.id for c in runtime_customers.page_customers(search="%")] == ["zed%2"]
    assert [c.id for c in runtime_customers.page_customers(search="d_")] == ["zed_1"]
    assert runtime_customers.count_customers(search="c0") == 25
    assert runtime_customers.count_customers(search="c0", cap=10) == 10
    assert runtime_customers.get_customer_info("c001").attributes == {"plan": "trial"}


def test_pressing_buttons_acts_on_the_card(world) -> None:
    step = Step("c", "send_card", title="Hi", body="B", priority=5, buttons=(
        Button("Yes", "submit"), Button("No", "dismiss"),
        Button("Read", "link", "https://example.com")))
    world.customers("id\nann\nbob\ncy\n")
    world.on_event("F", "go", step)
    for customer in ("ann", "bob", "cy"):
        world.event(customer, "go")
    ids = {c.customer: c.id for c in runtime_cards.list_cards()}
    buttons = runtime_cards.card_buttons([ids["ann"]])[ids["ann"]]
    assert [(b.label, b.kind, b.action) for b in buttons] == [
        ("Yes", "submit", "submit"), ("No", "dismiss", "dismiss"), ("Read", "link", "submit")]
    editor = world.cast.editor
    assert runtime_cards.press_button(editor, ids["ann"], 0).status == "completed"
    assert runtime_cards.press_button(editor, ids["bob"], 1).status == "dismissed"
    assert runtime_cards.press_button(editor, ids["cy"], 2).status == "completed"
    with pytest.raises(InvalidInput, match="no button 4"):
        runtime_cards.press_button(editor, ids["ann"], 3)
    with pytest.raises(PermissionDenied):
        runtime_cards.press_button(world.cast.viewer, ids["ann"], 0)


def test_saving_a_segment_counts_its_members_and_refuses_bad_rules(world) -> None:
    world.customers("id,plan,test\nann,trial,no\nbob,trial,yes\ncy,pro,no\n")
    made = runtime_segments.save_segment(world.cast.editor, " Trial  users", "all", [TRIAL],
                                         new=True)
    assert (made.name, made.outcome, made.entered) == ("Trial users", "created", 2)
    (info,) = runtime_segments.list_segments()
    assert (info.members, info.test_members) == (1, 1)
    with pytest.raises(Conflict, match="already a segment named 'Trial users'"):
        runtime_segments.save_segment(world.cast.editor, "trial users", "all", [TRIAL],
                                      new=True)
    with pytest.raises(InvalidInput, match="condition 1 .*needs a value"):
        runtime_segments.save_segment(world.cast.editor, "Trial users", "all",
                                      [{"attribute": "plan", "op": "eq"}])
    changed = runtime_segments.save_segment(
        world.cast.editor, "Trial users", "any",
        [TRIAL, {"attribute": "plan", "op": "eq", "value": "pro"}])
    assert (changed.outcome, changed.entered) == ("updated", 1)
    with pytest.raises(PermissionDenied):
        runtime_segments.save_segment(world.cast.viewer, "V", "all", [TRIAL], new=True)
    with pytest.raises(NotFound):
        runtime_segments.save_segment(world.cast.editor, "Nope", "all", [TRIAL])


def test_deleting_a_segment_is_refused_while_a_live_flow_starts_on_it(world) -> None:
    world.customers("id,plan\nann,trial\n")
    world.segment("Trial", TRIAL)
    world.segment("Other", TRIAL)
    world.on_segment("Welcome", "Trial", world.card("c"))
    with pytest.raises(Conflict, match="starts the live flow 'Welcome'"):
        runtime_segments.delete_segment(world.cast.editor, "Trial")
    with pytest.raises(PermissionDenied):
        runtime_segments.delete_segment(world.cast.viewer, "Other")
    assert runtime_segments.delete_segment(world.cast.editor, "Other") == 1
    assert [s.name for s in runtime_segments.list_segments()] == ["Trial"]
    assert models.SegmentMember.select().count() == 1
    assert models.AuditEntry.select().where(
        models.AuditEntry.action == "segments.delete").count() == 1


def test_listened_events_name_the_live_flows_starting_on_them(world) -> None:
    assert runtime_events.listened_events() == {}
    world.on_event("Welcome", "signed_up", world.card("c"))
    world.on_event("Also", "signed_up", world.card("c"))
    world.flow("Later", Trigger("api_event", event="paid"), world.card("c"), publish=False)
    world.manual("By hand", world.card("c"))
    assert runtime_events.listened_events() == {"signed_up": ["Also", "Welcome"]}
