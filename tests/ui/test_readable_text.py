"""Hints are readable: the muted text of placeholders, a step's "where it runs" line and
a duration's preview stands out from the window by at least WCAG's 4.5:1 in both colour
schemes — drawn as a disabled label, it was ~1.6:1 in the light one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from flowbench.ui.edit.duration_edit import DurationEdit
from flowbench.ui.kit.labels import placeholder
from flowbench.ui.theme import Theme

pytestmark = pytest.mark.ui


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(widget: QWidget) -> float:
    """The contrast of the widget's most distinct pixel (its text) with its background
    (the corner pixel), as drawn."""
    image = widget.grab().toImage()
    background = luminance(image.pixelColor(0, 0))
    best = 1.0
    for y in range(image.height()):
        for x in range(image.width()):
            shade = luminance(image.pixelColor(x, y))
            light, dark = max(shade, background), min(shade, background)
            best = max(best, (light + 0.05) / (dark + 0.05))
    return best


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def themed(request: pytest.FixtureRequest) -> Iterator[bool]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = Theme(app)
    theme.apply(dark=request.param)
    try:
        yield request.param
    finally:
        theme.apply(dark=False)
        app.setStyleSheet("")


def test_muted_hints_are_readable_in_both_schemes(qtbot: QtBot, themed: bool) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    hint = placeholder(window, "Select a flow in the list to edit it.")
    duration = DurationEdit("Wait", optional=False, parent=window)
    duration.set_value("P7D")
    layout.addWidget(hint)
    layout.addWidget(duration)
    window.show()
    qtbot.waitExposed(window)
    assert duration.preview.text()  # "= 1 week"
    for widget in (hint, duration.preview):
        assert contrast(widget) >= 4.5, (widget.text(), contrast(widget))
