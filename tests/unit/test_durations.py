"""Durations as written in waits, expiries and timeouts: ISO 8601 and words."""

from __future__ import annotations

import pytest

from flowbench.domain.duration_text import iso_duration
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


@pytest.mark.parametrize("text, seconds", [
    ("2 hours", 7200),
    ("2h", 7200),
    ("2 H", 7200),
    ("90 min", 5400),
    ("1 day 12 hours", 36 * 3600),
    ("1 day, 12 hours and 30 minutes", 36 * 3600 + 1800),
    ("1.5 hours", 5400),
    ("2 weeks", 14 * 86400),
    ("30m", 1800),
    ("1D", 86400),
    ("1 year", 365 * 86400),
])
def test_durations_as_people_write_them(text: str, seconds: int) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("seconds, iso", [
    (7200, "PT2H"), (5400, "PT1H30M"), (36 * 3600, "P1DT12H"), (14 * 86400, "P14D"),
    (0, "PT0S"), (45, "PT45S")])
def test_lengths_are_written_back_as_iso_8601(seconds: int, iso: str) -> None:
    assert iso_duration(seconds) == iso
    assert duration_seconds(iso) == seconds


@pytest.mark.parametrize("text", ["", "   ", "P", "PT", "P1DT", "P2X", "2", "hours",
                                  "2 fortnights", "2 hours later", "soon"])
def test_unreadable_durations_raise_naming_an_accepted_form(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        duration_seconds(text)
    assert "2 hours" in str(caught.value) and "PT2H" in str(caught.value)


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
