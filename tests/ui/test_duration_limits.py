"""The Edit tab's duration field says at once when a duration is past the limits every
flow keeps (at most 10 years, at least 1 minute), before anything is saved."""

from __future__ import annotations

import pytest

from flowbench.ui.edit.duration_edit import DurationEdit

pytestmark = pytest.mark.ui


@pytest.mark.parametrize(("typed", "shown"), [
    ("P99999999999999D", "at most 10 years"), ("P11Y", "at most 10 years"),
    ("PT30S", "at least 1 minute"), ("P10Y", "= 10 years"), ("P2D", "= 2 days")])
def test_the_duration_preview_names_the_limit(qtbot, typed: str, shown: str) -> None:
    field = DurationEdit("Wait", optional=False)
    qtbot.addWidget(field)
    field.resize(360, 30)
    qtbot.keyClicks(field.line_edit, typed)
    assert field.preview.text() == shown
    if typed == "P99999999999999D":
        field.grab().save("/tmp/flowbench-duration-limit.png")
