"""Keyboard that flows: every window and dialog has unique Alt keys for what is on
screen together; Tab leaves every table and list (arrows move within them); Insert and
Delete act on the step tree from the step's form too; every toolbar button has an Alt
key or a shortcut."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from activity_world import ActivityWorld, activity_template, activity_world  # noqa: F401
from mnemonics import clashes, tab_traps, unreachable_tool_buttons
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

import flowbench.ui
from flowbench.domain.definition import FlowDefinition
from flowbench.domain.offline import Snapshot
from flowbench.services import drafts, publish_plan
from flowbench.services.offline_conflicts import OfflineConflict
from flowbench.services.sample import SampleAccount
from flowbench.ui.admin.add_member_dialog import AddMemberDialog
from flowbench.ui.dialogs.about import AboutDialog
from flowbench.ui.dialogs.new_flow import NewFlowDialog
from flowbench.ui.dialogs.sample_accounts import SampleAccountsDialog
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog
from flowbench.ui.main_window import EDIT_TAB, MainWindow
from flowbench.ui.offline.conflict_dialog import ConflictDialog
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.runtime.runtime_window import RuntimeWindow
from flowbench.ui.runtime.segment_editor import SegmentEditor
from flowbench.ui.test_send.inbox_window import TestInboxWindow
from flowbench.ui.test_send.send_dialog import TestSendDialog
from flowbench.ui.version_compare_dialog import VersionCompareDialog
from flowbench.ui.window_shell import WindowShell

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot: QtBot, activity_world: ActivityWorld, prompts: Any,  # noqa: F811
           ui_settings: Any) -> Iterator[MainWindow]:
    live = drafts.open_flow(activity_world.flow_id)
    drafts.start_next_draft(activity_world.cast.owner, activity_world.flow_id,
                            expected_live=live.version)
    main = MainWindow(activity_world.session, ui_settings, prompts)
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.reload_flows()
    main.choose_flow(activity_world.flow_id)
    main.tabs.setCurrentIndex(EDIT_TAB)
    yield main
    main.edit_tab.editor.stack.setClean()


def every_window(window: MainWindow, world: ActivityWorld, settings: Any,
                 prompts: Any, tmp_path: Path) -> dict[type, Callable[[], QWidget]]:
    """How to open each window and dialog of the app (signed in as the Owner)."""
    session, owner, flow = world.session, world.cast.owner, world.flow_id
    accounts = [SampleAccount("Olive", "olive@example.com", "owner", "pw")]
    return {
        MainWindow: lambda: window,
        WindowShell: lambda: window,  # the main window's frame, walked as the window
        RuntimeWindow: lambda: window.show_runtime(0),
        type(window.admin.open_members()): lambda: window.admin.open_members(),
        type(window.admin.open_audit_log()): lambda: window.admin.open_audit_log(),
        AddMemberDialog: lambda: AddMemberDialog(owner, window),
        type(window.admin.open_change_password()): window.admin.open_change_password,
        SegmentEditor: lambda: SegmentEditor(None, window),
        PrePublishDialog: lambda: PrePublishDialog(publish_plan.prepare_publish(owner, flow),
                                                   window),
        SampleAccountsDialog: lambda: SampleAccountsDialog(accounts, "sample.flowbench",
                                                           True, window),
        SignInDialog: lambda: SignInDialog(settings, "Rehearsal", window,
                                           demo_accounts=accounts),
        UnexpectedErrorDialog: lambda: UnexpectedErrorDialog("Oops", "details", tmp_path,
                                                             window),
        WelcomeDialog: lambda: WelcomeDialog(str(tmp_path / "new.flowbench"), window),
        AboutDialog: lambda: AboutDialog(window),
        NewFlowDialog: lambda: NewFlowDialog(window),
        TestSendDialog: lambda: TestSendDialog(session, prompts, flow, window),
        TestInboxWindow: lambda: TestInboxWindow(session, prompts, flow, "Onboarding",
                                                 ["tia"], "", window),
        VersionCompareDialog: lambda: VersionCompareDialog(
            flow, "Onboarding", drafts.version_history(flow), 1, 2, window),
        ConflictDialog: lambda: ConflictDialog(a_conflict(drafts.open_flow(flow).definition),
                                               window),
    }


def a_conflict(base: FlowDefinition) -> OfflineConflict:
    """An offline conflict where both sides changed every step's first field."""
    def side(number: int, title: str) -> Snapshot:
        steps = tuple(step.with_changes(title=f"{title} {step.id}") for step in base.steps)
        content = base.with_steps(steps) if number else base
        return Snapshot(1, number + 1, "draft", content.content_hash(), content.to_json(),
                        "Eve")
    return OfflineConflict(1, "Onboarding", side(0, ""), side(1, "Mine"), side(2, "Theirs"))


def app_window_classes() -> set[type]:
    """Every dialog and window class the app defines."""
    found: set[type] = set()
    for info in pkgutil.walk_packages(flowbench.ui.__path__, "flowbench.ui."):
        module = importlib.import_module(info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and (
                    issubclass(value, QDialog | QMainWindow) or value is TestInboxWindow):
                found.add(value)
    return found


def test_every_window_and_dialog_has_unique_alt_keys_and_no_tab_traps(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld,  # noqa: F811
        ui_settings: Any, prompts: Any, tmp_path: Path) -> None:
    builders = every_window(window, activity_world, ui_settings, prompts, tmp_path)
    assert app_window_classes() <= set(builders), "a window or dialog is not walked"
    problems: list[str] = []
    for kind, build in builders.items():
        shown = build()
        assert shown is not None
        try:
            problems += [f"{kind.__name__}: {clash}" for clash in clashes(shown)]
            problems += [f"{kind.__name__}: Tab is trapped in {trap}"
                         for trap in tab_traps(shown)]
            problems += [f"{kind.__name__}: no Alt key or shortcut for the {button}"
                         for button in unreachable_tool_buttons(shown)]
        finally:
            if shown is not window:
                shown.close()
    assert problems == [], "\n".join(problems)


def test_tab_leaves_the_flow_list_and_the_buttons_table_without_changing_anything(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld) -> None:  # noqa: F811
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.flow_list.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus()  # Tab moved on instead of walking the cells
    assert window.current_flow() == activity_world.flow_id  # the selection stayed
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Backtab)
    assert view.hasFocus()
    # the card's Buttons table lets Tab go on to the next field
    edit = window.edit_tab
    edit.steps.select_step("welcome")
    table = edit.step_form.pages["send_card"].buttons.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus() and not table.isAncestorOf(QApplication.focusWidget())
