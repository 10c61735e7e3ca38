"""Working with flows in the main window: New Flow, the list's search and sorting,
unsaved edits guarded when switching flow, Undo from the Edit menu, import and export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows, publishing
from flowbench.services.workspace import sign_in
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.dialogs.new_flow import NewFlowDialog
from flowbench.ui.dialogs.prompts import UnsavedAnswer
from flowbench.ui.models.flow_table import LIVE, NAME

pytestmark = pytest.mark.ui
OWNER, PASSWORD = "owner@example.com", "correct horse 1"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def sound_definition(title: str = "Welcome!") -> FlowDefinition:
    return FlowDefinition(Trigger("api_event", event="signed_up"), (
        Step("card_1", "send_card", title=title, body="Glad you are here.",
             buttons=(Button("OK"),)),))


@pytest.fixture
def three_flows(made_workspace: Callable[..., Path]) -> Iterator[Path]:
    """Alpha onboarding (draft), Beta reminder (live v1), Gamma winback (draft)."""
    path = made_workspace()
    open_workspace(path)
    owner = sign_in(OWNER, PASSWORD)
    for name in ("Gamma winback", "Alpha onboarding", "Beta reminder"):
        flows.create_flow(owner, name, sound_definition())
    publishing.publish_draft(owner, "Beta reminder")
    close_workspace()
    yield path


def new_flow_dialog(shell: Any) -> NewFlowDialog:
    dialog = shell.window.new_flow_dialog
    shell.qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_file_new_flow_creates_and_selects_it(shell: Any, made_workspace: Callable[..., Path]
                                              ) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    actions = shell.window.menu_actions
    shell.click_menu(actions.file_menu, actions.new_flow)
    dialog = new_flow_dialog(shell)
    try:
        assert not dialog.create_button.isEnabled()  # no name yet: said in place
        shell.qtbot.keyClicks(dialog.name, "Spring welcome")
        shell.qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        shell.qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        if dialog.isVisible():
            dialog.reject()
    assert shell.flow_names() == ["Spring welcome"]
    created = flows.list_flows()[0]
    assert shell.window.current_flow() == created.id
    assert (created.live_version, created.draft_version) == (None, 1)
    assert shell.window.tabs.currentIndex() == 0  # the Edit tab, ready to write it
    versions = shell.window.versions_tab.model.versions()
    assert [(v.number, str(v.status)) for v in versions] == [(1, "draft")]


def test_a_name_already_taken_is_said_in_place_and_the_typed_name_stays(
        shell: Any, made_workspace: Callable[..., Path]) -> None:
    shell.start(made_workspace())
    shell.sign_in()
    owner = shell.session.actor
    flows.create_flow(owner, "Spring welcome")
    shell.shortcut(Qt.Key.Key_N, CTRL)  # Ctrl+N does what File → New Flow does
    dialog = new_flow_dialog(shell)
    try:
        shell.qtbot.keyClicks(dialog.name, "spring  WELCOME")
        shell.qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # stays open
        assert dialog.error.isVisible()
        assert dialog.error.text() == "A flow named 'spring WELCOME' already exists."
        assert dialog.name.text() == "spring  WELCOME"
        assert len(flows.list_flows()) == 1
        dialog.name.setText("Spring welcome, take two")
        shell.qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        shell.qtbot.waitUntil(lambda: not dialog.isVisible())
    finally:
        if dialog.isVisible():
            dialog.reject()
    assert sorted(f.name for f in flows.list_flows()) == ["Spring welcome",
                                                          "Spring welcome, take two"]
    assert shell.prompts.errors == []


def test_the_flow_list_filters_and_sorts(qtbot: QtBot, shell: Any, three_flows: Path) -> None:
    shell.start(three_flows)
    shell.sign_in()
    panel = shell.window.flow_list
    assert shell.flow_names() == ["Alpha onboarding", "Beta reminder", "Gamma winback"]
    assert panel.count.text() == "3 flows"
    rows = {panel.proxy.index(r, NAME).data(): panel.proxy.index(r, LIVE).data()
            for r in range(3)}
    assert rows == {"Alpha onboarding": "—", "Beta reminder": "v1", "Gamma winback": "—"}

    shell.click_flow("Alpha onboarding")
    shell.shortcut(Qt.Key.Key_F, CTRL)  # Edit → Find Flow
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "REMIND")
    assert shell.flow_names() == ["Beta reminder"]
    assert panel.count.text() == "1 of 3 flows"
    assert shell.window.current_flow() is not None
    assert shell.window.versions_tab.flow_name == "Alpha onboarding"  # filtering never switches
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)  # into the list: picks what is shown
    assert shell.window.versions_tab.flow_name == "Beta reminder"
    panel.search.clear()
    assert panel.count.text() == "3 flows"

    header = panel.view.horizontalHeader()

    def click_header(column: int) -> Qt.SortOrder:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))
        assert header.sortIndicatorSection() == column
        return header.sortIndicatorOrder()

    for _ in range(2):  # by live version, one way then the other
        order = click_header(LIVE)
        names = shell.flow_names()
        assert names[-1 if order == Qt.SortOrder.AscendingOrder else 0] == "Beta reminder"
    if click_header(NAME) != Qt.SortOrder.AscendingOrder:
        click_header(NAME)
    assert shell.flow_names() == ["Alpha onboarding", "Beta reminder", "Gamma winback"]


def _type_flow_name(qtbot: QtBot, shell: Any, by_name: Callable[..., Any], text: str) -> None:
    name: QLineEdit = by_name(shell.window.edit_tab, QLineEdit, "Flow name")
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, text)


def test_unsaved_edits_are_guarded_when_switching_flow(
        qtbot: QtBot, shell: Any, three_flows: Path, by_name: Callable[..., Any]) -> None:
    shell.start(three_flows)
    shell.sign_in()
    window = shell.window
    shell.click_flow("Alpha onboarding")
    alpha = window.current_flow()
    _type_flow_name(qtbot, shell, by_name, " v2")
    assert window.edit_tab.has_unsaved_changes() and window.isWindowModified()

    shell.prompts.unsaved_answer = UnsavedAnswer.CANCEL
    shell.click_flow("Gamma winback")
    title, text = shell.prompts.asked[-1]
    assert title == "Unsaved changes" and "“Alpha onboarding” has unsaved changes" in text
    assert window.current_flow() == alpha and window.versions_tab.flow_id == alpha
    assert window.edit_tab.has_unsaved_changes()

    shell.prompts.unsaved_answer = UnsavedAnswer.SAVE
    shell.click_flow("Gamma winback")
    assert window.versions_tab.flow_name == "Gamma winback"
    assert "Alpha onboarding v2" in shell.flow_names()  # saved, and the list followed

    _type_flow_name(qtbot, shell, by_name, " draft")
    shell.prompts.unsaved_answer = UnsavedAnswer.DISCARD
    shell.click_flow("Beta reminder")
    assert window.versions_tab.flow_name == "Beta reminder"
    assert "Gamma winback" in shell.flow_names()  # discarded: never saved
    assert not window.edit_tab.has_unsaved_changes()


def test_edit_menu_undo_and_redo_follow_the_edit_tab(
        qtbot: QtBot, shell: Any, three_flows: Path, by_name: Callable[..., Any]) -> None:
    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Gamma winback")
    actions = shell.window.menu_actions
    assert not actions.undo.isEnabled()
    _type_flow_name(qtbot, shell, by_name, "!")
    name: QLineEdit = by_name(shell.window.edit_tab, QLineEdit, "Flow name")
    assert name.text() == "Gamma winback!" and actions.undo.isEnabled()
    assert actions.undo.text().startswith("&Undo ") and len(actions.undo.text()) > 6
    shell.click_menu(actions.edit_menu, actions.undo)
    assert name.text() == "Gamma winback" and actions.redo.isEnabled()
    shell.click_menu(actions.edit_menu, actions.redo)
    assert name.text() == "Gamma winback!"


def test_saving_announces_the_change_and_keeps_the_undo_history(
        qtbot: QtBot, shell: Any, three_flows: Path, by_name: Callable[..., Any]) -> None:
    from flowbench.ui.session import SessionChange

    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Gamma winback")
    window = shell.window
    heard: list[SessionChange] = []
    shell.session.changed.connect(heard.append)
    _type_flow_name(qtbot, shell, by_name, " 2")
    name: QLineEdit = by_name(window.edit_tab, QLineEdit, "Flow name")
    qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not window.edit_tab.has_unsaved_changes()
    (change,) = heard  # every screen hears of the save (Versions, Publish, Activity…)
    assert change.flow_ids == {window.current_flow()} and change.origin is window.edit_tab
    assert "Gamma winback 2" in shell.flow_names()  # the list row follows
    assert window.menu_actions.undo.isEnabled()  # the Edit tab kept its history
    shell.click_menu(window.menu_actions.edit_menu, window.menu_actions.undo)
    assert name.text() == "Gamma winback" and window.edit_tab.has_unsaved_changes()


def test_edit_as_the_next_version_shows_the_new_draft_everywhere(
        qtbot: QtBot, shell: Any, three_flows: Path) -> None:
    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Beta reminder")  # live Version 1, no draft
    window = shell.window
    button = window.edit_tab.next_version_button
    assert button.isVisible() and button.text() == "Edit as Version 2"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    summary = window.flow_list.summary(window.current_flow())
    assert summary is not None and (summary.live_version, summary.draft_version) == (1, 2)
    assert not window.edit_tab.editor.read_only
    window.tabs.setCurrentWidget(window.versions_tab)
    qtbot.waitUntil(lambda: window.versions_tab.model.rowCount() == 2)


def test_export_then_import_a_flow_file(qtbot: QtBot, shell: Any, three_flows: Path,
                                        tmp_path: Path) -> None:
    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Beta reminder")
    exported = tmp_path / "beta.flowbench.json"
    shell.prompts.files.append(exported)
    shell.shortcut(Qt.Key.Key_E, CTRL_SHIFT)  # File → Export Flow…
    assert shell.prompts.asked[-1][1].endswith("Beta reminder.flowbench.json")  # suggested name
    document = json.loads(exported.read_text("utf-8"))
    assert document["name"] == "Beta reminder" and document["format"] == "flowbench.flow"

    document["name"] = "Beta reminder copy"
    exported.write_text(json.dumps(document), "utf-8")
    shell.prompts.files.append(exported)
    shell.shortcut(Qt.Key.Key_I, CTRL_SHIFT)  # File → Import Flow…
    qtbot.waitUntil(lambda: "Beta reminder copy" in shell.flow_names(), timeout=10_000)
    qtbot.waitUntil(lambda: shell.window.versions_tab.flow_name == "Beta reminder copy")

    broken = tmp_path / "broken.flow.json"
    broken.write_text('{"format": "flowbench.flow", "name": 3}', "utf-8")
    shell.prompts.files.append(broken)
    shell.shortcut(Qt.Key.Key_I, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(shell.prompts.errors), timeout=10_000)
    title, text = shell.prompts.errors[-1]
    assert title == "Flow not imported"
    assert text.startswith("broken.flow.json was not imported; nothing was changed.")
    assert len(flows.list_flows()) == 4


def test_quitting_and_signing_out_guard_unsaved_edits(
        qtbot: QtBot, shell: Any, three_flows: Path, by_name: Callable[..., Any]) -> None:
    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Gamma winback")
    _type_flow_name(qtbot, shell, by_name, " (edited)")
    actions = shell.window.menu_actions
    shell.prompts.unsaved_answer = UnsavedAnswer.CANCEL
    shell.shortcut(Qt.Key.Key_Q, CTRL)  # File → Quit
    assert shell.window.isVisible() and "before quitting?" in shell.prompts.asked[-1][1]
    shell.click_menu(actions.file_menu, actions.sign_out)
    assert shell.session.signed_in and "before signing out?" in shell.prompts.asked[-1][1]
    assert shell.window.edit_tab.has_unsaved_changes()

    shell.prompts.unsaved_answer = UnsavedAnswer.SAVE
    shell.click_menu(actions.file_menu, actions.sign_out)
    assert not shell.session.signed_in
    assert "Gamma winback (edited)" in [f.name for f in flows.list_flows()]


def test_the_window_remembers_its_layout_and_the_last_flow(
        shell: Any, three_flows: Path) -> None:
    shell.start(three_flows)
    shell.sign_in()
    shell.click_flow("Beta reminder")
    window = shell.window
    window.resize(790, 580)  # inside the offscreen screen (800×600), which geometry fits to
    window.splitter.setSizes([90, 690])  # narrower than the default leaves it
    left = window.splitter.sizes()[0]
    window.close()
    assert not window.isVisible()
    assert shell.settings.splitter_state == window.splitter.saveState()

    again = type(window)(shell.session, shell.settings, shell.prompts)
    try:
        again.show()
        assert again.size() == window.size()
        assert abs(again.splitter.sizes()[0] - left) <= 4  # the Edit tab's minimum may nudge
    finally:
        again.close()
        again.deleteLater()
    window.show()
    shell.window.menu_actions.sign_out.trigger()
    shell.sign_in()  # signing in again opens the flow last shown in this workspace
    assert window.versions_tab.flow_name == "Beta reminder"
    assert shell.window.flow_list.summary(window.current_flow()).name == "Beta reminder"
