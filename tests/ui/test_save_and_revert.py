"""A visible Save: File → Save (Ctrl+S) and the Edit tab's Save button are enabled
exactly while there are unsaved edits and work from anywhere in the main window; the
Edit tab's label and the window title show a *; Revert to Saved drops the edits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from activity_world import ActivityWorld, activity_template, activity_world  # noqa: F401
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from flowbench.services import drafts
from flowbench.ui.main_window import EDIT_TAB, VERSIONS_TAB, MainWindow

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
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    yield main
    main.edit_tab.editor.stack.setClean()


def type_a_new_name(qtbot: QtBot, window: MainWindow, name: str) -> None:
    field = window.edit_tab.flow_form.name
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, name)


def test_save_is_enabled_exactly_with_unsaved_edits_and_works_from_the_flow_list(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld) -> None:  # noqa: F811
    save, revert = window.menu_actions.save, window.menu_actions.revert
    button = window.edit_buttons["saveButton"]
    assert save in window.menu_actions.file_menu.actions()
    assert save.shortcut().toString() == "Ctrl+S"
    assert not save.isEnabled() and not button.isEnabled() and not revert.isEnabled()
    assert window.tabs.tabText(EDIT_TAB) == "E&dit" and not window.isWindowModified()

    type_a_new_name(qtbot, window, "Onboarding for coffee lovers")
    assert save.isEnabled() and button.isEnabled() and revert.isEnabled()
    assert window.tabs.tabText(EDIT_TAB) == "E&dit*" and window.isWindowModified()
    assert button.isVisible() and window.edit_buttons["revertButton"].isVisible()

    # focus in the flow list (where it lands after cancelling a prompt): Ctrl+S still saves
    window.flow_list.view.setFocus()
    qtbot.waitUntil(window.flow_list.view.hasFocus)
    with qtbot.waitSignal(window.edit_tab.saved, timeout=5000):
        qtbot.keyClick(window.flow_list.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert drafts.open_flow(activity_world.flow_id).flow_name == "Onboarding for coffee lovers"
    assert not save.isEnabled() and not button.isEnabled() and not revert.isEnabled()
    assert window.tabs.tabText(EDIT_TAB) == "E&dit" and not window.isWindowModified()


def test_ctrl_s_inside_the_edit_tab_saves_once_and_the_button_saves_too(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld) -> None:  # noqa: F811
    saves: list[int] = []
    window.edit_tab.saved.connect(saves.append)
    type_a_new_name(qtbot, window, "Onboarding 2")
    qtbot.keyClick(window.edit_tab.flow_form.name, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)  # not an ambiguous shortcut
    assert saves == [activity_world.flow_id]
    type_a_new_name(qtbot, window, "Onboarding 3")
    qtbot.mouseClick(window.edit_buttons["saveButton"], Qt.MouseButton.LeftButton)
    assert saves == [activity_world.flow_id] * 2
    assert drafts.open_flow(activity_world.flow_id).flow_name == "Onboarding 3"


def test_revert_to_saved_drops_the_edits_after_asking(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld,  # noqa: F811
        prompts: Any) -> None:
    type_a_new_name(qtbot, window, "Not wanted")
    prompts.confirm_answer = False
    window.tabs.setCurrentIndex(VERSIONS_TAB)  # the menu works from any tab
    window.menu_actions.revert.trigger()
    assert window.edit_tab.has_unsaved_changes()
    assert prompts.asked[-1][0] == "Revert to Saved?"
    prompts.confirm_answer = True
    window.menu_actions.revert.trigger()
    assert not window.edit_tab.has_unsaved_changes()
    assert window.edit_tab.flow_form.name.text() == "Onboarding"
    assert not window.menu_actions.save.isEnabled()
    assert drafts.open_flow(activity_world.flow_id).flow_name == "Onboarding"
