"""Test sends run the draft for test accounts only; their data never counts as live."""

from __future__ import annotations

import pytest
from tally_checks import assert_tallies_exact

from flowbench.domain.definition import Step
from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.runtime import engine
from flowbench.services import drafts
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import starts as runtime_starts
from flowbench.services.runtime import status as runtime_status
from flowbench.store import models


@pytest.fixture
def w(world):
    world.customers("id,test\nann,no\ntia,yes\ntom,yes\n")
    return world


def _send(w, *to: str) -> runtime_starts.StartResult:
    return runtime_starts.test_send(w.cast.editor, "F", list(to))


def test_a_test_send_never_reaches_a_customer_who_is_not_a_test_account(w) -> None:
    flow_id = w.on_event("F", "go", w.card("live"))
    w.redraft(flow_id, w.card("draft"), w.push("ping", "draft"))
    result = _send(w, "ann", "tia")
    assert (result.version, result.test, result.sent) == (2, True, ["tia"])
    assert result.skipped == [("ann", runtime_starts.NOT_TEST)]
    assert w.cards() == [("tia", "draft", "active")]
    assert [c for c, *_ in w.pushes()] == ["tia"]
    assert not models.Instance.select().where(~models.Instance.is_test).exists()
    assert not models.Card.select().where(~models.Card.is_test).exists()


def test_only_non_test_customers_named_means_nothing_is_sent(w) -> None:
    flow_id = w.on_event("F", "go", w.card("live"))
    w.redraft(flow_id, w.card("draft"))
    result = _send(w, "ann")
    assert result.sent == [] and [c for c, _ in result.skipped] == ["ann"]
    assert w.instances() == [] and w.cards() == []


def test_test_data_never_counts_in_live_figures(w) -> None:
    flow_id = w.on_event("F", "go", w.card("live"), w.wait("later", "live", "P1D"))
    w.redraft(flow_id, w.card("draft"), w.wait("later", "draft", "P1D"))
    _send(w, "tia", "tom")
    assert engine.running_counts(flow_id) == {} and engine.open_card_counts(flow_id) == {}
    draft = runtime_status.runtime_status("F")["versions"][0]
    assert draft["status"] == "draft"
    assert draft["instances"]["running"] == 0 and draft["cards"]["active"] == 0
    inbox = runtime_cards.test_inbox("tia")
    assert [(c.flow, c.version, c.step, c.is_test) for c in inbox] == [("F", 2, "draft", True)]


def test_sending_again_replaces_the_earlier_test_run(w) -> None:
    flow_id = w.on_event("F", "go", w.card("live"))
    w.redraft(flow_id, w.card("first"), w.wait("later", "first", "P1D"))
    _send(w, "tia")
    w.redraft(flow_id, w.card("second"), w.wait("later", "second", "P1D"))
    result = _send(w, "tia")
    assert result.replaced == 1
    assert w.cards() == [("tia", "first", "cancelled"), ("tia", "second", "active")]
    assert [s for _, _, s, _ in w.instances()] == ["cancelled", "running"]


def test_a_test_send_needs_a_valid_draft_and_known_customers(w) -> None:
    w.on_event("F", "go", w.card("live"))
    with pytest.raises(NotFound, match="no draft"):
        _send(w, "tia")
    w.flow("Broken", Step("c", "send_card", title="", body=""), publish=False)
    with pytest.raises(InvalidInput, match="validation error"):
        runtime_starts.test_send(w.cast.editor, "Broken", ["tia"])
    w.redraft(models.Flow.get(models.Flow.name == "F").id, w.card("d"))
    with pytest.raises(NotFound, match="'nobody'"):
        _send(w, "tia", "nobody")
    assert w.instances() == []


def test_the_inbox_is_for_test_accounts(w) -> None:
    with pytest.raises(Conflict, match="not a test account"):
        runtime_cards.test_inbox("ann")
    with pytest.raises(NotFound):
        runtime_cards.test_inbox("nobody")
    assert runtime_cards.test_inbox("tom") == []


def test_discarding_the_draft_removes_its_test_sends_and_keeps_the_live_data(w) -> None:
    # On PostgreSQL the runtime tables have no foreign keys since schema step 6: the
    # discard deletes the draft's runtime rows itself, as ON DELETE CASCADE did.
    flow_id = w.on_event("F", "go", w.card("live"), w.push("ping", "live", link="live"),
                         w.wait("later", "live", "P1D"))
    w.event("ann", "go")
    w.redraft(flow_id, w.card("draft"), w.push("ping", "draft", link="draft"),
              w.await_card("reply", "draft", "draft", "submitted"))
    _send(w, "tia", "tom")
    assert len(w.cards()) == 3 and len(w.pushes()) == 3 and len(w.pending()) == 3

    draft = drafts.open_flow(flow_id)
    drafts.discard_draft(w.cast.editor, flow_id, draft.revision)

    assert w.cards() == [("ann", "live", "active")]
    assert w.pushes() == [("ann", "ping", "live")]
    assert w.pending() == [("ann", "later")]
    assert w.instances() == [("ann", 1, "running", False)]
    assert_tallies_exact("discarding a draft with test sends")
