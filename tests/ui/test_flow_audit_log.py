"""Workspace → Audit Log for This Flow… (also on the flow list's context menu): the Audit
Log window filtered to the selected flow; closed to roles that may not read the log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flowbench.services import flows
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.admin.audit_model import FLOW
from flowbench.ui.admin.audit_window import AuditLogWindow

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"


def with_flows(location: Path, *names: str) -> Path:
    open_workspace(location)
    try:
        owner = sign_in(OWNER, PASSWORD)
        for name in names:
            flows.create_flow(owner, name)
    finally:
        close_workspace()
    return location


def settled(qtbot: QtBot, window: AuditLogWindow) -> AuditLogWindow:
    def quiet() -> bool:
        QApplication.processEvents()
        return not window.model.loading

    qtbot.waitUntil(lambda: quiet() and quiet(), timeout=10_000)
    return window


def flows_shown(window: AuditLogWindow) -> set[str]:
    model = window.model
    return {model.index(row, FLOW).data() for row in range(model.rowCount())}


def test_the_selected_flows_audit_log_from_the_menu_and_the_flow_list(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(with_flows(made_workspace(), "Welcome", "Winback"))
    shell.sign_in()
    window, action = shell.window, shell.window.menu_actions.flow_audit_log
    assert not action.isEnabled()  # no flow selected yet
    shell.click_flow("Winback")
    assert action.isEnabled()
    view = window.flow_list.view
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert action in view.actions()  # right-click on a flow offers it

    shell.click_menu(window.menu_actions.workspace_menu, action)
    audit = window.admin.audit
    assert isinstance(audit, AuditLogWindow) and audit.isVisible()
    settled(qtbot, audit)
    assert audit.flow.currentText() == "Winback"
    assert audit.model.rowCount() >= 1 and flows_shown(audit) == {"Winback"}

    # a flow made while the window is open is found too (its choices are read again)
    shell.new_flow("Renewals")
    qtbot.waitUntil(lambda: "Renewals" in shell.flow_names())
    assert window.flow_list.summary(window.current_flow()).name == "Renewals"
    action.trigger()
    assert window.admin.audit is audit  # the same window, now on the new flow
    settled(qtbot, audit)
    assert audit.flow.currentText() == "Renewals"
    assert flows_shown(audit) == {"Renewals"}


def test_a_viewer_is_not_offered_a_flows_audit_log(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(with_flows(made_workspace(viewer=True), "Welcome"))
    shell.sign_in("vi@example.com")
    shell.click_flow("Welcome")
    action = shell.window.menu_actions.flow_audit_log
    assert not action.isEnabled()
    audit = shell.window.show_flow_audit_log()  # even if reached: it says no, shows nothing
    assert isinstance(audit, AuditLogWindow)
    assert audit.model.rowCount() == 0
    assert audit.reason.isVisibleTo(audit) and "Viewer" in audit.reason.text()
