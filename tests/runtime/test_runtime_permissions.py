"""Who may change the runtime: a Viewer nothing, an Editor rehearsal data and tests,
a Publisher also live starts and cancels. Every change is audited; a refusal writes
nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from flowbench.domain.errors import PermissionDenied
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime import segments as runtime_segments
from flowbench.services.runtime import starts as runtime_starts
from flowbench.store import models

SEGMENT = '{"name": "S", "conditions": [{"attribute": "plan", "op": "exists"}]}'

CALLS: dict[str, Callable[[Any], Any]] = {
    "customers import": lambda a: runtime_customers.import_customers_csv(a, "id\nnew\n"),
    "customers set": lambda a: runtime_customers.set_customer(a, "ann", ["plan=x"]),
    "segments import": lambda a: runtime_segments.import_segments_json(a, SEGMENT),
    "events send": lambda a: runtime_events.send_event(a, "ann", "go"),
    "events import": lambda a: runtime_events.import_events_jsonl(
        a, '{"customer": "ann", "event": "go"}\n'),
    "clock advance": lambda a: runtime_clock.advance_clock(a, "PT1H"),
    "cards act": lambda a: runtime_cards.act_on_card(a, 1, "snooze"),
    "test-send": lambda a: runtime_starts.test_send(a, "Go", ["tia"]),
    "start": lambda a: runtime_starts.start_manual(a, "Hand", ["ann"]),
    "cancel": lambda a: runtime_cancel.cancel_running(a, "Go"),
    "cancel --with-cards": lambda a: runtime_cancel.cancel_running(a, "Go", with_cards=True),
    "cancel-cards": lambda a: runtime_cancel.cancel_open_cards(a, "Go"),
}
ALLOWED = {
    "viewer": set(),
    "editor": {"customers import", "customers set", "segments import", "events send",
               "events import", "clock advance", "cards act", "test-send"},
    "publisher": set(CALLS),
    "owner": set(CALLS),
}


def _stage(world) -> None:
    world.customers("id,test\nann,no\ntia,yes\n")
    flow_id = world.on_event("Go", "go", world.card("c"), world.wait("w", "c", "P1D"))
    world.manual("Hand", world.card("h"))
    world.event("ann", "go")  # card 1
    world.redraft(flow_id, world.card("d"))


def _snapshot() -> tuple[int, ...]:
    return tuple(model.select().count() for model in (
        models.Customer, models.Segment, models.SegmentMember, models.Event, models.Instance,
        models.Card, models.PendingBranch, models.PushNotification, models.AuditEntry)) + (
        models.RuntimeClock.get().now,
        models.Card.select().where(models.Card.status == "active").count(),
        models.Instance.select().where(models.Instance.status == "running").count())


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_role_may_do_exactly_its_share(world, role) -> None:
    _stage(world)
    actor = getattr(world.cast, role)
    for name, call in CALLS.items():
        before = _snapshot()
        audits = models.AuditEntry.select().count()
        if name in ALLOWED[role]:
            call(actor)
            assert models.AuditEntry.select().count() == audits + 1, name
            entry = models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()
            assert entry.member_id == actor.member_id and entry.summary, name
        else:
            with pytest.raises(PermissionDenied, match=r"Your role \(\w+\) does not allow"):
                call(actor)
            assert _snapshot() == before, name


# What each refusal names: the action refused, never another one (a Viewer advancing the
# clock is not told about editing drafts).
REFUSED_ACTION = {
    "customers import": "change the runtime's customers",
    "customers set": "change the runtime's customers",
    "segments import": "change segments",
    "events send": "send events to the runtime",
    "events import": "send events to the runtime",
    "clock advance": "advance the runtime clock",
    "cards act": "act on cards as a customer",
    "test-send": "send tests",
    "start": "start flows for customers",
    "cancel": "cancel running instances",
    "cancel --with-cards": "cancel running instances",
    "cancel-cards": "cancel cards",
}


def test_every_refusal_names_the_action_refused(world) -> None:
    _stage(world)
    assert set(REFUSED_ACTION) == set(CALLS)
    for name, call in CALLS.items():
        with pytest.raises(PermissionDenied) as refused:
            call(world.cast.viewer)
        assert str(refused.value) == \
            f"Your role (Viewer) does not allow you to {REFUSED_ACTION[name]}.", name
