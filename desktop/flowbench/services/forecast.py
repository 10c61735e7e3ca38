"""Forecasting a draft: the last days of recorded history, replayed through the live
version and through the draft, each as if it had been live for the whole period.

The history is read from the workspace (reads only) — the triggers each version listens
to (its API event's recorded events, its segment's recorded entries and exits, or for a
manual flow the customers members started it for), and the card actions customers took on
this flow's cards (submitted or dismissed, with their times) — leaving test accounts out.
Each replay runs the real engine in a scratch in-memory database
(``runtime/replay.py``), the same for SQLite and PostgreSQL workspaces; nothing is
written to the workspace. A recorded action on a card of step S is replayed on the card
the replayed version sent at step S, if any; a card step only the draft has gets none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from flowbench.domain.definition import FlowDefinition, TriggerKind
from flowbench.domain.errors import InvalidInput, NotFound
from flowbench.domain.forecast import DAY, SENDING, Forecast, StepForecast, VersionForecast
from flowbench.domain.versions import VersionStatus
from flowbench.runtime import sql
from flowbench.runtime.clock import stored_time
from flowbench.runtime.replay import (
    CardAction,
    ReplayOutcome,
    TriggerRecord,
    VersionToReplay,
    replay,
)
from flowbench.services.context import get_flow
from flowbench.store import models

DEFAULT_DAYS = 14
MAX_DAYS = 3650
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _version(flow: models.Flow, status: VersionStatus) -> models.FlowVersion | None:
    found: models.FlowVersion | None = models.FlowVersion.get_or_none(
        (models.FlowVersion.flow == flow.id) & (models.FlowVersion.status == status.value))
    return found


def _to_replay(row: models.FlowVersion) -> tuple[VersionToReplay, FlowDefinition]:
    definition = FlowDefinition.from_json(row.definition)
    trigger = definition.trigger
    name = (trigger.event if trigger.kind == TriggerKind.API_EVENT else
            trigger.segment if trigger.kind == TriggerKind.SEGMENT_ENTERED else "") or ""
    return (VersionToReplay(row.number, row.definition, row.content_hash, str(trigger.kind),
                            name), definition)


def _triggers(flow: models.Flow, version: VersionToReplay, start: int,
              end: int) -> list[TriggerRecord]:
    """The recorded triggers of ``version``'s trigger in (start, end], test accounts out."""
    window = (start, end, False)
    if version.trigger_kind == TriggerKind.API_EVENT:
        rows = sql.rows("SELECT e.at, e.customer_id FROM event e JOIN customer c ON "
                        "c.id = e.customer_id WHERE e.name = ? AND e.at > ? AND e.at <= ? "
                        "AND c.is_test = ? ORDER BY e.at, e.id", (version.trigger_name, *window))
        return [TriggerRecord(int(at), int(customer)) for at, customer in rows]
    if version.trigger_kind == TriggerKind.SEGMENT_ENTERED:
        rows = sql.rows("SELECT h.at, h.customer_id, h.entered FROM segment_change h "
                        "JOIN segment s ON s.id = h.segment_id JOIN customer c ON "
                        "c.id = h.customer_id WHERE s.name = ? AND h.at > ? AND h.at <= ? "
                        "AND c.is_test = ? ORDER BY h.at, h.id", (version.trigger_name, *window))
        return [TriggerRecord(int(at), int(customer), bool(entered))
                for at, customer, entered in rows]
    if version.trigger_kind == TriggerKind.MANUAL:
        rows = sql.rows("SELECT started_at, customer_id FROM instance WHERE flow_id = ? "
                        "AND started_at > ? AND started_at <= ? AND is_test = ? "
                        "ORDER BY started_at, id", (flow.id, *window))
        return [TriggerRecord(int(at), int(customer)) for at, customer in rows]
    return []


def _card_actions(flow: models.Flow, start: int, end: int) -> list[CardAction]:
    rows = sql.rows("SELECT closed_at, customer_id, step_id, status FROM card "
                    "WHERE flow_id = ? AND is_test = ? AND status IN (?, ?) "
                    "AND closed_at > ? AND closed_at <= ? ORDER BY closed_at, id",
                    (flow.id, False, "completed", "dismissed", start, end))
    return [CardAction(int(at), int(customer), str(step), str(status))
            for at, customer, step, status in rows]


def _recorded(extreme: str) -> int | None:
    """The oldest (MIN) or newest (MAX) recorded runtime moment: events, segment changes,
    instances and cards."""
    found = [sql.scalar(f"SELECT {extreme}({column}) FROM {table}") for table, column in (
        ("event", "at"), ("segment_change", "at"), ("instance", "started_at"),
        ("card", "created_at"))]
    times = [int(value) for value in found if value is not None]
    if not times:
        return None
    return min(times) if extreme == "MIN" else max(times)


def _result(version: VersionToReplay, definition: FlowDefinition,
            outcome: ReplayOutcome) -> VersionForecast:
    steps = tuple(StepForecast(step.id, str(step.kind),
                               (outcome.cards if step.kind == "send_card"
                                else outcome.pushes).get(step.id, 0))
                  for _, step in definition.walk() if step.kind in SENDING)
    return VersionForecast(version.number, outcome.started, outcome.completed,
                           outcome.waiting, steps)


def _replay_both(versions: list[VersionToReplay], triggers: dict[int, list[TriggerRecord]],
                 actions: list[CardAction], start: int, end: int, report: Progress,
                 should_cancel: Callable[[], bool] | None) -> list[ReplayOutcome]:
    """Each version replayed on a thread of its own, side by side (SQLite works without
    Python's lock, so two cores replay both in about the time of one); progress counts
    the moments of both."""
    label = " and ".join(str(v.number) for v in versions)
    stage = f"Replaying Version{'s' if len(versions) > 1 else ''} {label}"
    lock = threading.Lock()
    progress: dict[int, tuple[int, int]] = {}

    def progressed(number: int, done: int, total: int) -> None:
        with lock:
            progress[number] = (done, total)
            report(stage, sum(d for d, _ in progress.values()),
                   sum(t for _, t in progress.values()))

    with ThreadPoolExecutor(max_workers=len(versions),
                            thread_name_prefix="forecast") as pool:
        futures = [pool.submit(replay, version, triggers[version.number], actions, start, end,
                               progress=partial(progressed, version.number),
                               should_cancel=should_cancel) for version in versions]
        return [future.result() for future in futures]


def forecast(flow_ref: str | int, days: int = DEFAULT_DAYS, *,
             progress: Progress | None = None,
             should_cancel: Callable[[], bool] | None = None) -> Forecast:
    """Replay the last ``days`` days through the live version and the draft (reads only)."""
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"Give the number of days to replay as a whole number from 1 to "
                           f"{MAX_DAYS}.")
    report = progress or (lambda stage, done, total: None)
    flow = get_flow(flow_ref, include_archived=True)
    draft_row = _version(flow, VersionStatus.DRAFT)
    live_row = _version(flow, VersionStatus.LIVE)
    if draft_row is None:
        raise NotFound(f"'{flow.name}' has no draft to forecast.")
    report("Reading the recorded history", 0, 0)
    # The runtime clock's now; a clock never started (data imported in bulk) ends the
    # window at the newest record, and with no record at all at the real time.
    end = stored_time() or _recorded("MAX") or int(time.time())
    start = end - days * DAY
    draft, draft_definition = _to_replay(draft_row)
    live = _to_replay(live_row) if live_row is not None else None
    actions = _card_actions(flow, start, end)
    sides = [side for side in (live, (draft, draft_definition)) if side is not None]
    triggers = {side[0].number: _triggers(flow, side[0], start, end) for side in sides}
    outcomes = _replay_both([side[0] for side in sides], triggers, actions, start, end,
                            report, should_cancel)
    results = [_result(replayed, definition, outcome)
               for (replayed, definition), outcome in zip(sides, outcomes, strict=True)]
    tick = max(outcome.tick for outcome in outcomes)
    live_steps = {s.id for s in live[1].steps if s.kind == "send_card"} if live else set()
    acted_steps = {a.step_id for a in actions}
    only_draft = tuple(s.id for _, s in draft_definition.walk() if s.kind == "send_card"
                       and s.id not in live_steps and s.id not in acted_steps)
    trigger_note = ""
    if live is not None and (live[0].trigger_kind, live[0].trigger_name) != \
            (draft.trigger_kind, draft.trigger_name):
        trigger_note = (f"The draft starts on another trigger than Version "
                        f"{live[0].number}: each replays the history of its own trigger.")
    all_triggers = {(t.at, t.customer_id, t.entered) for records in triggers.values()
                    for t in records}
    return Forecast(flow.name, days, start, end, len(all_triggers), len(actions),
                    results[0] if live is not None else None, results[-1],
                    history_since=_recorded("MIN"), draft_only_card_steps=only_draft,
                    trigger_note=trigger_note, tick=tick)
