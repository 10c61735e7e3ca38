"""The flow list refreshes a changed flow's row in place (a publish to a big workspace
must not rebuild 1,000 rows): the row shows the new state, keeps its sorted place and
the selection, an archived flow leaves the list, a new one joins it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from flowbench.services.flows import FlowSummary
from flowbench.ui.flow_list import FlowListPanel
from flowbench.ui.models.flow_table import DRAFT, LIVE, NAME


def _panel(qtbot: QtBot) -> FlowListPanel:
    panel = FlowListPanel()
    qtbot.addWidget(panel)
    panel.set_flows([FlowSummary(n, f"Flow {n:02}", 1, 2, "approved") for n in range(1, 31)])
    panel.select_flow(10, quiet=True)
    return panel


def _shown(panel: FlowListPanel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(row, NAME).data() for row in range(proxy.rowCount())]


def _row_text(panel: FlowListPanel, name: str) -> tuple[str, str]:
    row = _shown(panel).index(name)
    return panel.proxy.index(row, LIVE).data(), panel.proxy.index(row, DRAFT).data()


def test_a_published_flow_updates_its_row_and_keeps_the_selection(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.update_flows({10: FlowSummary(10, "Flow 10", 2, None, "")})
    assert _row_text(panel, "Flow 10") == ("v2", "—")
    assert _row_text(panel, "Flow 11") == ("v1", "v2")
    assert panel.current_flow() == 10
    selected = panel.view.selectionModel().selectedRows(NAME)
    assert [index.data() for index in selected] == ["Flow 10"]


def test_a_renamed_flow_moves_to_its_sorted_place_still_selected(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.update_flows({10: FlowSummary(10, "Aardvark", 1, 2, "approved")})
    assert _shown(panel)[0] == "Aardvark"
    assert "Flow 10" not in _shown(panel)
    selected = panel.view.selectionModel().selectedRows(NAME)
    assert [index.data() for index in selected] == ["Aardvark"]


def test_archived_flows_leave_and_new_flows_join(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    panel.update_flows({10: FlowSummary(10, "Flow 10", 1, 2, "approved", archived=True),
                        20: None, 99: FlowSummary(99, "Flow 00", None, 1, "no groups")})
    shown = _shown(panel)
    assert "Flow 10" not in shown and "Flow 20" not in shown
    assert shown[0] == "Flow 00"
    assert panel.current_flow() is None
    assert not panel.view.selectionModel().hasSelection()
    assert panel.count.text() == "29 flows"
    assert panel.summary(99) is not None and panel.summary(10) is None
