"""The Activity chart has an axis with counts and one scale for instances and cards:
10 instances and 10 cards are bars of the same length."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from flowbench.services.activity import FlowActivity, VersionActivity
from flowbench.ui.activity.activity_chart import (
    CARD_COLOURS,
    INSTANCE_COLOURS,
    ActivityChart,
    axis_ticks,
)

pytestmark = pytest.mark.ui


def run_length(image: QImage, colour: str) -> int:
    """The longest horizontal run of pixels of ``colour``."""
    wanted = QColor(colour).rgb()
    longest = 0
    for y in range(image.height()):
        run = 0
        for x in range(image.width()):
            run = run + 1 if image.pixel(x, y) == wanted else 0
            longest = max(longest, run)
    return longest


def test_ten_instances_and_ten_cards_are_equally_long_on_one_axis(qtbot: QtBot) -> None:
    chart = ActivityChart()
    qtbot.addWidget(chart)
    chart.set_activity(FlowActivity(1, "Onboarding", 2, [
        VersionActivity(2, "live", {"running": 10}, {"active": 10}),
        VersionActivity(1, "previous", {"completed": 4}, {"expired": 20})]))
    chart.resize(700, chart.sizeHint().height())
    image = chart.grab().toImage()
    instances = run_length(image, INSTANCE_COLOURS["running"])
    cards = run_length(image, CARD_COLOURS["active"])
    assert instances > 50 and abs(instances - cards) <= 1
    expired = run_length(image, CARD_COLOURS["expired"])
    assert abs(expired - 2 * cards) <= 2  # twice as many cards, twice as long
    assert chart.ticks() == [0, 5, 10, 15, 20]  # the axis counts what the longest bar has


@pytest.mark.parametrize("most, ticks", [
    (1, [0, 1]), (3, [0, 1, 2, 3]), (10, [0, 2, 4, 6, 8, 10]), (12, [0, 5, 10, 15]),
    (1203, [0, 500, 1000, 1500])])
def test_the_axis_has_round_counts(most: int, ticks: list[int]) -> None:
    assert axis_ticks(most) == ticks
