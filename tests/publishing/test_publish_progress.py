"""A publish reports its progress and can be cancelled until it commits (nothing changes)."""

from __future__ import annotations

import pytest
from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import publish_first_version, start_next

from flowbench.domain.errors import OperationCancelled
from flowbench.domain.publish_plan import PublishChoices
from flowbench.runtime import engine
from flowbench.services import flows, publishing
from flowbench.services.publish_plan import prepare_publish
from flowbench.store import models

ALL = PublishChoices(cancel_previous_instances=True, cancel_previous_cards=True,
                     start_existing_segment_members=True)


@pytest.fixture
def staged(cast, monkeypatch):
    """500 customers in 'Trial users', 20 of them running Version 1; Version 2 drafted.
    Starts go 100 customers a statement: a start reports at 0, 100, … 500."""
    monkeypatch.setattr(engine, "SLICE", 100)
    flow_id = publish_first_version(cast.owner)
    first, last = add_customers(500)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, last)
    add_running_instances(flow_id, version_id(flow_id, 1), first, first + 19)
    start_next(cast.owner, flow_id, "Welcome, v2")
    return flow_id


def _state() -> tuple[list[tuple[object, ...]], ...]:
    return (list(models.FlowVersion.select(models.FlowVersion.number, models.FlowVersion.status)
                 .order_by(models.FlowVersion.number).tuples()),
            list(models.Instance.select(models.Instance.version, models.Instance.status)
                 .order_by(models.Instance.id).tuples()),
            list(models.Card.select(models.Card.id, models.Card.status).tuples()),
            list(models.AuditEntry.select(models.AuditEntry.action).tuples()))


def test_progress_is_reported_stage_by_stage(cast, staged) -> None:
    reports: list[tuple[str, int, int]] = []
    plan = prepare_publish(cast.publisher, staged)
    result = publishing.publish(cast.publisher, plan, ALL,
                                progress=lambda *report: reports.append(report))
    assert result.started_instances == 500
    stages = [stage for stage, _done, _total in reports]
    assert stages[0].startswith("Cancelling running instances")
    assert "Cancelling active cards of previous versions" in stages
    starting = [(done, total) for stage, done, total in reports if stage.startswith("Starting")]
    assert starting == [(n, 500) for n in (0, 100, 200, 300, 400, 500)]
    assert reports[-1] == ("Saving", 1, 1)


@pytest.mark.parametrize("cancel_after", [0, 1, 5, 6])
def test_cancelled_before_the_commit_changes_nothing(cast, staged, cancel_after) -> None:
    """Cancel after 0…6 reports of the start (6: every customer started, not yet saved)."""
    before = _state()
    plan = prepare_publish(cast.publisher, staged)
    starts = 0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal starts
        starts += stage.startswith("Starting")

    with pytest.raises(OperationCancelled, match="nothing"):
        publishing.publish(cast.publisher, plan, ALL, progress=progress,
                           should_cancel=lambda: starts >= cancel_after)
    assert _state() == before
    assert flows.flow_summary(staged).live_version == 1
    # and the same plan publishes afterwards, as if nothing had happened
    assert publishing.publish(cast.publisher, plan, ALL).started_instances == 500
