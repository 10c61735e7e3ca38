"""A Viewer finds nothing that changes data: signed in as the Viewer, every tab, window
and dialog reachable from the menus is opened (each page of it shown), every control a
member could use to change data is disabled or read-only, the menu actions that change
data are disabled, and after clicking and typing around — the data-changing controls,
their shortcuts, the Refresh buttons — every table of the database is exactly as before,
audit entries included.

Allowed to a Viewer, as none of them changes the workspace's data: exporting a flow to
a file, opening another workspace, signing out, searching and filtering, Refresh, Close,
the forecast (it replays history in a scratch copy), comparing versions, and changing
their own password (their own credential, offered to every member).
"""

from __future__ import annotations

from typing import Any

import pytest
from publish_gui_world import PASSWORD, World, make_world, stage_draft
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flowbench.services.runtime import clock as runtime_clock
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import EDIT_TAB
from flowbench.ui.runtime.runtime_window import CUSTOMERS

pytestmark = pytest.mark.ui
FLOW = "Onboarding"
VIEWER = "viewer@example.com"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

# Controls a Viewer may use: they only look (search, filter, read again, close).
LOOKING = ("Search", "Filter", "Refresh", "Read the", "Close", "Load more", "Show ",
           "Zoom the diagram", "Give the diagram",
           "Run the forecast", "Cancel the forecast", "Days of history",  # a scratch copy
           "Compare the selected version", "Compare from", "Compare with")
# Menu actions a Viewer may use: none writes to the workspace.
HARMLESS_ACTIONS = {"&Export Flow…", "&Open Workspace…", "Open &Team Workspace…",
                    "New &Workspace…",  # another file: this workspace is left as it is
                    "&Recent Workspaces", "Sign O&ut", "&Quit", "&Find Flow",
                    "&Members and Settings…", "Change My &Password…",
                    "&Customers and Segments…", "&About Flowbench", "Show &Archived Flows",
                    # View: they change what is on screen, never the workspace
                    "Flow &List", "Zoom &In", "Zoom &Out", "&Fit Diagram to View",
                    "Lar&ger Diagram"}
# Menu actions that would change data: each must be disabled for a Viewer.
CHANGING_ACTIONS = ("new_flow", "import_flow", "test_send", "send_event", "advance_clock",
                    "undo", "redo", "duplicate_flow", "archive_flow", "unarchive_flow")


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    """Onboarding: Version 1 live with running instances and active cards, the Editor's
    Version 2 draft waiting for approvals (so every Publish control is on screen)."""
    built = make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())
    open_workspace(built.path)
    try:
        stage_draft(built)
        # runtime data came in through the runtime, which starts its clock on first use
        # (bulk_data bypasses it); a Viewer's first look must not be what starts it
        runtime_clock.show_clock()
    finally:
        close_workspace()
    return built


def database() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the audit log too), read through the app's connection."""
    db = models.database.obj
    names = [row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name").fetchall()]
    return {name: db.execute_sql(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            for name in names}


def is_part_of_a_control(widget: QWidget) -> bool:
    """A line edit's clear button, a tab bar's scroll arrows, a spin box's arrows…"""
    parent = widget.parentWidget()
    return isinstance(parent, QLineEdit | QTabBar | QAbstractSpinBox | QComboBox)


def looks_only(widget: QWidget) -> bool:
    name = widget.accessibleName()
    return any(name.startswith(prefix) for prefix in LOOKING)


def changers(root: QWidget) -> list[str]:
    """Controls shown in ``root`` that a member could use to change something."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if is_part_of_a_control(widget) or looks_only(widget):
            continue
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
            if widget.isReadOnly():
                continue
        elif isinstance(widget, QComboBox):
            if widget.isEditable() and widget.lineEdit() is not None \
                    and widget.lineEdit().isReadOnly():
                continue
        elif not isinstance(widget, QAbstractButton):
            continue
        found.append(f"{type(widget).__name__} {widget.accessibleName()!r}")
    return found


def each_page(qtbot: QtBot, tabs: Any) -> list[QWidget]:
    """Show each page of a tab widget in turn, as a member would; return the pages."""
    pages = []
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        pages.append(tabs.widget(index))
    return pages


def poke(qtbot: QtBot, root: QWidget) -> None:
    """Click every disabled button of ``root`` (a Viewer may try) and its Refresh."""
    for button in root.findChildren(QAbstractButton):
        if not button.isVisibleTo(root) or is_part_of_a_control(button):
            continue
        if not button.isEnabled() or button.accessibleName().startswith("Refresh"):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def menu_actions(window: Any) -> list[QAction]:
    found = []
    for menu in window.menuBar().findChildren(QMenu):
        found += [a for a in menu.actions() if a.text() and not a.isSeparator()
                  and a.isVisible() and a.menu() is None]
    return found


def test_a_viewer_finds_nothing_that_changes_data(
        qtbot: QtBot, shell: Any, world: World) -> None:
    shell.start(world.path)
    shell.sign_in(VIEWER, PASSWORD)
    qtbot.waitUntil(lambda: FLOW in shell.flow_names())
    if shell.window.current_flow() is None:
        shell.click_flow(FLOW)
    window, actions = shell.window, shell.window.menu_actions
    qtbot.waitUntil(lambda: window.current_flow() is not None)
    before = database()
    assert before["audit_entry"] and before["instance"] and before["card"]

    # --- the menus: what changes data is disabled, the rest only looks
    for name in CHANGING_ACTIONS:
        assert not getattr(actions, name).isEnabled(), name
    assert not actions.audit_log.isEnabled() and not actions.flow_audit_log.isEnabled()
    enabled = {a.text() for a in menu_actions(window) if a.isEnabled()}
    assert enabled <= HARMLESS_ACTIONS, enabled - HARMLESS_ACTIONS
    assert "(your role may not edit flows)" in actions.new_flow.statusTip()
    assert "(your role may not send tests)" in actions.test_send.toolTip()

    # --- the flow's tabs: Edit (read only), Publish, Versions, Activity
    pages = each_page(qtbot, window.tabs)
    for page in pages:
        window.tabs.setCurrentWidget(page)
        QApplication.processEvents()
        assert changers(page) == [], window.tabs.tabText(window.tabs.indexOf(page))
    edit, publish = window.edit_tab, window.publish_tab
    assert edit.editor.read_only and not edit.steps.add_button.isEnabled()
    assert not publish.publish_button.isEnabled()
    assert publish.approval_panel.approve_buttons  # the groups are shown…
    assert not any(b.isEnabled() for b in publish.approval_panel.approve_buttons.values())
    assert not any(b.isEnabled() for b in publish.approval_panel.reject_buttons.values())
    assert "Viewer" in publish.reason.text()
    assert not window.versions_tab.restore_button.isEnabled()
    assert not window.versions_tab.cancel_button.isEnabled()
    assert not window.activity_tab.cancel_button.isEnabled()

    # --- Members and Settings: every page read only
    members = window.admin.open_members()
    assert members is not None
    qtbot.waitUntil(members.isVisible)
    for page in each_page(qtbot, members.tabs):
        assert changers(page) == [], members.tabs.tabText(members.tabs.indexOf(page))
    assert not members.members_page.add_button.isEnabled()
    assert changers(members) == []

    # --- the Runtime window: customers, segments, events and clock, all read only
    runtime = window.show_runtime(CUSTOMERS)
    assert runtime is not None
    qtbot.waitUntil(runtime.isVisible)
    for page in each_page(qtbot, runtime.tabs):
        assert changers(page) == [], runtime.tabs.tabText(runtime.tabs.indexOf(page))
    assert not runtime.customers.import_button.isEnabled()
    assert not runtime.customers.add_button.isEnabled()

    # --- the Audit Log is not theirs; Test Send says why not
    audit = window.admin.open_audit_log(flow_id=window.current_flow())
    assert audit is not None and audit.model.rowCount() == 0
    assert "Viewer" in audit.reason.text()
    assert changers(audit) == []
    assert window.test_sender.open_for(window.current_flow()) is None
    assert "Viewer" in shell.prompts.informed[-1][1]

    # --- clicking and typing around changes nothing
    for root in (members, runtime, audit):
        for tabs in [getattr(root, "tabs", None)]:
            for page in (each_page(qtbot, tabs) if tabs is not None else [root]):
                poke(qtbot, page)
        root.close()
    for page in each_page(qtbot, window.tabs):
        window.tabs.setCurrentWidget(page)
        poke(qtbot, page)
    shell.prompts.texts += ["Sneaky flow"] * 3  # were a name asked for, here it is
    for key, modifiers in ((Qt.Key.Key_N, CTRL), (Qt.Key.Key_I, CTRL | SHIFT),
                           (Qt.Key.Key_T, CTRL)):
        shell.shortcut(key, modifiers)
    assert window.new_flow() is None
    window.tabs.setCurrentIndex(EDIT_TAB)
    tree = edit.steps.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    qtbot.keyClick(tree, Qt.Key.Key_Insert)
    assert not edit.steps.add_menu.isVisible()
    title = edit.step_form.pages["send_card"].title
    edit.steps.select_step("welcome")
    title.setFocus()
    qtbot.keyClicks(title, "changed")
    qtbot.keyClick(title, Qt.Key.Key_S, CTRL)
    assert not edit.has_unsaved_changes()
    QApplication.processEvents()

    assert "Sneaky flow" not in shell.flow_names()
    after = database()
    assert {name: len(rows) for name, rows in after.items()} == \
        {name: len(rows) for name, rows in before.items()}
    assert after["audit_entry"] == before["audit_entry"]
    assert after == before
