"""The first windows' widget settings made by property name (``ui/kit/early.py``) do
what the enum-typed setters would: centred text, content top left, text selectable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from flowbench.ui.kit.early import centre_text, selectable_by_mouse, top_left

pytestmark = pytest.mark.ui


def test_settings_by_name_match_the_enum_setters(qtbot) -> None:
    label = QLabel("Flowbench")
    qtbot.addWidget(label)
    centre_text(label)
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    top_left(label)
    assert label.alignment() == Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
    selectable_by_mouse(label)
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
