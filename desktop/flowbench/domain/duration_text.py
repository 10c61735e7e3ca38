"""Durations as people type them: "2 hours", "2h", "90 min", "1 day 12 hours".

``read_spoken_duration`` turns such text into a ``timedelta`` (None when it is not one);
``iso_duration`` writes a length back as the ISO 8601 text a flow definition stores
(``PT2H``, ``P1DT12H``). ``durations.parse_duration`` accepts both this and ISO 8601,
so the editor, the command line and validation share one parser.
"""

from __future__ import annotations

import re
from datetime import timedelta

# Months and years have no fixed length; like ISO's P1M and P1Y they count 30 and 365 days.
_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "wks": 604800, "week": 604800, "weeks": 604800,
    "month": 30 * 86400, "months": 30 * 86400,
    "y": 365 * 86400, "yr": 365 * 86400, "yrs": 365 * 86400, "year": 365 * 86400,
    "years": 365 * 86400,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_JOINERS = re.compile(r"\s*(?:,|\band\b|\+)\s*")
# What a message names as accepted forms.
EXAMPLES = "2 hours, 90 min, 1 day 12 hours or PT2H"


def read_spoken_duration(text: str) -> timedelta | None:
    """The length ``text`` names ("2 hours", "2h", "1 day 12 hours"), or None."""
    if not isinstance(text, str):
        return None
    cleaned = _JOINERS.sub(" ", text.strip().lower()).strip()
    if not cleaned:
        return None
    seconds = 0.0
    position = 0
    for match in _PART.finditer(cleaned):
        if cleaned[position:match.start()].strip():
            return None  # something between the parts that is not a length
        unit = _UNIT_SECONDS.get(match.group(2))
        if unit is None:
            return None
        seconds += float(match.group(1)) * unit
        position = match.end()
    if position == 0 or cleaned[position:].strip():
        return None
    return timedelta(seconds=round(seconds))


def iso_duration(seconds: int) -> str:
    """Whole seconds as ISO 8601 (``PT1H30M``, ``P2D``, ``P1DT12H``; zero is ``PT0S``).

    Weeks are written as days (``P14D``) so every part is one unit a reader knows."""
    if seconds < 0:
        return "-" + iso_duration(-seconds)
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    date = f"{days}D" if days else ""
    time = "".join(f"{count}{unit}" for count, unit in ((hours, "H"), (minutes, "M"),
                                                       (secs, "S")) if count)
    if not date and not time:
        return "PT0S"
    return "P" + date + ("T" + time if time else "")
