"""``create_main_window`` (what the self-test renders): titled, iconed, nobody signed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from flowbench.app import create_main_window
from flowbench.ui.main_window import MainWindow

pytestmark = pytest.mark.ui


def test_main_window_has_title_and_renders(qtbot: QtBot, tmp_path: Path) -> None:
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    assert window.windowTitle() == "Flowbench"
    assert not window.windowIcon().isNull()
    assert isinstance(window, MainWindow)
    assert window.pages.currentWidget() is window.signed_out
    assert window.member_label.text() == "Not signed in"
    assert not window.menu_actions.new_flow.isEnabled()

    screenshot = tmp_path / "main_window.png"
    pixmap = window.grab()
    assert not pixmap.isNull()
    assert pixmap.save(str(screenshot), "PNG")
    assert screenshot.stat().st_size > 0
