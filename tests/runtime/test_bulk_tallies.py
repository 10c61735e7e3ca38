"""The live tallies stay exact on every bulk path, whichever way they are kept.

On SQLite a bulk engine call holds the tally row triggers and keeps the tallies with one
grouped statement per tally (runtime/bulk_tallies.py); small calls leave it to the
triggers. Each scenario runs both ways ("set-based": every call holds, however small;
"row triggers": the threshold is out of reach) and, on PostgreSQL, with its statement
triggers. After every bulk path each tally must equal counting the rows.
"""

from __future__ import annotations

import json

import pytest
from tally_checks import assert_tallies_exact

from flowbench.domain.publish_plan import PublishChoices
from flowbench.runtime import bulk_tallies
from flowbench.services import publishing
from flowbench.services.publish_plan import prepare_publish
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import events as runtime_events
from flowbench.store import models

TRIAL = {"attribute": "plan", "op": "eq", "value": "trial"}
TALLY_TRIGGERS = 10  # instance ×4 (step 5 adds the move), card ×3, segment_member ×3


class Holds:
    """Counts how often a bulk call held the row triggers."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture(params=["set-based", "row triggers"])
def holds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Holds:
    seen = Holds()
    monkeypatch.setattr(bulk_tallies, "BULK_ROWS", 0 if request.param == "set-based"
                        else 10**12)
    held = bulk_tallies.held_row_triggers

    def counting(db, tables):
        seen.count += 1
        return held(db, tables)

    monkeypatch.setattr(bulk_tallies, "held_row_triggers", counting)
    return seen


def _sqlite() -> bool:
    return models.database.obj.param == "?"


def _check(after: str, holds: Holds, expect_hold: bool) -> None:
    assert_tallies_exact(after)
    if _sqlite():
        triggers = models.database.obj.execute_sql(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally%'"
        ).fetchone()[0]
        assert triggers == TALLY_TRIGGERS, f"tally triggers after {after}: {triggers}"
        if expect_hold and bulk_tallies.BULK_ROWS == 0:
            assert holds.count, f"{after} did not keep the tallies set-based"
    holds.count = 0


def _customers(first: int, last: int, plan: str = "trial", test_every: int = 0) -> str:
    rows = ["id,plan,test"]
    for n in range(first, last + 1):
        test = "yes" if test_every and n % test_every == 0 else "no"
        rows.append(f"c{n},{plan},{test}")
    return "\n".join(rows) + "\n"


def test_every_tally_equals_counting_after_each_bulk_path(world, holds) -> None:
    w = world
    w.segment("Trial", TRIAL)
    w.segment("Everyone", {"attribute": "plan", "op": "exists"})
    onboarding = w.on_segment(
        "Onboarding", "Trial",
        w.card("hi", expires="P2D"), w.push("ping", "hi", link="hi"),
        w.await_card("answer", "hi", "hi", "submitted", timeout="P3D"),
        w.card("thanks", "answer"),
        w.await_card("gone", "hi", "hi", "cancelled"), w.card("sorry", "gone"),
        w.wait("later", None, "P1D"), w.card("nudge", "later", expires="P1D"))
    w.on_event("Welcome", "go", w.card("hello"), w.wait("pause", "hello", "P1D"),
               w.card("again", "pause"))

    # imports: customers entering the segment start Onboarding; events start Welcome
    w.customers(_customers(1, 40, test_every=7))
    _check("the customer import", holds, expect_hold=True)
    lines = "\n".join(json.dumps({"customer": f"c{n}", "event": "go"}) for n in range(1, 31))
    runtime_events.import_events_jsonl(w.cast.editor, lines, "events.jsonl")
    _check("the events import", holds, expect_hold=True)

    # a few single card actions between the bulk paths (row triggers, always)
    w.act(w.card_id("c1", "hi"), "submit")
    w.act(w.card_id("c2", "hi"), "dismiss")
    w.act(w.card_id("c3", "hi"), "snooze")
    _check("card actions", holds, expect_hold=False)

    # the clock: waits end (nudge, again), then cards expire and timeouts pass
    w.advance("P1D")
    _check("a one-day clock advance", holds, expect_hold=True)
    w.advance("P3D")
    _check("a three-day clock advance", holds, expect_hold=True)

    # a publish with all three choices over a live version with running instances
    w.customers(_customers(41, 60, test_every=9))
    w.redraft(onboarding, w.card("hi2", title="Welcome back"),
              w.wait("later2", "hi2", "P2D"))
    plan = prepare_publish(w.cast.publisher, onboarding)
    assert plan.can_publish, plan.blockers
    publishing.publish(w.cast.publisher, plan, PublishChoices(True, True, True))
    _check("the publish with all three choices", holds, expect_hold=True)

    # cancelling on demand: cards alone, then instances with their cards
    runtime_cancel.cancel_open_cards(w.cast.publisher, onboarding)
    _check("cancelling open cards", holds, expect_hold=True)
    runtime_cancel.cancel_running(w.cast.publisher, "Welcome", with_cards=True)
    _check("cancelling instances with their cards", holds, expect_hold=True)
    runtime_cancel.cancel_running(w.cast.publisher, onboarding)
    _check("cancelling instances", holds, expect_hold=True)

    # customers leaving the segment, and test flags changing, in one import
    w.customers(_customers(1, 20, plan="paid", test_every=4))
    _check("an import that moves customers out of the segment", holds, expect_hold=True)
    w.customers(_customers(1, 10))
    _check("an import that brings them back", holds, expect_hold=True)
