"""The main window's size at its first run: about 80% of the screen's free area, centred
(then whatever the member made of it is remembered, see ``AppSettings``)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

SHARE_OF_SCREEN = 0.8
SMALLEST = QSize(1000, 650)   # below this the Edit tab rearranges; a small screen gets all
FLOW_LIST_SHARE = 0.24
FLOW_LIST_WIDTHS = (320, 440)  # room for whole flow names, never most of the window
# The free area of a common 1920×1080 desktop (a panel of 40 px), for screenshots and tests.
COMMON_DESKTOP = QRect(0, 0, 1920, 1040)


def first_run_geometry(available: QRect) -> QRect:
    """Where the window opens the first time on a screen whose free area is ``available``."""
    width = max(round(available.width() * SHARE_OF_SCREEN), SMALLEST.width())
    height = max(round(available.height() * SHARE_OF_SCREEN), SMALLEST.height())
    size = QSize(min(width, available.width()), min(height, available.height()))
    geometry = QRect(0, 0, size.width(), size.height())
    geometry.moveCenter(available.center())
    return geometry


def flow_list_width(window_width: int) -> int:
    low, high = FLOW_LIST_WIDTHS
    return max(low, min(high, round(window_width * FLOW_LIST_SHARE)))
