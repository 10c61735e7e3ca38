"""Replaying recorded history through one version in a scratch database (the forecast).

The scratch database is an in-memory SQLite with the workspace's tables, holding one flow
whose only version is live, the customers the history names, and nothing else. The
real engine runs on it (``sql.on_scratch``: this thread's engine SQL goes there, every
other thread keeps the workspace), moment by moment in time order: the clock moves to
the moment (waits end, cards expire on the way), the triggers of the moment start the
flow (events through ``record_events``, segment entries through ``start_entered``,
manual starts through ``start_instances``), then the customers' card actions of the
moment close their open card of the same step id. Nothing touches the workspace.

Moments: a history with few distinct times is replayed to the second; a long, busy one
is replayed in steps of ``tick`` seconds (each time rounded down to its step, so the
order of things is kept), which keeps the replay to a few thousand moments.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from peewee import SchemaManager, SqliteDatabase

from flowbench.domain.errors import OperationCancelled
from flowbench.runtime import engine, events, segments, sql, wakes
from flowbench.runtime.sql import OPEN_CARD_STATES, F
from flowbench.store import models

MAX_MOMENTS = 1_000  # a longer history is replayed in coarser steps
TICKS = (1, 60, 300, 900, 1800, 3600)  # seconds: the steps the replay may take
ACTION_STATUS = {"completed", "dismissed"}  # what a customer's action leaves on a card
FLOW_ID = VERSION_ID = SEGMENT_ID = 1

Progress = Callable[[int, int], None]
ShouldCancel = Callable[[], bool]


class TriggerRecord(NamedTuple):
    at: int
    customer_id: int
    entered: bool = True  # segment history: False is an exit


class CardAction(NamedTuple):
    at: int
    customer_id: int
    step_id: str
    status: str  # completed (submitted) or dismissed


@dataclass(frozen=True)
class VersionToReplay:
    number: int
    definition_json: str
    content_hash: str
    trigger_kind: str  # api_event / segment_entered / manual
    trigger_name: str  # the event or segment ("" for manual)


@dataclass
class ReplayOutcome:
    started: int = 0
    completed: int = 0
    waiting: int = 0
    cards: dict[str, int] = field(default_factory=dict)  # step id -> cards sent
    pushes: dict[str, int] = field(default_factory=dict)  # step id -> pushes sent
    actions_applied: int = 0  # card actions that found an open card to act on
    moments: int = 0
    tick: int = 1


def choose_tick(times: Iterable[int]) -> int:
    ordered = sorted(set(times))
    for tick in TICKS:
        if len({t // tick for t in ordered}) <= MAX_MOMENTS:
            return tick
    return TICKS[-1]


def _scratch_database() -> Any:
    """An in-memory SQLite with the workspace's tables (typed loosely, as ``sql.db``)."""
    # No rollback journal: the scratch copy is thrown away, never rolled back into anything.
    database: Any = SqliteDatabase(":memory:", pragmas={"journal_mode": "off",
                                                        "temp_store": "memory"})
    database.connect()
    for model in models.ALL_MODELS:
        SchemaManager(model, database).create_all()  # this database only; no rebinding
    return database


def _fill(version: VersionToReplay, customers: set[int]) -> None:
    """The one flow, its one (live) version, its segment, the customers, the clock."""
    created = "2000-01-01 00:00:00"
    sql.execute("INSERT INTO member (id, email, name, role, password_hash, active, "
                "failed_sign_ins, created_at) VALUES (1, ?, ?, ?, ?, ?, 0, ?)",
                ("forecast", "Forecast", "viewer", "", True, created))
    sql.execute("INSERT INTO flow (id, name, name_key, archived, created_by_id, created_at) "
                "VALUES (?, ?, ?, ?, 1, ?)", (FLOW_ID, "forecast", "forecast", False, created))
    sql.execute("INSERT INTO flow_version (id, flow_id, number, status, definition, "
                "content_hash, revision, created_by_id, created_at) VALUES "
                "(?, ?, ?, ?, ?, ?, 1, 1, ?)", (VERSION_ID, FLOW_ID, version.number, "live",
                                                version.definition_json, version.content_hash,
                                                created))
    if version.trigger_kind == "segment_entered":
        sql.execute("INSERT INTO segment (id, name, rule, created_at) VALUES (?, ?, ?, 0)",
                    (SEGMENT_ID, version.trigger_name, "{}"))
    sql.execute("INSERT INTO runtime_clock (id, now) VALUES (1, 0)")
    sql.executemany("INSERT INTO customer (id, external_id, attributes, is_test, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, 0, 0)",
                    [(c, str(c), "{}", False) for c in sorted(customers)])


def _advance(now: int, target: int) -> int:
    """The engine's passing of time (as ``clock.advance_to``), on the scratch clock."""
    while (moment := wakes.next_due(target)) is not None:
        moment = max(moment, now)
        wakes.expire_cards(moment)
        wakes.end_waits(moment)
        now = moment
    return target


def _start(version: VersionToReplay, records: list[TriggerRecord], at: int) -> None:
    if version.trigger_kind == "api_event":
        events.record_events([events.EventRecord(r.customer_id, version.trigger_name)
                              for r in records], at)
    elif version.trigger_kind == "segment_entered":
        for is_entry, group in itertools.groupby(records, key=lambda r: r.entered):
            batch = [(SEGMENT_ID, r.customer_id) for r in group]
            if not is_entry:
                sql.executemany("DELETE FROM segment_member WHERE segment_id = ? "
                                "AND customer_id = ?", batch)
                continue
            before = int(sql.scalar("SELECT MAX(id) FROM segment_member") or 0)
            sql.executemany("INSERT INTO segment_member (segment_id, customer_id, is_test, "
                            "entered_at) SELECT ?, ?, 0, ? WHERE NOT EXISTS (SELECT 1 FROM "
                            "segment_member WHERE segment_id = ? AND customer_id = ?)",
                            [(s, c, at, s, c) for s, c in batch])
            segments.start_entered(SEGMENT_ID, version.trigger_name, after_member=before,
                                   now=at)
    elif version.trigger_kind == "manual":
        engine.start_instances(FLOW_ID, VERSION_ID, [r.customer_id for r in records], now=at)


def _act(actions: list[CardAction], at: int) -> int:
    """Close each customer's open card of the action's step, as the customer did."""
    sql.execute("DELETE FROM replay_action")
    sql.executemany("INSERT INTO replay_action (customer_id, step_id, status) VALUES (?, ?, ?)",
                    [(a.customer_id, a.step_id, a.status) for a in actions])
    applied = 0
    for status in sorted({a.status for a in actions}):
        acted_on = F("SELECT c.id FROM replay_action a JOIN card c ON c.customer_id = "
                     "a.customer_id AND c.step_id = a.step_id WHERE a.status = ? AND "
                     "c.status IN (?, ?)", status, *OPEN_CARD_STATES)
        closed = sql.run_count(F("UPDATE card SET status = ?, closed_at = ? WHERE id IN (",
                                 status, at) + acted_on + ")")
        if closed:
            wakes.cards_closed(status, F("SELECT c.id FROM replay_action a JOIN card c ON "
                                         "c.customer_id = a.customer_id AND c.step_id = "
                                         "a.step_id WHERE a.status = ? AND c.status = ? AND "
                                         "c.closed_at = ?", status, status, at), at)
        applied += closed
    return applied


def replay(version: VersionToReplay, triggers: list[TriggerRecord], actions: list[CardAction],
           start: int, end: int, *, progress: Progress | None = None,
           should_cancel: ShouldCancel | None = None) -> ReplayOutcome:
    """Replay ``triggers`` and ``actions`` (times in ``start``..``end``) through
    ``version`` as if it had been live all along; the workspace is never touched."""
    usable = [a for a in actions if a.status in ACTION_STATUS]
    tick = choose_tick(itertools.chain((t.at for t in triggers), (a.at for a in usable)))
    moments: dict[int, tuple[list[TriggerRecord], list[CardAction]]] = {}
    for record in triggers:
        moments.setdefault(record.at // tick * tick, ([], []))[0].append(record)
    for action in usable:
        moments.setdefault(action.at // tick * tick, ([], []))[1].append(action)
    customers = {t.customer_id for t in triggers} | {a.customer_id for a in usable}
    outcome = ReplayOutcome(tick=tick, moments=len(moments))
    database = _scratch_database()
    try:
        with sql.on_scratch(database), database.atomic():
            _fill(version, customers)
            sql.execute("CREATE TEMP TABLE replay_action (customer_id INTEGER NOT NULL, "
                        "step_id TEXT NOT NULL, status TEXT NOT NULL)")
            # The engine finds the cards that just closed by status and time, and the
            # branches parked at a step by time or card: in a replay, where every card
            # closes sooner or later and many branches stay parked, these need indexes
            # of their own (the scratch copy only; the workspace is not changed).
            sql.execute("CREATE INDEX replay_card_closed ON card (status, closed_at, expires_at)")
            for columns in ("wait_until, card_id", "step_id, wait_until", "step_id, card_id",
                            "step_id, instance_id"):
                sql.execute(f"CREATE INDEX replay_branch_{columns.replace(', ', '_')} "
                            f"ON pending_branch ({columns})")
            now = start
            for done, at in enumerate(sorted(moments), start=1):
                if should_cancel is not None and should_cancel():
                    raise OperationCancelled("The forecast was cancelled.")
                now = _advance(now, max(at, now))
                records, acts = moments[at]
                if records:
                    _start(version, records, now)
                if acts:
                    outcome.actions_applied += _act(acts, now)
                if progress is not None and (done % 50 == 0 or done == len(moments)):
                    progress(done, len(moments))
            _advance(now, max(end, now))
            _count(outcome)
    finally:
        database.close()
    return outcome


def _count(outcome: ReplayOutcome) -> None:
    for status, count in sql.rows("SELECT status, COUNT(*) FROM instance GROUP BY status"):
        outcome.started += int(count)
        if status == "completed":
            outcome.completed = int(count)
        elif status == "running":
            outcome.waiting = int(count)
    outcome.cards = {str(step): int(n) for step, n in sql.rows(
        "SELECT step_id, COUNT(*) FROM card GROUP BY step_id")}
    outcome.pushes = {str(step): int(n) for step, n in sql.rows(
        "SELECT step_id, COUNT(*) FROM push_notification GROUP BY step_id")}
