"""The Activity tab: instances and cards per version and status, from the live tallies,
following starts and cancels; a chart of the same; live figures only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from activity_world import ActivityWorld, activity_template, activity_world  # noqa: F401
from bulk_data import add_customers, add_running_instances
from pytestqt.qtbot import QtBot

from flowbench.services import drafts
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import starts as runtime_starts
from flowbench.store import models
from flowbench.ui.activity.activity_model import COLUMNS, header_of
from flowbench.ui.activity.activity_tab import ActivityTab
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui


def table(tab: ActivityTab) -> dict[str, dict[str, str]]:
    """{"Version 2": {"status": "Live", "instance running": "2", …}, "All versions": …}."""
    model = tab.model
    found = {}
    for row in range(model.rowCount()):
        cells = {f"{kind} {status}".strip(): model.index(row, column).data()
                 for column, (kind, status) in enumerate(COLUMNS)}
        found[cells.pop("version")] = cells
    return found


def version_id(flow_id: int, number: int) -> int:
    return models.FlowVersion.get((models.FlowVersion.flow == flow_id)
                                  & (models.FlowVersion.number == number)).id


@pytest.fixture
def tab(qtbot: QtBot, activity_world: ActivityWorld, prompts: Any) -> ActivityTab:  # noqa: F811
    widget = ActivityTab(activity_world.session, prompts)
    qtbot.addWidget(widget)
    widget.resize(980, 620)
    widget.show_flow(activity_world.flow_id)
    return widget


def test_counts_per_version_and_status(tab: ActivityTab) -> None:
    rows = table(tab)
    assert list(rows) == ["Version 2", "Version 1", "All versions"]
    assert rows["Version 2"]["status"] == "Live"
    assert rows["Version 2"]["instance running"] == "2"
    assert rows["Version 2"]["card active"] == "2"
    assert rows["Version 1"]["status"] == "Previous"
    assert rows["Version 1"]["instance running"] == "3"
    assert rows["Version 1"]["instance cancelled"] == "0"
    assert rows["All versions"]["instance running"] == "5"
    assert tab.summary.text().startswith("5 running instances in Versions 1 and 2; "
                                         "5 open cards.")
    assert tab.selected_version() == 1  # the oldest version still running
    assert "Version 1: instances 3 running" in tab.chart.describe()


def test_counts_follow_starts_cancels_and_bulk_rows(tab: ActivityTab,
                                                    activity_world: ActivityWorld  # noqa: F811
                                                    ) -> None:
    world = activity_world
    first, last = add_customers(1_200, prefix="bulk")
    add_running_instances(world.flow_id, version_id(world.flow_id, 1), first, last)
    runtime_cancel.cancel_running(world.cast.publisher, world.flow_id, version=2)
    runtime_starts.start_manual(world.cast.publisher, world.flow_id, ["dan"])
    runtime_cancel.cancel_open_cards(world.cast.publisher, world.flow_id, version=1)
    world.session.notify(SessionChange.for_flow(world.flow_id, listed=False))

    rows = table(tab)
    assert (rows["Version 1"]["instance running"], rows["Version 1"]["card active"],
            rows["Version 1"]["card cancelled"]) == ("1,203", "0", "1,203")
    assert (rows["Version 2"]["instance running"], rows["Version 2"]["instance cancelled"],
            rows["Version 2"]["card active"]) == ("1", "2", "3")
    assert rows["All versions"]["instance running"] == "1,204"


def test_a_test_send_is_not_counted(tab: ActivityTab,
                                    activity_world: ActivityWorld) -> None:  # noqa: F811
    world = activity_world
    live = drafts.open_flow(world.flow_id)
    drafts.start_next_draft(world.cast.editor, world.flow_id, expected_live=live.version)
    runtime_starts.test_send(world.cast.editor, world.flow_id, ["tia", "tom"])
    world.session.notify(SessionChange.for_flow(world.flow_id, listed=False))
    rows = table(tab)
    assert rows["Version 3"]["status"] == "Draft"
    assert rows["Version 3"]["instance running"] == "0"
    assert rows["All versions"]["instance running"] == "5"


def test_nothing_selected_shows_a_hint(qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
                                       prompts: Any) -> None:
    widget = ActivityTab(activity_world.session, prompts)
    qtbot.addWidget(widget)
    assert widget.empty.isVisibleTo(widget) and not widget.view.isVisibleTo(widget)
    assert "Select a flow" in widget.empty.text()
    assert not widget.cancel_button.isEnabled()


def test_screenshot(tab: ActivityTab, activity_world: ActivityWorld,  # noqa: F811
                    screenshots: Callable[[Any, str], Path]) -> None:
    world = activity_world
    version_1, version_2 = version_id(world.flow_id, 1), version_id(world.flow_id, 2)
    first, _ = add_customers(2_000, prefix="bulk")
    for count, version, status, card in ((1_201, version_1, "running", "active"),
                                         (310, version_1, "completed", "completed"),
                                         (120, version_1, "completed", "dismissed"),
                                         (64, version_1, "cancelled", "cancelled"),
                                         (240, version_2, "running", "active"),
                                         (45, version_2, "running", "snoozed"),
                                         (20, version_2, "completed", "completed")):
        add_running_instances(world.flow_id, version, first, first + count - 1,
                              status=status, card_status=card)
        first += count
    world.session.notify(SessionChange.for_flow(world.flow_id, listed=False))
    tab.resize(980, 440)
    tab.show()
    assert tab.summary.text().startswith("1,491 running instances")
    assert screenshots(tab, "activity-tab").exists()


def test_counts_are_read_again_when_the_tab_comes_into_view(
        tab: ActivityTab, activity_world: ActivityWorld) -> None:  # noqa: F811
    tab.hide()
    runtime_cancel.cancel_running(activity_world.cast.publisher, activity_world.flow_id,
                                  version=2)  # the runtime moved on; nobody told the tab
    assert table(tab)["Version 2"]["instance running"] == "2"
    tab.show()
    assert table(tab)["Version 2"]["instance running"] == "0"


def test_a_narrow_tab_scrolls_the_table_sideways_rather_than_clipping_headers(
        qtbot: QtBot, tab: ActivityTab) -> None:
    header = tab.view.horizontalHeader()
    tab.show()
    qtbot.waitExposed(tab)
    wide = [header.sectionSize(column) for column in range(len(COLUMNS))]
    assert not tab.view.horizontalScrollBar().isVisible()
    tab.resize(640, 620)  # the tab beside the flow list in a 1000 px main window
    qtbot.waitUntil(lambda: tab.view.horizontalScrollBar().isVisible())
    for column in range(len(COLUMNS)):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), header_of(column)
        assert header.sectionSize(column) <= wide[column]
    rows = sum(tab.view.rowHeight(row) for row in range(tab.model.rowCount()))
    assert tab.view.viewport().height() >= rows  # the scroll bar hides no row
