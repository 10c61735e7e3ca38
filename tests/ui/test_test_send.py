"""Test Send from the Edit tab: choose test accounts, run the draft for them only, then
see what each received in a test inbox rendered as the customer sees it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
from pytestqt.qtbot import QtBot

from flowbench.domain.definition import Step
from flowbench.services import drafts
from flowbench.store import models
from flowbench.ui.main_window import ACTIVITY_TAB, EDIT_TAB, VERSIONS_TAB, MainWindow
from flowbench.ui.session import SessionChange
from flowbench.ui.test_send.send_dialog import TestSendDialog

pytestmark = pytest.mark.ui
DRAFT_TITLE = "Your first box ships Friday"


def make_draft(world: ActivityWorld, *steps: Step, title: str = DRAFT_TITLE) -> None:
    live = drafts.open_flow(world.flow_id)
    drafts.start_next_draft(world.cast.owner, world.flow_id, expected_live=live.version)
    draft = drafts.open_flow(world.flow_id)
    definition = onboarding(title)
    if steps:
        definition = definition.with_steps(steps)
    drafts.save_draft(world.cast.owner, world.flow_id, definition,
                      expected_version=draft.version, expected_revision=draft.revision)
    world.session.notify(SessionChange.for_flow(world.flow_id))


def sign_in_as(qtbot: QtBot, window: MainWindow, world: ActivityWorld, actor: Any) -> None:
    world.sign_in_as(actor)  # the window then reopens the flow it showed last
    qtbot.waitUntil(lambda: window.current_flow() == world.flow_id)


def runtime_rows() -> list[tuple[str, int, str, bool]]:
    """(customer, version, status, test) of every instance."""
    return [(c, v, s, bool(t)) for c, v, s, t in models.database.execute_sql(
        "SELECT c.external_id, v.number, i.status, i.is_test FROM instance i "
        "JOIN customer c ON c.id = i.customer_id JOIN flow_version v ON v.id = i.version_id "
        "ORDER BY i.id").fetchall()]


@pytest.fixture
def window(qtbot: QtBot, activity_world: ActivityWorld, prompts: Any,  # noqa: F811
           ui_settings: Any) -> Iterator[MainWindow]:
    main = MainWindow(activity_world.session, ui_settings, prompts)
    qtbot.addWidget(main)
    main.resize(1000, 650)
    main.reload_flows()
    main.choose_flow(activity_world.flow_id)
    main.tabs.setCurrentIndex(EDIT_TAB)
    yield main
    for dialog in (main.test_sender.dialog, main.test_sender.inbox):
        if dialog is not None:
            dialog.close()


def send_dialog(qtbot: QtBot, window: MainWindow) -> Any:
    window.menu_actions.test_send.trigger()
    dialog = window.test_sender.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_test_send_reaches_the_chosen_test_accounts_only(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld,  # noqa: F811
        screenshots: Callable[[Any, str], Path]) -> None:
    world = activity_world
    make_draft(world)
    sign_in_as(qtbot, window, world, world.cast.editor)
    before = runtime_rows()
    assert window.menu_actions.test_send.isEnabled()
    dialog = send_dialog(qtbot, window)
    assert dialog.all_accounts() == ["tia", "tom"]  # test accounts only
    assert not dialog.problem.isVisible() and not dialog.send_button.isEnabled()
    dialog.choose(["tia"])
    assert dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.test_sender.inbox is not None
                    and window.test_sender.inbox.isVisible(), timeout=20_000)
    assert not dialog.isVisible()

    assert runtime_rows() == before + [("tia", 3, "running", True)]
    inbox = window.test_sender.inbox
    assert inbox is not None
    assert inbox.current_account() == "tia"
    assert "sent to 1 customer: tia" in inbox.note.text()
    [card] = inbox.card_views
    assert card.title.text() == DRAFT_TITLE
    assert card.body.text() == "Three steps to your first brew."
    assert [(b.text(), b.objectName()) for b in card.buttons] == [
        ("Show me", "cardSubmit"), ("Later", "cardDismiss")]
    assert [p.title.text() for p in inbox.push_views] == ["Your box is ready"]

    # pressing a button acts as the customer would: the card closes
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inbox.inbox is not None and not inbox.inbox.cards)
    assert inbox.inbox is not None and inbox.inbox.closed_cards == 1
    status = models.Card.get((models.Card.is_test == True)  # noqa: E712
                             & (models.Card.step_id == "welcome")).status
    assert status == "completed"


def test_a_draft_with_validation_errors_is_not_sent(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld) -> None:  # noqa: F811
    make_draft(activity_world, Step("welcome", "send_card", title="", body="Hello"))
    before = runtime_rows()
    dialog = send_dialog(qtbot, window)
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith("The draft has 1 validation error; fix it in "
                                            "the Edit tab before a test send:")
    dialog.choose(["tia", "tom"])
    assert not dialog.send_button.isEnabled()
    assert dialog.send() is None
    assert runtime_rows() == before


def test_without_a_draft_the_dialog_says_so(qtbot: QtBot, window: MainWindow) -> None:
    dialog = send_dialog(qtbot, window)
    assert "has no draft to test" in dialog.problem.text()
    assert not dialog.send_button.isEnabled()


def test_a_viewer_cannot_send_tests_or_cancel(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld,  # noqa: F811
        prompts: Any) -> None:
    make_draft(activity_world)
    sign_in_as(qtbot, window, activity_world, activity_world.cast.viewer)
    action = window.menu_actions.test_send
    assert not action.isEnabled()
    assert "your role may not send tests" in action.toolTip()
    button = window.edit_buttons["testSendButton"]
    assert button.isVisibleTo(window) and not button.isEnabled()
    assert window.test_sender.open_for(activity_world.flow_id) is None
    assert prompts.informed[-1][1] == "Your role (Viewer) does not allow you to send tests."
    # even a dialog opened past the GUI refuses, with the reason
    dialog = TestSendDialog(activity_world.session, prompts,
                                             activity_world.flow_id, window)
    assert "does not allow you to send tests" in dialog.problem.text()
    assert not dialog.send_button.isEnabled()
    dialog.close()
    for index in (VERSIONS_TAB, ACTIVITY_TAB):
        tab = window.tabs.widget(index)
        assert not tab.cancel_button.isEnabled()
        assert "does not allow you to cancel running instances" in tab.reason.text()


def test_ctrl_t_opens_test_send_and_the_activity_tab_is_fourth(
        qtbot: QtBot, window: MainWindow, activity_world: ActivityWorld) -> None:  # noqa: F811
    make_draft(activity_world)
    assert window.tabs.tabText(ACTIVITY_TAB) == "&Activity"
    assert window.activity_tab.model.rowCount() == 4  # Versions 3, 2, 1 and the total
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.test_sender.dialog is not None
                    and window.test_sender.dialog.isVisible())
