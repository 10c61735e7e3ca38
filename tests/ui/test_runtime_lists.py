"""The Runtime window's lists: customers read a page at a time and searched, segments
edited and deleted, a customer's cards snoozed and dismissed, their pushes listed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from runtime_window_support import (
    OWNER,
    _card_titles,
    _editor_closed,
    _open_runtime,
    _prepare,
    _prepare_many,
    _prepare_push_flow,
    _select,
)

from flowbench.services.context import actor_from
from flowbench.services.runtime import customers as runtime_customers
from flowbench.store import models
from flowbench.ui.runtime.runtime_window import CUSTOMERS, EVENTS, SEGMENTS


def test_customers_are_read_a_page_at_a_time_and_searched(shell, made_workspace) -> None:
    path = made_workspace()
    _prepare_many(path, 450)
    shell.start(path)
    shell.sign_in()
    window = _open_runtime(shell)
    page, qtbot = window.customers, shell.qtbot
    assert page.count.text() == "451 customers"
    assert page.model.rowCount() == 200  # one page, not every customer
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 400)
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 451)
    assert page.model.customer_at(450).id == "special-x"
    window.tabs.setCurrentIndex(SEGMENTS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == CUSTOMERS and page.search.hasFocus()
    qtbot.keyClicks(page.search, "SPECIAL")
    qtbot.waitUntil(lambda: page.count.text() == "1 customer match")
    assert [page.model.customer_at(r).id for r in range(page.model.rowCount())] == [
        "special-x"]
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 200)

    # adding a customer by id; an id already there is only selected, never changed
    runtime_customers.set_customer(actor_from(models.Member.get(models.Member.email == OWNER)),
                                   "c00007", ["test=yes"])
    shell.prompts.texts = ["c00007", "zz-new"]
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.customer_title.text() == "c00007" and page.test_box.isChecked()
    assert page.result.text() == "“c00007” is already a customer."
    assert runtime_customers.get_customer_info("c00007").is_test
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.customer_title.text() == "zz-new"
    assert runtime_customers.count_customers() == 452


def test_segments_are_edited_and_deleted_and_cards_snoozed_and_dismissed(
        shell, made_workspace) -> None:
    path = made_workspace()
    _prepare(path, customers=True)
    shell.start(path)
    shell.sign_in()
    window = _open_runtime(shell)
    qtbot, prompts, segments = shell.qtbot, shell.prompts, window.segments

    _select(shell, window, "ann")
    view = window.customers.cards.views[0]
    qtbot.mouseClick(view.snooze, Qt.MouseButton.LeftButton)
    assert _card_titles(window) == [("Welcome aboard", "Snoozed")]
    qtbot.mouseClick(window.customers.cards.views[0].dismiss, Qt.MouseButton.LeftButton)
    assert _card_titles(window) == [("Welcome aboard", "Dismissed")]
    assert [c.status for c in models.Card.select()] == ["dismissed"]

    window.tabs.setCurrentIndex(SEGMENTS)
    qtbot.mouseClick(segments.new_button, Qt.MouseButton.LeftButton)
    editor = segments.editor
    try:
        editor.name.setText("Dutch")
        editor.table.setItem(0, 0, QTableWidgetItem("country"))
        editor.table.setItem(0, 2, QTableWidgetItem("NL, BE"))
        ops = editor.table.cellWidget(0, 1)
        ops.setCurrentIndex(ops.findData("in"))
        editor.request_save()
        qtbot.waitUntil(lambda: _editor_closed(segments), timeout=10_000)
    finally:
        if segments.editor is not None:
            segments.editor.close()
    assert segments.members_of("Dutch") == 2  # ann and cy
    assert segments.select_segment("Dutch")
    qtbot.mouseClick(segments.edit_button, Qt.MouseButton.LeftButton)
    editor = segments.editor
    try:
        assert editor.name.isReadOnly() and editor.name.text() == "Dutch"
        assert editor.table.item(0, 2).text() == "NL, BE"
        editor.table.item(0, 2).setText("DE")
        editor.request_save()
        qtbot.waitUntil(lambda: _editor_closed(segments), timeout=10_000)
    finally:
        if segments.editor is not None:
            segments.editor.close()
    assert segments.members_of("Dutch") == 1  # bob
    assert "updated: 1 customer entered, 2 left" in segments.result.text()

    prompts.confirm_answer = False
    qtbot.mouseClick(segments.delete_button, Qt.MouseButton.LeftButton)
    assert prompts.asked[-1][0] == "Delete Segment"
    assert models.Segment.select().count() == 1
    prompts.confirm_answer = True
    qtbot.mouseClick(segments.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: segments.table.rowCount() == 0, timeout=10_000)
    assert models.Segment.select().count() == 0
    assert segments.table.rowCount() == 0
    assert not segments.edit_button.isEnabled()


def test_a_customers_pushes_are_listed_and_a_message_shows_once(
        qtbot, shell, made_workspace, tmp_path: Path) -> None:
    path = made_workspace()
    _prepare_push_flow(path)
    shell.start(path)
    shell.sign_in()
    window = _open_runtime(shell)
    _select(shell, window, "ann")
    detail = window.customers.detail
    assert [detail.pushes.item(r).text().split("\n")[0]
            for r in range(detail.pushes.count())] == ["Your box ships — Track it in the app"]
    assert detail.pushes_box.title() == "Push notifications — 1"
    # the clock, typed as people say it; the page says what happened, once
    window.tabs.setCurrentIndex(EVENTS)
    events = window.events
    qtbot.keyClicks(events.event_name, "unheard")
    events.customer.setText("ann")
    qtbot.mouseClick(events.send_button, Qt.MouseButton.LeftButton)
    assert events.event_result.text().startswith("Recorded 1 event.")
    events.duration.line_edit.clear()
    qtbot.keyClicks(events.duration.line_edit, "2 hours")
    qtbot.mouseClick(events.advance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ended" in events.clock_result.text(), timeout=10_000)
    assert events.clock_result.text().startswith("The runtime clock moved 2 hours forward")
    assert events.event_result.text() == ""  # the last message replaced the previous
    assert window.statusBar().currentMessage() == ""  # and is not said twice
