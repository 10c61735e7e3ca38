"""How a flow is doing in the local runtime: instances and cards per version.

Live figures only (test data left out), read from the tallies the database keeps, so
the answer is a few rows whatever the size of the runtime.
"""

from __future__ import annotations

from typing import Any

from flowbench.domain.versions import VersionStatus
from flowbench.services.context import get_flow
from flowbench.store import models, tally_models

INSTANCE_STATUSES = ("running", "completed", "cancelled")
CARD_STATUSES = ("active", "snoozed", "dismissed", "completed", "expired", "cancelled")


def runtime_status(flow_ref: str | int) -> dict[str, Any]:
    """``{"flow", "live_version", "versions": [{"version", "status", "instances",
    "cards"}]}``, newest version first."""
    flow = get_flow(flow_ref, include_archived=True)
    versions = list(models.FlowVersion.select(
        models.FlowVersion.id, models.FlowVersion.number, models.FlowVersion.status)
        .where(models.FlowVersion.flow == flow.id).order_by(models.FlowVersion.number.desc()))
    tally = tally_models.RuntimeTally
    counts: dict[tuple[int, str, str], int] = {}
    if versions:
        for row in tally.select().where(tally.version_id.in_([v.id for v in versions])
                                        & (tally.is_test == False)):  # noqa: E712
            counts[(row.version_id, row.kind, row.status)] = int(row.n)
    live = next((v.number for v in versions if v.status == VersionStatus.LIVE), None)
    return {"flow": flow.name, "live_version": live, "versions": [
        {"version": v.number, "status": v.status,
         "instances": {s: counts.get((v.id, "instance", s), 0) for s in INSTANCE_STATUSES},
         "cards": {s: counts.get((v.id, "card", s), 0) for s in CARD_STATUSES}}
        for v in versions]}
