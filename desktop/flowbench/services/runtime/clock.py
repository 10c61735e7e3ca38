"""The runtime clock: show it, advance it (never backwards).

Advancing processes, in time order, every card expiry and every wait or timeout that
falls due on the way. Permission to advance: ``edit_draft`` (see ``runtime_access``).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from flowbench.domain.durations import DurationError, describe_seconds, duration_seconds
from flowbench.domain.errors import InvalidInput
from flowbench.domain.limits import MAX_DURATION
from flowbench.runtime import clock
from flowbench.services.context import Actor, audit, require
from flowbench.services.runtime.access import REHEARSAL, iso
from flowbench.store.connection import write_transaction
from flowbench.store.long_writes import LongWrite


@dataclass(frozen=True)
class ClockInfo:
    now: int

    def to_dict(self) -> dict[str, Any]:
        return {"now": iso(self.now), "seconds": self.now}


@dataclass(frozen=True)
class ClockAdvanced:
    before: int
    after: int
    expired_cards: int
    woken_branches: int

    def to_dict(self) -> dict[str, Any]:
        return {"before": iso(self.before), "now": iso(self.after), "seconds": self.after,
                "expired_cards": self.expired_cards, "woken_branches": self.woken_branches}

    def describe(self) -> str:
        cards = "card" if self.expired_cards == 1 else "cards"
        waits = "wait" if self.woken_branches == 1 else "waits"
        return (f"The runtime clock moved {describe_seconds(self.after - self.before)} "
                f"forward to {readable(self.after)}: {self.expired_cards:,} {cards} expired, "
                f"{self.woken_branches:,} {waits} ended.")


def readable(seconds: int) -> str:
    """A runtime time for people: ``2026-05-01 09:30 UTC``."""
    moment = datetime.datetime.fromtimestamp(int(seconds), datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


LATEST_CLOCK = 221_845_392_000  # 9000-01-01: far from where dates stop (9999-12-31)


def show_clock() -> ClockInfo:
    """The runtime's now. Reading writes nothing: before the runtime's first use (which
    stores the real time of that moment) it shows the real time."""
    now = clock.stored_time()
    return ClockInfo(int(time.time()) if now is None else now)


def advance_clock(actor: Actor, duration: str) -> ClockAdvanced:
    """Move the clock forward by a duration: ``"2 hours"``, ``"90 min"``, ``P2D``…"""
    try:
        seconds = duration_seconds(duration)
    except DurationError as exc:
        raise InvalidInput(f"The duration {exc}.") from None
    if seconds < 0:
        raise InvalidInput("The runtime clock never moves backwards: give a positive "
                           "duration.")
    if seconds > MAX_DURATION.total_seconds():
        raise InvalidInput("The runtime clock moves at most 10 years at a time.")
    with write_transaction(LongWrite(f"advancing the runtime clock by {duration}")):
        member = require(actor, REHEARSAL, "advance the runtime clock")
        now = clock.stored_time()
        if now is not None and now + seconds > LATEST_CLOCK:
            raise InvalidInput("The runtime clock cannot go past the year 9000.")
        moved = clock.advance(seconds)
        result = ClockAdvanced(moved.before, moved.after, moved.expired_cards,
                               moved.woken_branches)
        audit(member, "clock.advance", result.describe(), **result.to_dict())
    return result
