"""The forecast in the Publish tab and the pre-publish dialog: it runs off the GUI thread
with progress and Cancel, shows both versions side by side with the difference, and the
dialog opens at once whatever the forecast is doing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from publish_gui_world import World, make_world
from publishing_world import onboarding
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Step
from flowbench.domain.errors import OperationCancelled
from flowbench.domain.forecast import DAY
from flowbench.services import drafts
from flowbench.store import models
from flowbench.ui.publish import forecast_panel
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.session import AppSession

pytestmark = pytest.mark.ui


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=False, cache=tmp_path_factory.getbasetemp())


NOW = 1_800_000_000


def record_entries(days_ago: list[float]) -> None:
    """Non-test customers entered the flow's segment this many days before now."""
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    customers = [c.id for c in models.Customer.select().where(
        models.Customer.is_test == False).order_by(models.Customer.id)]  # noqa: E712
    models.SegmentChange.insert_many([
        {"segment": segment, "customer": customer, "entered": True,
         "at": NOW - int(days * DAY)} for customer, days in zip(customers, days_ago,
                                                                strict=False)]).execute()
    models.RuntimeClock.delete().execute()
    models.RuntimeClock.create(now=NOW)


@pytest.fixture
def tab(qtbot: QtBot, world: World, prompts: Any) -> Iterator[PublishTab]:
    session = AppSession()
    session.open_workspace(world.path)
    record_entries([20, 6, 4, 3, 1, 0.5])  # the first is older than the 14 days
    seen = drafts.open_flow(world.flow_id)  # Version 2: a shorter wait, one more card
    draft = onboarding(title="Welcome aboard!")
    draft = draft.with_steps((*(s.with_changes(duration="P1D") if s.id == "wait" else s
                                for s in draft.steps),
                              Step("tip", "send_card", parent="wait", title="A tip",
                                   body="Try the tour.")))
    drafts.save_draft(world.cast.editor, world.flow_id, draft, expected_version=seen.version,
                      expected_revision=seen.revision)
    session.sign_in(world.cast.publisher)
    publish_tab = PublishTab(session, prompts)
    qtbot.addWidget(publish_tab)
    publish_tab.resize(980, 900)
    publish_tab.show()
    publish_tab.show_flow(world.flow_id)
    try:
        yield publish_tab
    finally:
        session.close_workspace()


@pytest.fixture
def slow_forecast(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """A forecast that reports progress and runs until it is cancelled."""
    started = threading.Event()

    def forecast(flow: Any, days: int, *, progress: Callable[..., None],
                 should_cancel: Callable[[], bool]) -> Any:
        started.set()
        step = 0
        while not should_cancel():
            step += 1
            progress("Replaying Version 1", min(step, 99), 100)
            time.sleep(0.01)
        raise OperationCancelled("The forecast was cancelled.")

    monkeypatch.setattr(forecast_panel.forecasting, "forecast", forecast)
    return started


def test_the_tab_runs_the_forecast_and_shows_both_versions(
        qtbot: QtBot, tab: PublishTab, screenshots: Callable[..., Path]) -> None:
    panel = tab.forecast
    assert tab.forecast_section.isVisible() and panel.run_button.isEnabled()
    assert panel.days.value() == 14
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert panel.running and panel.cancel_button.isVisible()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=20_000)
    result = panel.result
    text = panel.output.text()
    # five entries in the 14 days; a 2-day wait completes three, a 1-day wait four
    assert (result.triggers, result.live.completed, result.draft.completed) == (5, 3, 4)
    assert [(s.id, s.sent) for s in result.draft.steps] == [("welcome", 5), ("tip", 4)]
    assert result.difference() in text
    assert "Version 1 (live)" in text and "Version 2 (draft)" in text
    assert "Instances started" in text and "nothing was changed" in text
    assert panel.run_button.isVisible() and not panel.cancel_button.isVisible()
    screenshots(tab.forecast_section, "forecast")

    dialog = tab.open_publish_dialog()  # the finished forecast of this draft shows at once
    try:
        assert dialog is not None and dialog.forecast.result is result
        shown = dialog.forecast.output.text()  # the dialog's few lines
        assert result.difference() in shown
        assert "Version 1 (live): 5 started, 3 completed, 2 waiting" in shown
        assert "Version 2 (draft): 5 started, 4 completed, 1 waiting" in shown
    finally:
        dialog.reject()


def test_cancel_stops_the_forecast_and_the_dialog_opens_meanwhile(
        qtbot: QtBot, tab: PublishTab, slow_forecast: threading.Event) -> None:
    panel = tab.forecast
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert slow_forecast.wait(10)
    qtbot.waitUntil(lambda: panel.progress.maximum() == 100, timeout=10_000)
    assert panel.status.text() == "Replaying Version 1…"

    dialog = tab.open_publish_dialog()  # opens while the tab's forecast runs
    try:
        assert dialog is not None and dialog.isVisible()
        assert not dialog.forecast.running and dialog.forecast.output.text() == ""
        qtbot.mouseClick(dialog.forecast.run_button, Qt.MouseButton.LeftButton)
        assert dialog.forecast.running
        dialog.reject()  # closing the dialog cancels its forecast
        qtbot.waitUntil(lambda: not dialog.forecast.running, timeout=10_000)
        assert dialog.forecast.status.text() == "The forecast was cancelled."
    finally:
        dialog.reject()

    assert panel.running
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running, timeout=10_000)
    assert panel.status.text() == "The forecast was cancelled."
    assert panel.result is None and panel.run_button.isVisible()
