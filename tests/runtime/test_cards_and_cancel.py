"""Card actions, closed-is-final, cancelling instances and cards, and the live figures."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.runtime import engine
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import status as runtime_status
from flowbench.store import models


@pytest.fixture
def w(world):
    world.customers("id,test\nann,no\nbob,no\ntia,yes\n")
    return world


def _flow_with_card_wait(w, awaited: str = "cancelled") -> int:
    return w.on_event("F", "go", w.card("c"), w.wait("later", "c", "P5D"),
                      w.await_card("wait", "c", "c", awaited), w.card("next", "wait"))


@pytest.mark.parametrize(("action", "status"), [
    ("submit", "completed"), ("dismiss", "dismissed"), ("snooze", "snoozed")])
def test_each_card_action(w, action, status) -> None:
    w.on_event("F", "go", w.card("c"))
    w.event("ann", "go")
    info = w.act(w.card_id("ann", "c"), action)
    assert info.status == status
    assert (info.closed_at is None) == (status == "snoozed")


def test_a_snoozed_card_stays_open_and_can_still_be_submitted(w) -> None:
    w.on_event("F", "go", w.card("c"))
    w.event("ann", "go")
    card_id = w.card_id("ann", "c")
    w.act(card_id, "snooze")
    w.act(card_id, "snooze")
    assert w.act(card_id, "submit").status == "completed"


@pytest.mark.parametrize("closing", ["submit", "dismiss"])
@pytest.mark.parametrize("then", ["submit", "dismiss", "snooze"])
def test_closed_is_final(w, closing, then) -> None:
    w.on_event("F", "go", w.card("c"))
    w.event("ann", "go")
    card_id = w.card_id("ann", "c")
    status = w.act(card_id, closing).status
    audit_before = models.AuditEntry.select().count()
    with pytest.raises(Conflict, match=f"already {status}: a closed card cannot change"):
        w.act(card_id, then)
    assert w.cards() == [("ann", "c", status)]
    assert models.AuditEntry.select().count() == audit_before


def test_expired_and_cancelled_cards_are_final_too(w) -> None:
    w.on_event("F", "go", w.card("c", expires="PT1H"), w.card("d"))
    w.event("ann", "go")
    w.advance("PT1H")
    runtime_cancel.cancel_open_cards(w.cast.publisher, "F")
    for step, status in (("c", "expired"), ("d", "cancelled")):
        with pytest.raises(Conflict, match=f"already {status}"):
            w.act(w.card_id("ann", step), "submit")


def test_unknown_cards_and_actions_are_refused(w) -> None:
    with pytest.raises(NotFound, match="no card 99"):
        w.act(99, "submit")
    with pytest.raises(InvalidInput, match="not a card action"):
        w.act(1, "open")


def test_cancel_stops_running_instances_but_leaves_their_cards(w) -> None:
    flow_id = w.on_event("F", "go", w.card("c"), w.wait("later", "c", "P1D"),
                         w.card("d", "later"))
    for customer in ("ann", "bob", "tia"):
        w.event(customer, "go")
    result = runtime_cancel.cancel_running(w.cast.publisher, "F")
    assert (result.instances, result.cards) == (2, 0)
    # live instances cancelled, their branches gone; the test account's run is untouched
    assert [(c, s) for c, _, s, _ in w.instances()] == [
        ("ann", "cancelled"), ("bob", "cancelled"), ("tia", "running")]
    assert w.pending() == [("tia", "later")]
    assert {s for c, _, s in w.cards() if c != "tia"} == {"active"}
    w.advance("P1D")
    assert ("ann", "d", "active") not in w.cards()
    reason = models.Instance.get(models.Instance.status == "cancelled").cancel_reason
    assert reason == "Cancelled by Pat"
    assert engine.running_counts(flow_id) == {}


def test_cancel_with_cards_cancels_their_open_cards(w) -> None:
    w.on_event("F", "go", w.card("c"), w.card("done"), w.wait("later", "c", "P1D"))
    w.event("ann", "go")
    w.act(w.card_id("ann", "done"), "submit")
    result = runtime_cancel.cancel_running(w.cast.publisher, "F", with_cards=True)
    assert (result.instances, result.cards) == (1, 1)
    assert w.cards() == [("ann", "c", "cancelled"), ("ann", "done", "completed")]


def test_with_cards_means_every_open_card_the_version_sent(w) -> None:
    """The window's, the CLI's and the services' "with their cards" are one: the open
    cards of instances that already ended are cancelled too."""
    w.on_event("F", "go", w.card("c"))  # the instance ends at once, its card stays open
    w.event("ann", "go")
    w.on_event("G", "go2", w.card("g"), w.wait("later", "g", "P1D"))
    w.event("bob", "go2")
    assert [s for _, _, s, _ in w.instances()] == ["completed", "running"]
    result = runtime_cancel.cancel_running(w.cast.publisher, "F", with_cards=True)
    assert (result.instances, result.cards) == (0, 1)
    assert result.describe() == "Cancelled 0 running instances of 'F' and 1 open card."
    assert w.cards() == [("ann", "c", "cancelled"), ("bob", "g", "active")]


def test_cancel_one_version_only(w) -> None:
    flow_id = w.on_event("F", "go", w.card("v1"), w.wait("later", "v1", "P1D"))
    w.event("ann", "go")
    w.redraft(flow_id, w.card("v2"), w.wait("later", "v2", "P1D"))
    from flowbench.services import publishing

    publishing.publish_draft(w.cast.owner, flow_id)
    w.event("bob", "go")
    result = runtime_cancel.cancel_running(w.cast.publisher, "F", version=1)
    assert result.instances == 1
    assert [(c, v, s) for c, v, s, _ in w.instances()] == [("ann", 1, "cancelled"),
                                                          ("bob", 2, "running")]
    with pytest.raises(NotFound, match="no Version 7"):
        runtime_cancel.cancel_running(w.cast.publisher, "F", version=7)


def test_cancelling_cards_leaves_instances_running_and_wakes_waits_on_cancelled(w) -> None:
    _flow_with_card_wait(w, "cancelled")
    w.event("ann", "go")
    result = runtime_cancel.cancel_open_cards(w.cast.publisher, "F")
    assert result.cards == 1
    assert w.cards() == [("ann", "c", "cancelled"), ("ann", "next", "active")]
    assert w.instances() == [("ann", 1, "running", False)]  # still waiting "later"
    assert w.pending() == [("ann", "later")]


@pytest.mark.parametrize(("awaited", "continues"), [("any", True), ("submitted", False)])
def test_a_cancelled_card_wakes_only_waits_on_cancelled_or_any(w, awaited, continues) -> None:
    _flow_with_card_wait(w, awaited)
    w.event("ann", "go")
    runtime_cancel.cancel_open_cards(w.cast.publisher, "F")
    assert (("ann", "next", "active") in w.cards()) == continues


def test_publishing_with_cancelled_cards_wakes_waits(w) -> None:
    """The publish calls the same engine: cancelling previous cards wakes their waits."""
    from flowbench.domain.publish_plan import PublishChoices
    from flowbench.services import publishing
    from flowbench.services.publish_plan import prepare_publish

    flow_id = _flow_with_card_wait(w, "cancelled")
    w.event("ann", "go")
    w.redraft(flow_id, w.card("v2"))
    plan = prepare_publish(w.cast.publisher, flow_id)
    publishing.publish(w.cast.publisher, plan, PublishChoices(cancel_previous_cards=True))
    assert ("ann", "next", "active") in w.cards()


def test_runtime_status_counts_live_data_only(w) -> None:
    flow_id = w.on_event("F", "go", w.card("c"), w.wait("later", "c", "P1D"))
    for customer in ("ann", "bob", "tia"):
        w.event(customer, "go")
    w.act(w.card_id("bob", "c"), "dismiss")
    w.act(w.card_id("tia", "c"), "submit")
    w.redraft(flow_id, w.card("c2"))
    status = runtime_status.runtime_status("F")
    assert status["flow"] == "F" and status["live_version"] == 1
    assert [(v["version"], v["status"]) for v in status["versions"]] == [(2, "draft"),
                                                                          (1, "live")]
    live = status["versions"][1]
    assert live["instances"] == {"running": 2, "completed": 0, "cancelled": 0}
    assert live["cards"] == {"active": 1, "snoozed": 0, "dismissed": 1, "completed": 0,
                             "expired": 0, "cancelled": 0}
    v1 = models.FlowVersion.get(models.FlowVersion.number == 1).id
    assert engine.running_counts(flow_id) == {v1: 2}
    assert engine.open_card_counts(flow_id) == {v1: 1}
