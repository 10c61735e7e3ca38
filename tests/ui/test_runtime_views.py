"""The Runtime window, acted out on a temporary workspace: import customers from CSV (a
bad file refused whole), mark a test account, define a segment and see its count, send an
event that starts a live flow, press a button on the customer's card, advance the clock
until a wait ends; typed durations; a Viewer sees it all and can change nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableWidgetItem
from runtime_window_support import (
    BAD_CSV,
    GOOD_CSV,
    _card_titles,
    _customer_row,
    _db_customers,
    _editor_closed,
    _open_runtime,
    _prepare,
    _select,
)

from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.runtime.runtime_window import CUSTOMERS, EVENTS, SEGMENTS


def test_rehearsing_a_flow_from_the_runtime_window(shell, made_workspace, tmp_path,
                                                   screenshots) -> None:
    path = made_workspace()
    open_workspace(path)
    models.RuntimeClock.create(now=1_800_000_000)  # 2027-01-15 08:00 UTC: a steady screenshot
    close_workspace()
    _prepare(path)
    shell.start(path)
    shell.sign_in()
    window = _open_runtime(shell)
    qtbot, prompts, page = shell.qtbot, shell.prompts, window.customers
    assert window.tabs.currentIndex() == CUSTOMERS
    assert not window.banner.isVisible()
    assert page.count.text() == "0 customers"

    # a bad file is refused whole, saying where, and nothing is imported
    bad, good = tmp_path / "bad.csv", tmp_path / "customers.csv"
    bad.write_text(BAD_CSV)
    good.write_text(GOOD_CSV)
    prompts.files = [bad]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(prompts.errors), timeout=10_000)
    title, text = prompts.errors[-1]
    assert title == "Customers not imported"
    assert "bad.csv, line 3" in text and "Nothing was imported" in text
    assert _db_customers() == {} and page.model.rowCount() == 0

    prompts.files = [good]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert "3 added" in page.result.text()
    assert page.count.text() == "3 customers"
    assert set(_db_customers()) == {"ann", "bob", "cy"}

    # mark bob as a test account
    _select(shell, window, "bob")
    qtbot.mouseClick(page.test_box, Qt.MouseButton.LeftButton)
    assert _db_customers()["bob"][0] is True
    assert page.model.index(_customer_row(window, "bob"), 1).data() == "Test"

    # change cy's attributes: a new value and a removed one
    _select(shell, window, "cy")
    table = page.attributes.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "plan")
    table.item(row, 1).setText("trial")
    country = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "country")
    table.selectRow(country)
    qtbot.mouseClick(page.attributes.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.attributes.save_button, Qt.MouseButton.LeftButton)
    assert runtime_customers.get_customer_info("cy").attributes == {"plan": "trial"}
    assert "country" not in page.model.index(_customer_row(window, "cy"), 2).data()

    # a segment: a broken rule is refused in the editor, a good one counts its members
    window.tabs.setCurrentIndex(SEGMENTS)
    segments = window.segments
    qtbot.mouseClick(segments.new_button, Qt.MouseButton.LeftButton)
    editor = segments.editor
    assert editor is not None and editor.isVisible()
    try:
        editor.name.setText("Trial users")
        editor.buttons.button(editor.buttons.StandardButton.Save).click()
        qtbot.waitUntil(editor.error.isVisible, timeout=10_000)
        assert "condition 1 needs an attribute name" in editor.error.text()
        assert models.Segment.select().count() == 0
        editor.table.setItem(0, 0, QTableWidgetItem("plan"))
        editor.table.setItem(0, 2, QTableWidgetItem("trial"))
        ops = editor.table.cellWidget(0, 1)
        assert isinstance(ops, QComboBox) and ops.currentData() == "eq"
        editor.buttons.button(editor.buttons.StandardButton.Save).click()
        qtbot.waitUntil(lambda: _editor_closed(segments), timeout=10_000)
    finally:
        if segments.editor is not None:
            segments.editor.close()
    assert segments.members_of("Trial users") == 2  # ann and cy; bob is a test account
    row = next(r for r in range(segments.table.rowCount())
               if segments.table.item(r, 0).text() == "Trial users")
    assert segments.table.item(row, 1).text() == "2"
    assert segments.table.item(row, 2).text() == "1"
    assert segments.table.item(row, 3).text() == "plan equals trial"

    # an event starts the live flow: the customer's card appears
    _select(shell, window, "ann")
    window.tabs.setCurrentIndex(EVENTS)
    events = window.events
    assert events.customer.text() == "ann"  # the customer selected on the Customers tab
    assert events.listening.text() == "Live flows start on: signed_up (Onboarding)"
    qtbot.keyClicks(events.event_name, "signed_up")
    events.payload.setPlainText('{"source": "ads"}')
    qtbot.mouseClick(events.send_button, Qt.MouseButton.LeftButton)
    assert events.event_result.text() == ("Recorded 1 event. Started 'Onboarding' for 1 "
                                          "customer.")
    events.payload.setPlainText("{not json")
    qtbot.mouseClick(events.send_button, Qt.MouseButton.LeftButton)
    assert prompts.errors[-1][0] == "Event not sent"
    assert "not valid JSON" in prompts.errors[-1][1]
    assert models.Event.select().count() == 1

    window.tabs.setCurrentIndex(CUSTOMERS)
    assert _card_titles(window) == [("Welcome aboard", "Active")]
    assert page.cards_box.title() == "Cards — 1, 1 open"
    card_view = page.cards.views[0]
    assert [b.text() for b in card_view.buttons] == ["Finish", "Later"]
    qtbot.mouseClick(card_view.buttons[0], Qt.MouseButton.LeftButton)
    assert _card_titles(window) == [("Welcome aboard", "Completed")]
    assert [c.status for c in models.Card.select()] == ["completed"]
    assert not page.cards.views[0].buttons[0].isEnabled()  # closed is final

    # a day later the wait ends and the tip card arrives
    window.tabs.setCurrentIndex(EVENTS)
    before = events.now.text()
    events.duration.line_edit.clear()
    qtbot.keyClicks(events.duration.line_edit, "1 day")
    qtbot.mouseClick(events.advance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ended" in events.clock_result.text(), timeout=10_000)
    assert "0 cards expired, 1 wait ended" in events.clock_result.text()
    assert events.now.text() != before
    window.tabs.setCurrentIndex(CUSTOMERS)
    _select(shell, window, "cy")
    _select(shell, window, "ann")
    assert _card_titles(window) == [("A tip for day two", "Active"),
                                    ("Welcome aboard", "Completed")]
    assert models.Card.select().where(models.Card.status == "active").count() == 1
    window.resize(1000, 650)
    screenshots(window, "runtime")


def test_typed_durations_and_refused_ones(shell, made_workspace) -> None:
    path = made_workspace()
    _prepare(path)
    shell.start(path)
    shell.sign_in()
    shell.click_menu(shell.window.menu_actions.runtime_menu,
                     shell.window.menu_actions.advance_clock)
    window = shell.window.runtime_window
    assert window.tabs.currentIndex() == EVENTS
    events = window.events
    field = events.duration.line_edit
    field.clear()
    shell.qtbot.keyClicks(field, "pt90m")  # ISO 8601 in any case, or words
    assert events.duration_code() == "PT1H30M"
    field.clear()
    shell.qtbot.keyClicks(field, "90")  # a number in the unit beside it
    events.duration.unit.setCurrentText("minutes")
    events.duration.unit.activated.emit(0)
    assert events.duration_code() == "PT1H30M"
    before = runtime_clock.show_clock().now  # not started yet: the real time, unwritten
    task = events.advance_clock()
    shell.qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert 0 <= models.RuntimeClock.get().now - (before + 90 * 60) < 60
    field.clear()
    shell.qtbot.keyClicks(field, "soon")
    task = events.advance_clock()
    shell.qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert shell.prompts.errors[-1][0] == "Clock not moved"
    assert models.RuntimeClock.get().now == before + 90 * 60


@pytest.mark.parametrize("tab", [CUSTOMERS, SEGMENTS, EVENTS])
def test_a_viewer_sees_everything_and_changes_nothing(shell, made_workspace, tab) -> None:
    path = made_workspace(viewer=True)
    _prepare(path, customers=True)
    shell.start(path)
    shell.sign_in("vi@example.com")
    actions = shell.window.menu_actions
    assert actions.runtime_window.isEnabled()
    assert not actions.send_event.isEnabled() and not actions.advance_clock.isEnabled()
    window = _open_runtime(shell)
    window.tabs.setCurrentIndex(tab)
    assert window.read_only.text() == "Read-only"
    assert window.banner.isVisible() and "Viewer" in window.banner.text()
    page = window.customers
    assert page.model.rowCount() == 3
    _select(shell, window, "ann")
    assert _card_titles(window) == [("Welcome aboard", "Active")]
    controls = [page.import_button, page.add_button, page.test_box,
                page.attributes.save_button, page.attributes.add_button,
                *page.cards.views[0].buttons, page.cards.views[0].snooze,
                page.cards.views[0].dismiss, window.segments.new_button,
                window.segments.edit_button, window.segments.delete_button,
                window.events.send_button, window.events.advance_button,
                window.events.customer]
    for control in controls:
        assert not control.isEnabled(), control.accessibleName()
        assert "Viewer" in control.toolTip(), control.accessibleName()
    triggers = page.attributes.table.editTriggers()
    assert triggers == QAbstractItemView.EditTrigger.NoEditTriggers
    assert window.segments.new_segment() is None
    assert page.import_csv() is None
    assert window.events.advance_clock() is None
    assert models.AuditEntry.select().where(models.AuditEntry.member == models.Member.get(
        models.Member.email == "vi@example.com").id).count() == 0
