"""Every interactive widget of the shell has an accessible name (screen readers read
it), and the keyboard reaches the flow list and the tabs in a sensible order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from accessibility import unnamed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services.sample_content import ACCOUNTS
from flowbench.ui.dialogs.about import AboutDialog
from flowbench.ui.dialogs.sample_accounts import SampleAccountsDialog
from flowbench.ui.dialogs.sign_in import SignInDialog
from flowbench.ui.dialogs.unexpected_error import UnexpectedErrorDialog
from flowbench.ui.dialogs.welcome import WelcomeDialog

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"



def test_the_main_window_names_its_controls(shell: Any,
                                            made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    window = shell.window
    assert unnamed(window, skip=window.edit_tab) == []
    for label in (window.member_label, window.role_label, window.workspace_label):
        assert label.accessibleName()


def test_tab_goes_from_the_search_to_the_list_to_the_tabs(
        qtbot: QtBot, shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    window = shell.window
    window.flow_list.search.setFocus()
    qtbot.keyClick(window.flow_list.search, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.flow_list.view
    qtbot.keyClick(window.flow_list.view, Qt.Key.Key_Tab)
    assert window.focusWidget() is window.tabs.tabBar()


@pytest.mark.parametrize("make", [
    lambda: WelcomeDialog("workspace.flowbench"),
    lambda: SignInDialog(_settings(), "Acme"),
    lambda: SampleAccountsDialog(ACCOUNTS, "sample.flowbench", True),
    lambda: AboutDialog(),
    lambda: UnexpectedErrorDialog("Boom", "Traceback…", Path("flowbench.log")),
])
def test_dialogs_name_their_controls(qtbot: QtBot, make: Callable[[], QDialog]) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.accessibleName()
    assert unnamed(dialog) == []


def _settings() -> Any:
    from PySide6.QtCore import QSettings

    from flowbench.ui.app_settings import AppSettings

    return AppSettings(QSettings("flowbench-tests", "unused"))


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


def test_every_focusable_widget_of_the_window_and_edit_tab_has_an_accessible_name(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    """All of them, shown or not (every step kind's form page, banners, the Reload
    button), by ``accessibleName()`` itself — a button's text does not count. The tabs
    other screens own (Publish, Activity…) are their own tests' business."""
    from flowbench.services import flows
    from flowbench.store.connection import close_workspace, open_workspace

    location = made_workspace()
    open_workspace(location)
    try:
        from flowbench.services.workspace import sign_in

        owner = sign_in(OWNER, PASSWORD)
        flows.create_flow(owner, "Every kind", FlowDefinition(
            trigger=Trigger("api_event", event="e"),
            steps=(Step("card_1", "send_card", title="Hi", body="Hello",
                        buttons=(Button("OK", "submit"),)),
                   Step("wait_1", "wait_card_action", "card_1", card="card_1",
                        action="any", timeout="P1D"),
                   Step("pause_1", "wait_duration", "wait_1", duration="P1D"),
                   Step("push_1", "send_push", "pause_1", title="Hi", body="Again"))))
    finally:
        close_workspace()
    shell.start(location)
    shell.sign_in()
    window = shell.window
    shell.click_flow("Every kind")
    assert window.edit_tab.current_flow() is not None
    others = [window.tabs.widget(i) for i in range(window.tabs.count())
              if window.tabs.widget(i) not in (window.edit_tab, window.versions_tab)]
    others += [corner for corner in (window.tabs.cornerWidget(Qt.Corner.TopRightCorner),
                                     window.tabs.cornerWidget(Qt.Corner.TopLeftCorner))
               if corner is not None]  # e.g. Test Send, which its own screen names

    unnamed = []
    checked: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or inside_a_named_control(widget):
            continue
        if any(other is widget or other.isAncestorOf(widget) for other in others):
            continue
        checked.append(widget)
        if not widget.accessibleName().strip():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} "
                           f"{getattr(widget, 'text', lambda: '')()!r}")
    assert unnamed == []
    edit = window.edit_tab  # the walk reached the Edit tab's hidden parts, not just the shell
    for expected in (edit.reload_button, edit.next_version_button, edit.flow_form.name,
                     edit.flow_form.segment, edit.steps.tree, edit.diagram,
                     window.flow_list.search, window.versions_tab.restore_button,
                     *[field for page in edit.step_form.pages.values()
                       for field in page.fields.values()]):
        assert any(widget is expected or widget is expected.focusProxy()
                   for widget in checked), expected.accessibleName()
