"""Durations of waits, expiries and timeouts: ISO 8601 (``PT30M``, ``P2D``) as stored,
and also as people type them ("2 hours", "90 min", see ``duration_text``)."""

from __future__ import annotations

from datetime import timedelta

import isodate

from flowbench.domain.duration_text import EXAMPLES, read_spoken_duration

# Months and years have no fixed length; the runtime counts them as 30 and 365 days.
_DAYS_PER_MONTH = 30
_DAYS_PER_YEAR = 365


class DurationError(ValueError):
    """The text is not a duration."""


class DurationTooLong(DurationError):
    """The duration is too large to compute with (far past the 10-year limit)."""

    def __init__(self, text: object) -> None:
        shown = str(text) if len(str(text)) <= 24 else str(text)[:24] + "…"
        super().__init__(f"'{shown}' is far too long: at most 10 years")


def parse_duration(text: str) -> timedelta:
    """The one duration parser: ISO 8601 (``P2D``, ``PT30M``) or words ("2 hours", "2h",
    "90 min", "1 day 12 hours") into a timedelta, or raise DurationError."""
    if not isinstance(text, str) or not text.strip():
        raise DurationError(f"is empty; write e.g. {EXAMPLES}")
    try:
        spoken = read_spoken_duration(text)
    except OverflowError:  # "99999999999999 days"
        raise DurationTooLong(text) from None
    if spoken is not None:
        return spoken
    cleaned = text.strip().upper()
    if not cleaned.startswith(("P", "-P", "+P")) or cleaned in {"P", "PT"} \
            or cleaned.endswith("T"):
        raise DurationError(f"'{text}' is not a duration; write e.g. {EXAMPLES}")
    try:
        value = isodate.parse_duration(cleaned)
    except OverflowError:
        raise DurationTooLong(text) from None
    except (isodate.ISO8601Error, ValueError, TypeError) as exc:
        raise DurationError(f"'{text}' is not a duration; write e.g. {EXAMPLES}") from exc
    if isinstance(value, timedelta):
        return value
    try:
        days = int(value.years) * _DAYS_PER_YEAR + int(value.months) * _DAYS_PER_MONTH
        rest: timedelta = value.tdelta
        return timedelta(days=days) + rest
    except OverflowError:
        raise DurationTooLong(text) from None


def duration_seconds(text: str) -> int:
    """Whole seconds of an ISO 8601 duration."""
    return int(parse_duration(text).total_seconds())


def describe_duration(text: str) -> str:
    """'2 days', '30 minutes', '1 day 2 hours' — for summaries and the diagram."""
    try:
        seconds = duration_seconds(text)
    except DurationError:
        return text
    return describe_seconds(seconds)


_YEAR, _WEEK, _DAY, _HOUR, _MINUTE = 365 * 86400, 604800, 86400, 3600, 60


def describe_seconds(seconds: int) -> str:
    """A length of time in the units people use: '10 days' (not '1 week 3 days'),
    '2 weeks', '1 day 12 hours', '90 minutes' → '1 hour 30 minutes'. Years and weeks only
    when they are whole; otherwise the two largest of days, hours, minutes, seconds."""
    if seconds == 0:
        return "0 seconds"
    sign = "-" if seconds < 0 else ""
    remaining = abs(seconds)
    for unit, size in (("year", _YEAR), ("week", _WEEK)):
        if remaining % size == 0:
            count = remaining // size
            return f"{sign}{count} {unit}{'' if count == 1 else 's'}"
    parts: list[str] = []
    for unit, size in (("day", _DAY), ("hour", _HOUR), ("minute", _MINUTE), ("second", 1)):
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return sign + " ".join(parts[:2])
