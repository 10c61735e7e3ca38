"""Test Send shows the whole journey: the test inbox is a window of its own (not modal),
reopened from the Edit tab without sending again; cards and pushes in time order; it
says what a button press did and moves the runtime clock itself so the next steps
appear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from activity_world import (  # noqa: F401
    ActivityWorld,
    activity_template,
    activity_world,
    onboarding,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Button, Step
from flowbench.services import drafts
from flowbench.store import models
from flowbench.ui.main_window import EDIT_TAB, MainWindow
from flowbench.ui.session import SessionChange
from flowbench.ui.test_send.card_view import CardView, PushView
from flowbench.ui.test_send.inbox_window import TestInboxWindow

pytestmark = pytest.mark.ui
JOURNEY = (
    Step("hello", "send_card", title="Your first box", body="Ready to brew?",
         buttons=(Button("OK"),)),
    Step("answered", "wait_card_action", parent="hello", card="hello", action="submitted"),
    Step("later", "wait_duration", parent="answered", duration="PT2H"),
    Step("tips", "send_push", parent="later", title="Brewing tips", body="Grind fresh"),
)


@pytest.fixture
def window(qtbot: QtBot, activity_world: ActivityWorld, prompts: Any,  # noqa: F811
           ui_settings: Any) -> Iterator[MainWindow]:
    world = activity_world
    live = drafts.open_flow(world.flow_id)
    drafts.start_next_draft(world.cast.owner, world.flow_id, expected_live=live.version)
    draft = drafts.open_flow(world.flow_id)
    drafts.save_draft(world.cast.owner, world.flow_id, onboarding().with_steps(JOURNEY),
                      expected_version=draft.version, expected_revision=draft.revision)
    world.session.notify(SessionChange.for_flow(world.flow_id))
    main = MainWindow(world.session, ui_settings, prompts)
    qtbot.addWidget(main)
    main.resize(1100, 700)
    main.reload_flows()
    main.choose_flow(world.flow_id)
    main.tabs.setCurrentIndex(EDIT_TAB)
    main.show()
    qtbot.waitExposed(main)
    yield main
    if main.test_sender.inbox is not None:
        main.test_sender.inbox.close()


def send_to_tia(qtbot: QtBot, window: MainWindow) -> TestInboxWindow:
    window.menu_actions.test_send.trigger()
    dialog = window.test_sender.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    try:
        dialog.choose(["tia"])
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.test_sender.inbox is not None
                        and window.test_sender.inbox.isVisible(), timeout=20_000)
    finally:
        if dialog.isVisible():
            dialog.reject()
    inbox = window.test_sender.inbox
    assert inbox is not None
    return inbox


def journey(inbox: TestInboxWindow) -> list[tuple[str, str]]:
    """What the inbox shows, top to bottom: (card or push, title)."""
    shown = []
    for index in range(inbox.column.count()):
        widget = inbox.column.itemAt(index).widget()
        if isinstance(widget, CardView):
            shown.append((f"card ({widget.card.status})", widget.title.text()))
        elif isinstance(widget, PushView):
            shown.append(("push", widget.title.text()))
    return shown


def instances() -> int:
    return models.Instance.select().count()


def test_the_test_inbox_shows_the_whole_journey(
        qtbot: QtBot, window: MainWindow, screenshots: Any) -> None:
    assert not window.menu_actions.test_inbox.isEnabled()  # nothing sent yet
    inbox = send_to_tia(qtbot, window)
    assert inbox.isWindow() and not inbox.isModal()
    assert window.isEnabled()  # the main window stays usable beside it
    assert journey(inbox) == [("card (active)", "Your first box")]
    now = inbox.phone.findChild(QLabel, "inboxNow")
    assert now is not None
    assert now.text() == "The flow now waits until “Your first box” is submitted."
    qtbot.mouseClick(inbox.card_views[0].buttons[0], Qt.MouseButton.LeftButton)
    assert inbox.outcome.text() == "You pressed “OK”; the flow now waits 2 hours."
    field = inbox.advance_by  # a number and a unit, filled with what the next step needs
    assert (field.line_edit.text(), field.unit.currentText()) == ("2", "hours")
    qtbot.mouseClick(inbox.advance_button, Qt.MouseButton.LeftButton)
    assert inbox.outcome.text() == ("The clock moved 2 hours forward; the flow sent "
                                    "“Brewing tips” and has ended.")
    assert journey(inbox) == [("card (completed)", "Your first box"),
                              ("push", "Brewing tips")]  # in time order
    inbox.resize(680, 600)
    QApplication.processEvents()
    assert screenshots(inbox, "test-inbox").exists()

    # closed, then reopened from the Edit tab without sending again
    sent = instances()
    inbox.close()
    assert window.menu_actions.test_inbox.isEnabled()
    qtbot.mouseClick(window.edit_buttons["testInboxButton"], Qt.MouseButton.LeftButton)
    again = window.test_sender.inbox
    assert again is not None
    qtbot.waitUntil(again.isVisible)
    assert journey(again) == [("card (completed)", "Your first box"),
                              ("push", "Brewing tips")]
    assert instances() == sent


def test_an_unreadable_duration_for_the_clock_is_said_in_the_inbox(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    inbox = send_to_tia(qtbot, window)
    inbox.advance_by.line_edit.setFocus()
    qtbot.keyClicks(inbox.advance_by.line_edit, "soonish")
    qtbot.mouseClick(inbox.advance_button, Qt.MouseButton.LeftButton)
    assert "write e.g. 2 hours" in inbox.outcome.text()
