"""Counts and durations in the words people use: '1 running instance', '2 weeks'."""

from __future__ import annotations

# Nouns whose plural is not noun + "s".
_PLURALS = {"customer's": "customers'", "entry": "entries", "its": "their",
            "this": "these", "was": "were", "is": "are", "has": "have"}


def plural(count: int, noun: str) -> str:
    """The noun for ``count`` things: 'instance' → 'instances' unless count is 1."""
    if count == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    word = _PLURALS.get(last) or (last[:-1] + "ies" if last.endswith("y") and
                                   last[-2:-1] not in "aeiou" else
                                   last + ("es" if last.endswith(("s", "x", "ch", "sh"))
                                           else "s"))
    return f"{head} {word}" if head else word


def count_of(count: int, noun: str) -> str:
    """'0 conditions', '1 condition', '1,234 running instances'."""
    return f"{count:,} {plural(count, noun)}"
