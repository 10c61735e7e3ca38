"""Room to work: the first run opens at about 80% of the screen (remembered afterwards),
the flow list shows whole names and can be put away (Ctrl+B, View → Flow List), and the
diagram zooms, fits the flow into view and can take the step form's space."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.main_window import MainWindow
from flowbench.ui.models.flow_table import NAME
from flowbench.ui.session import AppSession
from flowbench.ui.window_size import COMMON_DESKTOP, first_run_geometry, flow_list_width

pytestmark = pytest.mark.ui
FIRST_RUN = first_run_geometry(COMMON_DESKTOP).size()
LONG_NAMES = ("Order delivered feedback", "Enterprise trial onboarding", "Win-back offer")
TREE = FlowDefinition(trigger=Trigger("api_event", event="trial.started"), steps=(
    Step("card", "send_card", title="Welcome to your trial", body="Three short steps.",
         buttons=(Button("Show me", "submit"), Button("Later", "dismiss")),
         expires_after="P3D"),
    Step("wait", "wait_card_action", "card", card="card", action="submitted", timeout="P2D"),
    Step("push", "send_push", "wait", title="All set", body="Enjoy!", card="card"),
    Step("later", "wait_duration", "card", duration="P2D"),
    Step("nudge", "send_push", "later", title="Need a hand?", body="We're here."),
    Step("again", "send_card", "nudge", title="Still there?", body="One more tip.",
         buttons=(Button("Go", "submit"),)),
))


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def resize(window: MainWindow, width: int, height: int) -> None:
    """As the window would open at this size (the flow list as wide as it starts)."""
    window.resize(width, height)
    window.splitter.setSizes([flow_list_width(width), width - flow_list_width(width)])
    settle()


@pytest.fixture
def workbench(shell: Any, made_workspace: Callable[..., Path]) -> Any:
    location = made_workspace()
    open_workspace(location)
    try:
        owner = sign_in("owner@example.com", "correct horse 1")
        for name in LONG_NAMES:
            flows.create_flow(owner, name, TREE)
    finally:
        close_workspace()
    shell.start(location)
    shell.sign_in()
    shell.click_flow(LONG_NAMES[1])
    shell.window.edit_tab.steps.select_step("card")
    settle()
    return shell


def test_the_first_run_fits_the_screen_and_the_size_is_remembered(
        qtbot: QtBot, tmp_path: Path) -> None:
    assert first_run_geometry(QRect(0, 0, 1920, 1040)) == QRect(192, 104, 1536, 832)
    assert first_run_geometry(QRect(0, 0, 2560, 1400)).size().width() == 2048
    small = first_run_geometry(QRect(0, 0, 1024, 700))  # never below 1000×650 nor off it
    assert (small.width(), small.height()) == (1000, 650)

    settings = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(AppSession(), settings, Prompts())
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    assert window.geometry().size() == first_run_geometry(screen).size()

    window.resize(screen.width() - 60, screen.height() - 50)  # what the member chose
    window.save_geometry()
    again = MainWindow(AppSession(), settings, Prompts())
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (screen.width() - 60, screen.height() - 50)


@pytest.mark.parametrize("size", [(FIRST_RUN.width(), FIRST_RUN.height()), (1000, 650)])
def test_flow_names_are_whole_before_the_approval_column_gets_room(
        workbench: Any, size: tuple[int, int]) -> None:
    window = workbench.window
    resize(window, *size)
    view, proxy = window.flow_list.view, window.flow_list.proxy
    metrics = view.fontMetrics()
    for row in range(proxy.rowCount()):
        index = proxy.index(row, NAME)
        assert view.visualRect(index).width() >= metrics.horizontalAdvance(index.data()) + 8, \
            f"“{index.data()}” is cut at {size}"
    header = view.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(4)) <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0


def test_at_the_first_run_size_the_form_does_not_scroll_and_the_flow_fits(
        workbench: Any) -> None:
    window = workbench.window
    window.resize(FIRST_RUN)
    settle()
    tab = window.edit_tab
    assert tab.form_scroll.verticalScrollBar().maximum() == 0, "the step form scrolls"
    tab.diagram_panel.fit_action.trigger()
    diagram = tab.diagram
    shown = diagram.mapToScene(diagram.viewport().rect()).boundingRect()
    assert all(shown.contains(diagram.node_rect(step.id)) for step in TREE.steps)


def test_the_flow_list_can_be_put_away_and_comes_back(workbench: Any) -> None:
    window = workbench.window
    action = window.menu_actions.show_flow_list
    assert action in window.menu_actions.view_menu.actions() and action.isChecked()
    tabs_width = window.tabs.width()

    workbench.shortcut(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert not window.flow_list.isVisible() and not action.isChecked()
    assert window.tabs.width() > tabs_width + 200  # the flow gets the room

    window.save_geometry()  # remembered: the next window starts without the list
    again = MainWindow(AppSession(), window.settings, Prompts())
    workbench.qtbot.addWidget(again)
    assert not again.menu_actions.show_flow_list.isChecked()

    workbench.shortcut(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find Flow
    settle()
    assert window.flow_list.isVisible() and action.isChecked()
    assert window.flow_list.search.hasFocus()


def test_the_diagram_zooms_fits_and_takes_the_forms_space(workbench: Any) -> None:
    window = workbench.window
    window.resize(FIRST_RUN)
    settle()
    tab = window.edit_tab
    panel = tab.diagram_panel
    assert set(panel.actions_for_menu()) <= set(window.menu_actions.view_menu.actions())
    start = tab.diagram.zoom()

    panel.zoom_in_action.trigger()
    assert tab.diagram.zoom() == pytest.approx(start * 1.25)
    assert panel.zoom_label.text() == f"{round(start * 125)}%"
    panel.zoom_out_action.trigger()
    panel.zoom_out_action.trigger()
    assert tab.diagram.zoom() == pytest.approx(start / 1.25)

    diagram_width = panel.width()
    panel.buttons["enlarge"].click()
    settle()
    assert not tab.form_scroll.isVisible()
    assert panel.width() > diagram_width + 200
    panel.buttons["enlarge"].click()
    settle()
    assert tab.form_scroll.isVisible()

    window.resize(1000, 650)  # narrow: the diagram sits under the form
    settle()
    assert tab.narrow
    height = panel.height()
    panel.enlarge_action.trigger()
    settle()
    assert not tab.form_scroll.isVisible() and panel.height() > height + 150
    panel.enlarge_action.trigger()
