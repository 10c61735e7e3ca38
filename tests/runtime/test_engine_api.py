"""The engine API the publish calls inside its own transaction: inputs, skips, progress,
cancellation (everything rolls back), and cancelling in bulk."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import OperationCancelled
from flowbench.runtime import clock, engine
from flowbench.runtime.sql import F
from flowbench.store import models
from flowbench.store.connection import write_transaction


@pytest.fixture
def flow(world):
    rows = "\n".join(f"c{i},{'yes' if i % 10 == 0 else 'no'}" for i in range(1, 121))
    world.customers("id,test\n" + rows + "\n")
    flow_id = world.manual("Bulk", world.card("c"), world.wait("w", "c", "P1D"))
    version_id = models.FlowVersion.get(models.FlowVersion.flow == flow_id).id
    return flow_id, version_id


def _ids(*names: str) -> list[int]:
    return [models.Customer.get(models.Customer.external_id == n).id for n in names]


def test_customers_as_a_list_a_query_or_sql_and_running_ones_skipped(flow) -> None:
    flow_id, version_id = flow
    with write_transaction():
        now = clock.current_time()
        assert engine.start_instances(flow_id, version_id, _ids("c1", "c2", "c2"),
                                      now=now) == 2
        query = models.Customer.select(models.Customer.id).where(
            models.Customer.external_id.in_(["c2", "c3", "c4"]))
        assert engine.start_instances(flow_id, version_id, query, now=now) == 2
        fragment = F("SELECT id FROM customer WHERE external_id IN (?, ?)", "c4", "c5")
        assert engine.start_instances(flow_id, version_id, fragment, now=now) == 1
    assert models.Card.select().count() == 5
    assert engine.running_counts(flow_id) == {version_id: 5}
    assert engine.open_card_counts(flow_id) == {version_id: 5}


def test_is_test_starts_test_accounts_only(flow) -> None:
    flow_id, version_id = flow
    with write_transaction():
        started = engine.start_instances(flow_id, version_id, _ids("c9", "c10", "c20"),
                                         now=clock.current_time(), is_test=True)
    assert started == 2
    assert {i.is_test for i in models.Instance.select()} == {True}
    assert engine.running_counts(flow_id) == {}


def test_progress_is_reported_in_customers(flow, monkeypatch) -> None:
    flow_id, version_id = flow
    monkeypatch.setattr(engine, "SLICE", 25)
    reports: list[tuple[int, int]] = []
    everyone = models.Customer.select(models.Customer.id)
    with write_transaction():
        started = engine.start_instances(flow_id, version_id, everyone,
                                         now=clock.current_time(),
                                         progress=lambda done, total: reports.append((done,
                                                                                      total)))
    assert started == 120
    assert reports[0] == (0, 120) and reports[-1] == (120, 120)
    assert len(reports) > 3 and [d for d, _ in reports] == sorted(d for d, _ in reports)
    assert models.Card.select().count() == 120
    assert models.PendingBranch.select().count() == 120


def test_should_cancel_stops_the_start_and_the_caller_rolls_back(flow, monkeypatch) -> None:
    flow_id, version_id = flow
    monkeypatch.setattr(engine, "SLICE", 25)
    asked = iter([False, False, True])
    with pytest.raises(engine.Cancelled) as caught, write_transaction():
        engine.start_instances(flow_id, version_id, models.Customer.select(models.Customer.id),
                               now=clock.current_time(), should_cancel=lambda: next(asked))
    assert isinstance(caught.value, OperationCancelled)
    assert models.Instance.select().count() == 0
    assert models.Card.select().count() == 0


def test_cancelling_in_bulk_leaves_test_data_and_other_versions_alone(flow) -> None:
    flow_id, version_id = flow
    everyone = models.Customer.select(models.Customer.id)
    with write_transaction():
        now = clock.current_time()
        engine.start_instances(flow_id, version_id, everyone, now=now)
        assert engine.cancel_instances([version_id], now=now, reason="test") == 108
        assert engine.cancel_cards([version_id], now=now) == 108
        assert engine.cancel_instances([], now=now, reason="none") == 0
    assert models.Instance.select().where(models.Instance.status == "running").count() == 12
    assert models.Card.select().where(models.Card.status == "active").count() == 12
    assert models.PendingBranch.select().count() == 12
