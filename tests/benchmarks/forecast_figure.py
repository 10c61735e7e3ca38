"""Figure 8: the forecast — 100,000 recorded triggers of the last 14 days and the card
actions customers took, replayed through the live version and the draft.

Its own small workspace (built here, not the large cached one): an API-event flow whose
live version sends a card (expiring after a day), waits two days and pushes, and thanks
those who submit the card; the draft waits one day and does not push. The triggers are
recorded events spread evenly over 14 days (one customer each), and 30 % of them left a
submitted card 1–5 hours later. ``scale`` divides the number of triggers.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.benchmarks.measure import Figure, median

TRIGGERS = 100_000
DAYS = 14
DAY = 86_400
END = 1_800_000_000
EVENT = "trial.started"


def _definitions() -> tuple[object, object]:
    from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger

    card = Step("welcome", "send_card", title="Welcome", body="Your trial started.",
                buttons=(Button("Show me"),), expires_after="P1D")
    thanks = (Step("got", "wait_card_action", parent="welcome", card="welcome",
                   action="submitted"),
              Step("thanks", "send_card", parent="got", title="Thanks", body="Enjoy."))
    live = FlowDefinition(Trigger("api_event", event=EVENT), (
        card, Step("pause", "wait_duration", parent="welcome", duration="P2D"),
        Step("remind", "send_push", parent="pause", title="Still there?", body="Come back"),
        *thanks))
    draft = FlowDefinition(Trigger("api_event", event=EVENT), (
        card, Step("pause", "wait_duration", parent="welcome", duration="P1D"), *thanks))
    return live, draft


def build(path: Path, triggers: int) -> int:
    """The workspace with its history; returns the flow id."""
    from bulk_data import add_customers

    from flowbench.runtime import sql
    from flowbench.services import drafts, flows, publishing
    from flowbench.services import workspace as workspace_service
    from flowbench.store import models
    from flowbench.store.connection import close_workspace, open_workspace, write_transaction

    open_workspace(path)
    try:
        owner = workspace_service.create_workspace("Forecast", "owner@example.com", "Owner",
                                                   "benchmark password 1")
        live, draft = _definitions()
        flow = flows.create_flow(owner, "Trial welcome", live)  # type: ignore[arg-type]
        publishing.publish_draft(owner, flow.id)
        content = drafts.start_next_draft(owner, flow.id, expected_live=1)
        drafts.save_draft(owner, flow.id, draft, expected_version=content.version,  # type: ignore[arg-type]
                          expected_revision=content.revision)
        version = models.FlowVersion.get((models.FlowVersion.flow == flow.id)
                                         & (models.FlowVersion.number == 1)).id
        with write_transaction():
            models.RuntimeClock.create(now=END)
            first, _ = add_customers(triggers)
            start, step = END - DAYS * DAY, DAYS * DAY / triggers
            sql.executemany("INSERT INTO event (customer_id, name, payload, at) "
                            "VALUES (?, ?, '{}', ?)",
                            [(first + n, EVENT, start + int(n * step) + 1)
                             for n in range(triggers)])
            acting = [n for n in range(triggers) if n % 10 < 3]
            sql.executemany("INSERT INTO instance (flow_id, version_id, customer_id, status, "
                            "is_test, started_at) VALUES (?, ?, ?, 'completed', ?, ?)",
                            [(flow.id, version, first + n, False, start + int(n * step) + 1)
                             for n in acting])
            instances = dict(sql.rows("SELECT customer_id, id FROM instance"))
            sql.executemany(
                "INSERT INTO card (instance_id, flow_id, version_id, step_id, customer_id, "
                "status, is_test, title, body, buttons, priority, created_at, closed_at) "
                "VALUES (?, ?, ?, 'welcome', ?, 'completed', ?, 'Welcome', '', '[]', 5, ?, ?)",
                [(instances[first + n], flow.id, version, first + n, False,
                  start + int(n * step) + 1,
                  min(END, start + int(n * step) + 1 + 3600 * (1 + n % 5)))
                 for n in acting])
        return flow.id
    finally:
        close_workspace()


def figure_forecast(folder: Path, scale: int, runs: int) -> list[Figure]:
    from flowbench.services import forecast as forecasting
    from flowbench.store.connection import close_workspace, open_workspace

    triggers = max(TRIGGERS // scale, 100)
    path = folder / "forecast.flowbench"
    started = time.perf_counter()
    flow = build(path, triggers)
    built = time.perf_counter() - started
    times, said = [], ""
    open_workspace(path)
    try:
        for _ in range(runs):
            began = time.perf_counter()
            result = forecasting.forecast(flow, DAYS)
            times.append(time.perf_counter() - began)
        said = (f"{result.triggers:,} triggers + {result.card_actions:,} card actions; "
                f"{result.difference()} Live completed {result.live.completed:,}, "
                f"draft {result.draft.completed:,}; replayed in steps of {result.tick} s "
                f"(workspace built in {built:.0f} s)")
    finally:
        close_workspace()
        for stale in folder.glob("forecast.flowbench*"):
            stale.unlink()
    value = median(times)
    rate = 2 * triggers / value
    target = "≤ 10 s for both versions at 100,000 triggers" if scale == 1 else \
        f"none at 1/{scale} (≤ 10 s is for 100,000 triggers)"
    return [
        Figure(8, f"forecast: {triggers:,} recorded triggers and their card actions, both "
               "versions (services.forecast)", value, "s", target,
               value <= 10 if scale == 1 else None, runs=[round(v, 2) for v in times],
               note=said),
        Figure(8, "… the engine's throughput in the replay (triggers replayed per second, "
               "both versions)", rate, "triggers/s", "", None),
    ]
