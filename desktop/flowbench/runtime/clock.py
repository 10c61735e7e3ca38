"""The runtime clock: a stored "now" in whole seconds that members advance, never back.

Advancing processes everything that falls due on the way in time order: at each moment
that something is due, cards expiring then expire (and the waits on them react), then
the waits and timeouts ending then continue — each as cohorts, one statement a step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flowbench.domain.errors import InvalidInput
from flowbench.runtime import wakes
from flowbench.runtime.bulk_tallies import bulk, expected_rows
from flowbench.store import models
from flowbench.store.runtime_indexes import OPEN_CARD


def stored_time() -> int | None:
    """The clock as stored, or None before the runtime was first used."""
    row = models.RuntimeClock.select(models.RuntimeClock.now).order_by(
        models.RuntimeClock.id).first()
    return int(row.now) if row else None


def current_time() -> int:
    """The runtime's "now"; the first use sets it to the real time (call it when writing)."""
    now = stored_time()
    if now is None:
        now = int(time.time())
        models.RuntimeClock.create(now=now)
    return now


def _store(now: int) -> None:
    models.RuntimeClock.update(now=now).execute()


@dataclass(frozen=True)
class ClockAdvance:
    before: int
    after: int
    expired_cards: int
    woken_branches: int
    moments: int  # distinct moments at which something fell due


def advance_to(target: int) -> ClockAdvance:
    """Move the clock to ``target`` (not before now), processing what falls due on the way."""
    before = current_time()
    if target < before:
        raise InvalidInput("The runtime clock never moves backwards.")
    expired = woken = moments = 0
    due = (expected_rows("SELECT COUNT(*) FROM pending_branch WHERE wait_until <= ?", (target,))
           + expected_rows(f"SELECT COUNT(*) FROM card WHERE {OPEN_CARD} AND expires_at <= ?",
                           (target,)))
    with bulk(due):  # many waits ending at once: the tallies kept set-based
        while (moment := wakes.next_due(target)) is not None:
            moment = max(moment, before)  # anything overdue happens now
            _store(moment)
            expired += wakes.expire_cards(moment)
            woken += wakes.end_waits(moment)
            moments += 1
    _store(target)
    return ClockAdvance(before, target, expired, woken, moments)


def advance(seconds: int) -> ClockAdvance:
    if seconds < 0:
        raise InvalidInput("The runtime clock never moves backwards: give a positive duration.")
    return advance_to(current_time() + seconds)
