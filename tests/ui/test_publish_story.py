"""The publishing story, acted out in the main window: an Editor makes Version 2 of a
segment-triggered flow in the Edit tab and sends a test; the Publish tab shows the
missing approvals; Legal and Marketing approve through its buttons (the Editor cannot);
a Publisher opens the dialog, sees the three counts, ticks two and publishes. Also: a
publish to a large segment keeps the window's event loop running."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from bulk_data import add_customers, add_segment_members, version_id
from publish_gui_world import PASSWORD, World, make_world
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from screenshots import at_first_run_size

from flowbench.services import flows, publishing
from flowbench.services.runtime import starts as runtime_starts
from flowbench.store import models
from flowbench.ui.main_window import EDIT_TAB, PUBLISH_TAB
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.session import AppSession
from flowbench.ui.theme import Theme

pytestmark = pytest.mark.ui
FLOW = "Onboarding"


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())


def as_member(shell: Any, email: str) -> PublishTab:
    """Sign out (if signed in), sign in as ``email``, show the flow's Publish tab."""
    if shell.session.signed_in:
        shell.window.menu_actions.sign_out.trigger()
    shell.sign_in(email, PASSWORD)
    shell.qtbot.waitUntil(lambda: FLOW in shell.flow_names())
    if shell.window.current_flow() is None:
        shell.click_flow(FLOW)
    shell.window.tabs.setCurrentIndex(PUBLISH_TAB)
    return shell.window.publish_tab


@contextmanager
def real_look() -> Iterator[None]:
    """The app's light theme, as on a desktop (undone after the screenshot)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Theme(app).apply(dark=False)
    app.processEvents()  # let layouts take the theme's padding before the grab
    try:
        yield
    finally:
        app.setStyleSheet("")


def tick(qtbot: QtBot, box: Any) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def edit_title_in_the_edit_tab(qtbot: QtBot, shell: Any, title: str) -> None:
    window = shell.window
    window.tabs.setCurrentIndex(EDIT_TAB)
    edit = window.edit_tab
    assert edit.next_version_button.isVisible()  # Version 1 is live: read-only
    qtbot.mouseClick(edit.next_version_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not edit.editor.read_only)
    edit.steps.select_step("welcome")
    field = edit.step_form.pages["send_card"].title
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, title)
    with qtbot.waitSignal(edit.saved, timeout=5000):
        qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_from_draft_to_approvals_to_a_publish_with_chosen_effects(
        qtbot: QtBot, shell: Any, world: World, screenshots: Any) -> None:
    shell.window.resize(1000, 650)
    shell.start(world.path)
    # the Editor (also in Legal) makes Version 2 and sends a test to t1
    tab = as_member(shell, "editor@example.com")
    edit_title_in_the_edit_tab(qtbot, shell, "Welcome aboard!")
    runtime_starts.test_send(shell.session.actor, world.flow_id, ["t1"])
    shell.window.tabs.setCurrentIndex(PUBLISH_TAB)
    assert "Version 2 (draft)" in tab.heading.text()
    assert "Welcome aboard!" in tab.summary.text()
    assert "Waiting for approval from Legal and Marketing." in tab.reason.text()
    assert "Your role (Editor) does not allow you to publish flows." in tab.reason.text()
    assert not tab.publish_button.isEnabled()
    panel = tab.approval_panel
    assert not panel.approve_buttons["Legal"].isEnabled()  # nobody approves their own draft
    assert panel.note.text() == "You edited this draft, so you cannot approve it yourself."
    assert "Waiting for approval" in panel.state_labels["Legal"].text()

    # Legal approves through the tab; Marketing's buttons are not theirs
    tab = as_member(shell, "legal@example.com")
    assert not tab.approval_panel.approve_buttons["Marketing"].isEnabled()
    qtbot.mouseClick(tab.approval_panel.approve_buttons["Legal"], Qt.MouseButton.LeftButton)
    assert "Approved by Legal" in tab.approval_panel.state_labels["Legal"].text()
    assert "Waiting for approval from Marketing." in tab.reason.text()

    tab = as_member(shell, "marketing@example.com")
    shell.window.statusBar().clearMessage()
    shell.window.flow_list.view.setFocus()  # no caret blinking in the search field
    at_first_run_size(shell.window)
    with real_look():
        screenshots(shell.window, "publish-tab")
    qtbot.mouseClick(tab.approval_panel.approve_buttons["Marketing"],
                     Qt.MouseButton.LeftButton)
    assert "Approved by Marketing" in tab.approval_panel.state_labels["Marketing"].text()

    # the Publisher sees nothing blocking, opens the dialog and ticks two of the three
    tab = as_member(shell, "publisher@example.com")
    assert tab.publish_button.isEnabled() and "Ready to publish" in tab.state.text()
    assert "3" in tab.previous.text() and "4" in tab.previous.text()
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    dialog: PrePublishDialog | None = tab.dialog
    assert dialog is not None
    try:
        qtbot.waitUntil(dialog.isVisible)
        assert [box.text() for box in dialog.boxes.values()] == [
            "Move 3 running instances of Version 1 onto Version 2",
            "Cancel 3 running instances of Version 1",
            "Cancel 4 active cards sent by Version 1",
            "Also start this flow for the 2 customers already in “Trial users”"]
        tick(qtbot, dialog.boxes["cancel_previous_instances"])
        tick(qtbot, dialog.boxes["start_existing_segment_members"])
        with real_look():
            QApplication.processEvents()
            dialog.adjustSize()
            screenshots(dialog, "publish-dialog")
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.dialog is None, timeout=30_000)
    finally:
        if tab.dialog is not None and not tab.dialog.busy:
            tab.dialog.reject()

    v1, v2 = version_id(world.flow_id, 1), version_id(world.flow_id, 2)
    assert flows.flow_summary(world.flow_id).live_version == 2
    instances = sorted(models.Instance.select(models.Instance.version, models.Instance.status,
                                              models.Instance.is_test)
                       .where(models.Instance.status != "completed").tuples())
    assert instances == sorted([(v1, "cancelled", False)] * 3        # c1–c3, cancelled
                               + [(v2, "running", False)] * 5       # c1–c5 started
                               + [(v2, "running", True)])           # t1's test, untouched
    assert models.Card.select().where((models.Card.version == v1)
                                      & (models.Card.status == "active")).count() == 4
    assert "Published Version 2 of 'Onboarding'." in shell.prompts.informed[-1][1]
    assert "Started the flow for 5 customers." in shell.window.statusBar().currentMessage()
    assert "Version 2 is live" in tab.heading.text() and not tab.publish_button.isEnabled()


def test_a_publish_to_a_large_segment_keeps_the_window_responsive(
        qtbot: QtBot, tmp_path: Any, tmp_path_factory: pytest.TempPathFactory,
        prompts: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(tmp_path, approvals=False, cache=tmp_path_factory.getbasetemp())
    session = AppSession()
    session.open_workspace(world.path)
    try:
        from publish_gui_world import stage_draft

        stage_draft(world)
        first, last = add_customers(20_000, prefix="big")
        segment = models.Segment.get(models.Segment.name == "Trial users").id
        add_segment_members(segment, first, last)
        session.sign_in(world.cast.publisher)
        tab = PublishTab(session, prompts)
        qtbot.addWidget(tab)
        tab.show()
        tab.show_flow(world.flow_id)
        qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
        dialog = tab.dialog
        assert dialog is not None
        assert "20,002 customers" in dialog.boxes["start_existing_segment_members"].text()
        tick(qtbot, dialog.boxes["start_existing_segment_members"])
        # A handshake, not a count against the clock: at its first progress report
        # (mid-publish, before it commits) the publish waits until the GUI thread's event
        # loop answers, which it does from a timer once the progress dialog is up. A
        # publish on the GUI thread blocks that loop: nobody answers, it gives up waiting.
        gui_thread = threading.get_ident()
        asked, answered = threading.Event(), threading.Event()
        seen: dict[str, Any] = {}
        real_publish = publishing.publish

        def publish_waiting_for_the_gui(*args: Any, progress: Any, **kwargs: Any) -> Any:
            seen["publishing_thread"] = threading.get_ident()

            def report(stage: str, done: int = 0, total: int = 0) -> None:
                progress(stage, done, total)
                if not asked.is_set():
                    asked.set()
                    answered.wait(timeout=30)  # liveness bound only; never hit off-thread

            return real_publish(*args, progress=report, **kwargs)

        monkeypatch.setattr(publishing, "publish", publish_waiting_for_the_gui)

        def answer() -> None:  # a timer callback, so it runs only if the loop turns
            run = tab.run
            if asked.is_set() and not answered.is_set() and run is not None \
                    and run.progress is not None and run.progress.isVisible():
                seen["running"] = run.running
                seen["dialog_busy"] = dialog.busy
                answered.set()

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(answer)
        timer.start()
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        run = tab.run
        assert run is not None and run.progress is not None
        qtbot.waitUntil(lambda: not run.running, timeout=60_000)
        timer.stop()
        # the GUI thread served its events while the publish was held mid-way, with the
        # progress dialog up and the pre-publish dialog busy
        assert answered.is_set(), "the event loop did not turn (progress dialog up) mid-publish"
        assert seen["publishing_thread"] != gui_thread
        assert seen["running"] and seen["dialog_busy"]
        started = models.Instance.select().where(
            models.Instance.version == version_id(world.flow_id, 2)).count()
        assert started == 20_002
        assert "Started the flow for 20,002 customers." in prompts.informed[-1][1]
    finally:
        session.close_workspace()
