"""A change to the selected flow while another tab is in front: the Versions and Activity
tabs read it when they come into view (not in the same turn of the event loop as the
change: a publish to a big workspace must not stall the window), and show it then."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows, publishing
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import ACTIVITY_TAB, EDIT_TAB, VERSIONS_TAB
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"


def _statuses(shell: Any) -> list[str]:
    model = shell.window.versions_tab.model
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def _activity_rows(shell: Any) -> list[str]:
    model = shell.window.activity_tab.model
    return [f"{model.index(row, 0).data()} {model.index(row, 1).data()}"
            for row in range(model.rowCount())]


def test_tabs_behind_read_a_publish_when_shown(shell: Any,
                                               made_workspace: Callable[..., Path]) -> None:
    path = made_workspace()
    open_workspace(path)
    flows.create_flow(sign_in(OWNER, PASSWORD), "Renewal reminder", FlowDefinition(
        Trigger("manual"), (Step("card_1", "send_card", title="Renew", body="Now.",
                                 buttons=(Button("OK"),)),)))
    close_workspace()
    shell.start(path)
    shell.sign_in()
    shell.click_flow("Renewal reminder")
    window = shell.window
    window.tabs.setCurrentIndex(EDIT_TAB)
    assert _statuses(shell) == ["Draft"]

    flow_id = window.current_flow()
    publishing.publish_draft(shell.session.actor, flow_id)
    shell.session.notify(SessionChange.for_flow(flow_id))
    assert _statuses(shell) == ["Draft"]  # behind the Edit tab: not read yet
    window.tabs.setCurrentIndex(VERSIONS_TAB)
    assert _statuses(shell) == ["Live"]
    window.tabs.setCurrentIndex(ACTIVITY_TAB)
    assert _activity_rows(shell) == ["Version 1 Live"]
