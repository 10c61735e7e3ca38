"""ISO 8601 durations as written in waits, expiries and timeouts."""

from __future__ import annotations

import pytest

from flowbench.domain.durations import (
    DurationError,
    describe_duration,
    describe_seconds,
    duration_seconds,
)


@pytest.mark.parametrize("text, seconds", [
    ("PT30M", 1800),
    ("P2D", 2 * 86400),
    ("PT1H30M", 5400),
    ("P1DT2H", 26 * 3600),
    ("P1W", 7 * 86400),
    ("P1M", 30 * 86400),  # months count as 30 days
    ("P1Y", 365 * 86400),  # years as 365
    ("pt30m", 1800),  # any case
    (" P2D ", 2 * 86400),  # surrounding blanks
    ("-P1D", -86400),  # negative durations parse; validation refuses them
])
def test_parse(text: str, seconds: int) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "   ", "P", "PT", "P1DT", "2 days", "30m", "P2X",
                                  "1D"])
def test_unreadable_durations_raise_with_a_hint(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        duration_seconds(text)
    assert "PT30M or P2D" in str(caught.value)


def test_non_text_is_refused() -> None:
    with pytest.raises(DurationError):
        duration_seconds(5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text, words", [
    ("PT30M", "30 minutes"),
    ("P2D", "2 days"),
    ("P1D", "1 day"),
    ("P1DT2H", "1 day 2 hours"),
    ("PT1H", "1 hour"),
    ("P1W", "1 week"),
    ("P2W", "2 weeks"),
    ("P14D", "2 weeks"),
    ("P10D", "10 days"),  # not "1 week 3 days"
    ("P1DT12H", "1 day 12 hours"),
    ("PT36H", "1 day 12 hours"),
    ("PT90M", "1 hour 30 minutes"),
    ("P1Y", "1 year"),
    ("P400D", "400 days"),
    ("PT45S", "45 seconds"),
    ("nonsense", "nonsense"),  # shown as written rather than failing
])
def test_describe(text: str, words: str) -> None:
    assert describe_duration(text) == words


def test_describe_seconds_keeps_the_two_largest_units() -> None:
    assert describe_seconds(0) == "0 seconds"
    assert describe_seconds(-90) == "-1 minute 30 seconds"
    assert describe_seconds(86400 + 3600 + 61) == "1 day 1 hour"
