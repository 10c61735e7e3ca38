"""Each step kind, parallel branches, expiry, timeouts and the time order of the clock."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import InvalidInput
from flowbench.services.runtime.cards import list_cards
from flowbench.services.runtime.events import import_events_jsonl

DAY = 86400


@pytest.fixture
def ann(world):
    world.customers("id,plan\nann,trial\nbob,trial\n")
    return world


def test_send_card_sets_its_expiry_and_push_links_the_card(ann) -> None:
    w = ann
    w.on_event("F", "go", w.card("hi", expires="P3D"), w.push("ping", "hi", link="hi"),
               w.push("plain", "hi"))
    start = w.now()
    w.event("ann", "go")
    (info,) = list_cards()
    assert (info.created_at, info.expires_at) == (start, start + 3 * DAY)
    assert w.pushes() == [("ann", "ping", "hi"), ("ann", "plain", None)]
    assert w.instances() == [("ann", 1, "completed", False)]  # nothing left pending


def test_a_duration_wait_parks_the_branch_until_the_clock_reaches_it(ann) -> None:
    w = ann
    w.on_event("F", "go", w.wait("w", None, "P2D"), w.card("after", "w"))
    w.event("ann", "go")
    assert w.pending() == [("ann", "w")] and w.cards() == []
    w.advance("P1D")
    assert w.cards() == []
    advanced = w.advance("P1D")
    assert advanced.woken_branches == 1
    assert w.cards() == [("ann", "after", "active")]
    assert w.instances() == [("ann", 1, "completed", False)]


def test_parallel_branches_all_run_and_the_instance_ends_with_the_last(ann) -> None:
    w = ann
    w.on_event("F", "go", w.card("hi"),
               w.wait("short", "hi", "P1D"), w.card("a", "short"),
               w.wait("long", "hi", "P3D"), w.card("b", "long"),
               w.push("now", "hi"))
    w.event("ann", "go")
    assert w.pushes() == [("ann", "now", None)]
    assert w.pending() == [("ann", "long"), ("ann", "short")]
    w.advance("P2D")
    assert [s for _, s, _ in w.cards()] == ["hi", "a"]
    assert w.instances()[0][2] == "running"
    w.advance("P2D")
    assert [s for _, s, _ in w.cards()] == ["hi", "a", "b"]
    assert w.instances()[0][2] == "completed"


def test_advancing_past_several_moments_processes_them_in_time_order(ann) -> None:
    """A 1-day wait, then a card that expires a day later, then a wait for that expiry:
    all inside one 5-day advance, and each at its own moment."""
    w = ann
    w.on_event("F", "go", w.wait("w1", None, "P1D"), w.card("c", "w1", expires="P1D"),
               w.await_card("gone", "c", "c", "expired"), w.card("after", "gone"))
    start = w.now()
    w.event("ann", "go")
    advanced = w.advance("P5D")
    assert (advanced.expired_cards, advanced.woken_branches) == (1, 1)
    by_step = {c.step: c for c in list_cards()}
    assert by_step["c"].created_at == start + DAY
    assert (by_step["c"].status, by_step["c"].closed_at) == ("expired", start + 2 * DAY)
    assert by_step["after"].created_at == start + 2 * DAY
    assert w.now() == start + 5 * DAY


@pytest.mark.parametrize(("action", "awaited", "continues"), [
    ("submit", "submitted", True), ("dismiss", "dismissed", True),
    ("submit", "any", True), ("dismiss", "any", True),
    ("submit", "dismissed", False), ("dismiss", "submitted", False),
])
def test_waiting_for_a_card_action(ann, action, awaited, continues) -> None:
    w = ann
    w.on_event("F", "go", w.card("c"), w.await_card("wait", "c", "c", awaited),
               w.card("next", "wait"))
    w.event("ann", "go")
    assert w.pending() == [("ann", "wait")]
    w.act(w.card_id("ann", "c"), action)
    steps = [s for _, s, _ in w.cards()]
    assert steps == (["c", "next"] if continues else ["c"])
    # without a timeout, a wait for a state the card can no longer reach simply ends
    assert w.pending() == []
    assert w.instances()[0][2] == "completed"


def test_waiting_for_expiry_and_snooze_keeps_waiting(ann) -> None:
    w = ann
    w.on_event("F", "go", w.card("c", expires="P2D"),
               w.await_card("wait", "c", "c", "expired"), w.card("next", "wait"))
    w.event("ann", "go")
    w.act(w.card_id("ann", "c"), "snooze")
    assert w.pending() == [("ann", "wait")]
    w.advance("P2D")
    assert w.cards() == [("ann", "c", "expired"), ("ann", "next", "active")]


def test_a_timeout_without_an_otherwise_path_ends_the_branch(ann) -> None:
    """Children without a path run only on the awaited action: a customer who never
    touched the card is not thanked when the wait times out."""
    w = ann
    w.on_event("F", "go", w.card("c"), w.await_card("wait", "c", "c", "submitted", "P1D"),
               w.push("thanks", "wait"))
    w.event("ann", "go")
    w.event("bob", "go")
    w.act(w.card_id("bob", "c"), "submit")  # bob is thanked at once
    assert w.pushes() == [("bob", "thanks", None)]
    w.advance("P1D")  # ann's timeout passes: her branch ends there
    assert w.pushes() == [("bob", "thanks", None)]
    assert w.pending() == []
    assert {status for _, _, status, _ in w.instances()} == {"completed"}


def test_a_wait_reached_after_the_card_closed_sees_its_state(ann) -> None:
    w = ann
    w.on_event("F", "go", w.card("c", expires="PT1H"), w.wait("w", "c", "P1D"),
               w.await_card("gone", "w", "c", "expired"), w.card("after", "gone"))
    w.event("ann", "go")
    w.advance("P2D")
    assert w.cards() == [("ann", "c", "expired"), ("ann", "after", "active")]


def test_the_clock_never_moves_backwards(ann) -> None:
    before = ann.now()
    with pytest.raises(InvalidInput, match="backwards"):
        ann.advance("-P1D")
    with pytest.raises(InvalidInput, match="duration"):
        ann.advance("tomorrow")
    assert ann.now() == before


def test_many_customers_move_together(ann) -> None:
    w = ann
    rows = "\n".join(f"c{i},trial" for i in range(300))
    w.customers("id,plan\n" + rows + "\n")
    w.on_event("F", "go", w.card("c"), w.wait("w", "c", "P1D"), w.card("d", "w"))
    lines = "\n".join(f'{{"customer": "c{i}", "event": "go"}}' for i in range(300))
    assert import_events_jsonl(w.cast.editor, lines, "e.jsonl").started == {"F": 300}
    w.advance("P1D")
    steps = [s for _, s, _ in w.cards()]
    assert steps.count("c") == steps.count("d") == 300
    assert {status for _, _, status, _ in w.instances()} == {"completed"}
