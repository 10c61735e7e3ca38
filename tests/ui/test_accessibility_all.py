"""Every focusable widget of the issue-5 screens has an accessible name (what a screen
reader says): the Publish, Activity and Versions tabs, the pre-publish dialog, Members
and Settings, the Audit Log, the Runtime window, Test Send and the test inbox.

The walk covers each screen's widgets shown or not (every page of a tabbed window, a
hidden override field…), by ``accessibleName()`` itself: a button's text does not count.
The main window's shell and Edit tab have their own walk in test_shell_access.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from publish_gui_world import PASSWORD, World, make_world, stage_draft
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flowbench.services import flows
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import ACTIVITY_TAB, PUBLISH_TAB, VERSIONS_TAB
from flowbench.ui.runtime.runtime_window import CUSTOMERS

pytestmark = pytest.mark.ui
FLOW = "Onboarding"


def inside_a_named_control(widget: QWidget) -> bool:
    """Parts of a combo box, spin box or tab bar, or a view's viewport: a screen reader
    names them through their owner."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox | QTabBar):
            return True
        if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
            return True
        parent = parent.parentWidget()
    return False


def walk(root: QWidget) -> tuple[list[QWidget], list[str]]:
    """(focusable widgets checked, descriptions of those without an accessible name)."""
    checked, unnamed = [], []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or inside_a_named_control(widget):
            continue
        if widget.isWindow() and widget is not root:
            continue  # another window (a dialog it opened) is walked on its own
        checked.append(widget)
        if not widget.accessibleName().strip():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"{getattr(widget, 'text', lambda: '')()!r}")
    return checked, unnamed


def assert_named(root: QWidget, *expected: QWidget) -> None:
    checked, unnamed = walk(root)
    assert unnamed == [], f"{type(root).__name__}: {unnamed}"
    assert len(checked) >= max(2, len(expected))  # the walk found the screen's controls
    for widget in expected:  # and reached these (shown or not)
        assert any(found is widget or found is widget.focusProxy() for found in checked), \
            widget.accessibleName() or type(widget).__name__


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The publish world with the Editor's Version 2 draft waiting for approvals."""
    built = make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())
    open_workspace(built.path)
    try:
        stage_draft(built)
    finally:
        close_workspace()
    return built


@pytest.fixture
def window(shell: Any, world: World) -> Iterator[Any]:
    """The main window, signed in as the Owner (who may do and see everything), showing
    "Onboarding"."""
    shell.start(world.path)
    shell.sign_in(world.cast.owner.email, PASSWORD)
    shell.qtbot.waitUntil(lambda: FLOW in shell.flow_names())
    if shell.window.current_flow() is None:
        shell.click_flow(FLOW)
    main = shell.window
    yield main
    for dialog in (main.test_sender.dialog, main.test_sender.inbox,
                   main.publish_tab.dialog):
        if dialog is not None and dialog.isVisible() and not getattr(dialog, "busy", False):
            dialog.close()


def test_the_publish_activity_and_versions_tabs(window: Any) -> None:
    publish, activity, versions = window.publish_tab, window.activity_tab, window.versions_tab
    window.tabs.setCurrentIndex(PUBLISH_TAB)
    assert publish.approval_panel.approve_buttons  # approvals shown: their buttons walked
    assert_named(publish, publish.publish_button,
                 *publish.approval_panel.approve_buttons.values(),
                 *publish.approval_panel.reject_buttons.values())
    window.tabs.setCurrentIndex(ACTIVITY_TAB)
    assert_named(activity, activity.view, activity.refresh_button, activity.cancel_button)
    window.tabs.setCurrentIndex(VERSIONS_TAB)
    assert_named(versions, versions.restore_button)


def test_the_pre_publish_dialog(qtbot: QtBot, window: Any) -> None:
    tab = window.publish_tab
    window.tabs.setCurrentIndex(PUBLISH_TAB)
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)  # the Owner overrides
    dialog = tab.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.override_reason.isVisible()  # approvals missing: the reason field too
    assert_named(dialog, dialog.publish_button, dialog.cancel_button, dialog.override_reason,
                 *dialog.boxes.values())


def test_members_and_settings_and_the_audit_log(qtbot: QtBot, window: Any) -> None:
    members = window.admin.open_members()
    assert members is not None
    qtbot.waitUntil(members.isVisible)
    assert_named(members, members.members_page.add_button)
    members.close()
    audit = window.admin.open_audit_log(flow_id=flows.flow_summary(
        window.current_flow()).id)
    assert audit is not None
    qtbot.waitUntil(lambda: not audit.model.loading)
    assert_named(audit, audit.flow, audit.member, audit.action, audit.search, audit.view,
                 audit.refresh_button, audit.more_button, audit.details)
    audit.close()


def test_the_runtime_window(qtbot: QtBot, window: Any) -> None:
    runtime = window.show_runtime(CUSTOMERS)
    assert runtime is not None
    qtbot.waitUntil(runtime.isVisible)
    for page in range(runtime.tabs.count()):  # each page once shown, as a member would
        runtime.tabs.setCurrentIndex(page)
        QApplication.processEvents()
    assert_named(runtime, runtime.customers.import_button, runtime.customers.add_button)
    runtime.close()


def test_test_send_and_the_test_inbox(qtbot: QtBot, window: Any) -> None:
    sender = window.test_sender
    dialog = sender.open_for(window.current_flow())
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert_named(dialog, dialog.accounts, dialog.select_all, dialog.send_button)
    dialog.choose(["t1"])
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sender.inbox is not None and sender.inbox.isVisible(),
                    timeout=20_000)
    inbox = sender.inbox
    assert inbox.card_views  # a rendered card: its buttons are walked too
    assert_named(inbox, inbox.accounts, inbox.refresh_button,
                 *[button for card in inbox.card_views for button in card.buttons])
