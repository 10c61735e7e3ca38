"""Every confirmation of something irreversible or destructive has No/Cancel as its
default button: this walks them through the real windows with the real message boxes
(their exec is answered at once, recording the default button)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from activity_world import ActivityWorld, activity_template, activity_world  # noqa: F401
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from flowbench.services import drafts, publish_plan
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.main_window import VERSIONS_TAB, MainWindow
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.session import SessionChange

pytestmark = pytest.mark.ui
No = QMessageBox.StandardButton.No


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, Any]]:
    """Each message box shown: (title, default button, escape button); answered No."""
    seen: list[tuple[str, Any, Any]] = []

    def answer(box: QMessageBox) -> int:
        default, escape = box.defaultButton(), box.escapeButton()
        seen.append((box.windowTitle(), box.standardButton(default) if default else None,
                     box.standardButton(escape) if escape else None))
        return int(No.value)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return seen


@pytest.fixture
def window(qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
           ui_settings: Any) -> Iterator[MainWindow]:
    live = drafts.open_flow(activity_world.flow_id)
    drafts.start_next_draft(activity_world.cast.owner, activity_world.flow_id,
                            expected_live=live.version)
    main = MainWindow(activity_world.session, ui_settings, Prompts())
    qtbot.addWidget(main)
    main.reload_flows()
    main.choose_flow(activity_world.flow_id)
    yield main
    main.edit_tab.editor.stack.setClean()  # closing asks nothing


def test_every_destructive_confirmation_defaults_to_no(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld,  # noqa: F811
        asked: list[tuple[str, Any, Any]]) -> None:
    # the Edit tab: Revert to Saved and Reload both drop unsaved edits
    window.edit_tab.editor.set_name("Onboarding, renamed")
    window.menu_actions.revert.trigger()
    window.edit_tab.reload_button.click()
    assert window.edit_tab.has_unsaved_changes()  # No kept them
    # removing a step with steps after it: Cancel is the default of branch-or-step
    window.edit_tab.steps.select_step("welcome")
    window.edit_tab.steps.remove_button.click()
    assert window.edit_tab.editor.definition.step("welcome") is not None
    # the Versions tab: restoring replaces the draft; cancelling running instances
    versions = window.versions_tab
    window.tabs.setCurrentIndex(VERSIONS_TAB)
    assert versions.select_version(1)
    versions.restore_button.click()
    versions.cancel_button.cancel_all.trigger()
    # the Activity tab's cancel, with cards
    window.activity_tab.cancel_button.cancel_all_cards.trigger()
    assert [title for title, *_ in asked] == [
        "Revert to Saved?", "Reload the flow?", "Remove step?", "Restore as draft?",
        "Cancel running instances?", "Cancel running instances?"]
    safe = {No, QMessageBox.StandardButton.Cancel}
    assert all(default in safe and escape in safe for _title, default, escape in asked), asked


def test_the_prepublish_dialog_defaults_to_cancel(
        qtbot: QtBot, activity_world: ActivityWorld) -> None:  # noqa: F811
    draft = drafts.open_flow(activity_world.flow_id)
    drafts.start_next_draft(activity_world.cast.owner, activity_world.flow_id,
                            expected_live=draft.version)
    activity_world.session.notify(SessionChange.for_flow(activity_world.flow_id))
    plan = publish_plan.prepare_publish(activity_world.cast.owner, activity_world.flow_id)
    dialog = PrePublishDialog(plan)
    qtbot.addWidget(dialog)
    try:
        assert dialog.cancel_button.isDefault()
        assert not dialog.publish_button.isDefault() and not dialog.publish_button.autoDefault()
    finally:
        dialog.close()
