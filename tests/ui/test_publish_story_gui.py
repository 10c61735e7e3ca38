"""The publishing story from the first click, all through the main window: an Editor
creates a NEW segment-triggered flow (File → New Flow), builds it in the Edit tab, saves
with Ctrl+S and sends a test with Ctrl+T to a test account of their choosing; the Publish
tab shows the approvals missing from Legal and Marketing, and the Editor (also in Legal)
cannot approve their own draft; a Legal and a Marketing approver approve through the
tab's buttons; a Publisher publishes Version 1 (nothing to cancel or start, and the
dialog says so). Then customers enter the segment and run Version 1; the Editor makes
Version 2 through "Edit as Version 2", it is approved again, and the Publisher ticks
"cancel the running instances" and "start the segment's customers": the database shows
exactly those effects, and the test run and the other flow's data are untouched."""

from __future__ import annotations

from typing import Any

import pytest
from bulk_data import version_id
from publish_gui_world import PASSWORD, World, make_world
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from flowbench.services import drafts, flows
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import segments as runtime_segments
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.main_window import ACTIVITY_TAB, EDIT_TAB, PUBLISH_TAB
from flowbench.ui.publish.publish_tab import PublishTab

pytestmark = pytest.mark.ui
FLOW, SEGMENT = "Trial welcome", "Trial starters"
OTHER_FLOW = "Onboarding"  # the world's own flow, live with runtime data: must not change
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The publish world (approvals on) plus the segment "Trial starters" (plan = starter,
    nobody in it yet) and a second test account, t2, so a test send is a real choice."""
    built = make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())
    open_workspace(built.path)
    try:
        owner = built.cast.owner
        runtime_segments.save_segment(owner, SEGMENT, "all", [
            {"attribute": "plan", "op": "eq", "value": "starter"}], new=True)
        runtime_customers.set_customer(owner, "t2", ["test=yes"])
    finally:
        close_workspace()
    return built


# --- acting as a member ------------------------------------------------------------------

def as_member(shell: Any, email: str, tab: int = PUBLISH_TAB) -> Any:
    """Sign out, sign in as ``email`` through the sign-in dialog, show FLOW on ``tab``."""
    if shell.session.signed_in:
        shell.click_menu(shell.window.menu_actions.file_menu,
                         shell.window.menu_actions.sign_out)
    shell.sign_in(email, PASSWORD)
    shell.qtbot.waitUntil(lambda: FLOW in shell.flow_names())
    flow_id = flow_of(FLOW)
    if shell.window.current_flow() != flow_id:
        shell.click_flow(FLOW)
    shell.qtbot.waitUntil(lambda: shell.window.current_flow() == flow_id)
    shell.window.tabs.setCurrentIndex(tab)
    return shell.window.tabs.widget(tab)


def flow_of(name: str) -> int:
    return next(f.id for f in flows.list_flows() if f.name == name)


def click(qtbot: QtBot, widget: Any) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: Any) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def replace_text(qtbot: QtBot, field: Any, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, text)


def add_step(qtbot: QtBot, edit: Any, kind: str) -> str:
    """Insert on the step tree opens the Add menu; click the kind (a next step)."""
    before = {s.id for s in edit.editor.definition.steps}
    edit.steps.tree.setFocus()
    qtbot.keyClick(edit.steps.tree, Qt.Key.Key_Insert)
    menu: QMenu = edit.steps.add_menu
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.data() == f"child:{kind}")
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())
    window = edit.window()
    window.activateWindow()  # offscreen leaves the closed menu active; a desktop would not
    qtbot.waitUntil(window.isActiveWindow)
    (new,) = {s.id for s in edit.editor.definition.steps} - before
    assert edit.steps.selected_step() == new and edit.step_form.step_id == new
    return new


def save_with_ctrl_s(qtbot: QtBot, edit: Any, field: Any) -> None:
    with qtbot.waitSignal(edit.saved, timeout=5000):
        qtbot.keyClick(field, Qt.Key.Key_S, CTRL)
    assert not edit.has_unsaved_changes()


def approve(shell: Any, email: str, group: str) -> PublishTab:
    tab: PublishTab = as_member(shell, email)
    panel = tab.approval_panel
    others = [name for name in panel.approve_buttons if name != group]
    assert all(not panel.approve_buttons[name].isEnabled() for name in others)
    click(shell.qtbot, panel.approve_buttons[group])
    assert f"Approved by {group}" in panel.state_labels[group].text()
    return tab


def open_dialog(shell: Any) -> tuple[PublishTab, Any]:
    tab: PublishTab = as_member(shell, "publisher@example.com")
    assert tab.publish_button.isEnabled() and "Ready to publish" in tab.state.text()
    click(shell.qtbot, tab.publish_button)
    dialog = tab.dialog
    assert dialog is not None
    shell.qtbot.waitUntil(dialog.isVisible)
    return tab, dialog


def publish_and_wait(qtbot: QtBot, tab: PublishTab, dialog: Any) -> None:
    try:
        click(qtbot, dialog.publish_button)
        qtbot.waitUntil(lambda: tab.dialog is None, timeout=30_000)
    finally:
        if tab.dialog is not None and not tab.dialog.busy:
            tab.dialog.reject()


# --- what the database holds ---------------------------------------------------------------

def instances(flow_id: int) -> list[tuple[str, int, str, bool]]:
    """(customer, version number, status, test) of the flow's instances, by customer."""
    return sorted((c, n, s, bool(t)) for c, n, s, t in models.database.execute_sql(
        "SELECT c.external_id, v.number, i.status, i.is_test FROM instance i "
        "JOIN customer c ON c.id = i.customer_id JOIN flow_version v ON v.id = i.version_id "
        "WHERE i.flow_id = ?", (flow_id,)).fetchall())


def cards(flow_id: int) -> list[tuple[str, int, str, bool]]:
    return sorted((c, n, s, bool(t)) for c, n, s, t in models.database.execute_sql(
        "SELECT c.external_id, v.number, k.status, k.is_test FROM card k "
        "JOIN customer c ON c.id = k.customer_id JOIN flow_version v ON v.id = k.version_id "
        "WHERE k.flow_id = ?", (flow_id,)).fetchall())


def test_an_editor_builds_a_new_segment_flow_and_it_is_approved_and_published_twice(
        qtbot: QtBot, shell: Any, world: World) -> None:
    shell.window.resize(1000, 650)
    shell.start(world.path)
    window = shell.window
    shell.sign_in("editor@example.com", PASSWORD)
    other = flow_of(OTHER_FLOW)
    other_instances, other_cards = instances(other), cards(other)

    # --- the Editor creates the flow: File → New Flow (Ctrl+N), typing its name
    shell.new_flow(FLOW)
    qtbot.waitUntil(lambda: FLOW in shell.flow_names())
    flow_id = flow_of(FLOW)
    assert window.current_flow() == flow_id and window.tabs.currentIndex() == EDIT_TAB
    edit = window.edit_tab
    qtbot.waitUntil(lambda: edit.current_flow() == flow_id and not edit.editor.read_only)

    # the trigger: Segment entered, then the segment, by keyboard
    form = edit.flow_form
    form.trigger_kind.setFocus()
    qtbot.keyClick(form.trigger_kind, Qt.Key.Key_Up)  # Manual → Segment entered
    assert form.trigger_kind.currentText() == "Segment entered"
    assert form.trigger_detail.currentWidget() is form.segment
    segment_text = form.segment.lineEdit()
    segment_text.setFocus()
    qtbot.keyClicks(segment_text, SEGMENT)
    assert SEGMENT in [form.segment.itemText(i) for i in range(form.segment.count())]

    # a card, then a two-day wait, typed into the step forms
    card = add_step(qtbot, edit, "send_card")
    card_page = edit.step_form.pages["send_card"]
    qtbot.keyClicks(card_page.title, "Welcome to your trial")
    qtbot.keyClicks(card_page.body, "Three things to try first.")
    wait = add_step(qtbot, edit, "wait_duration")
    duration = edit.step_form.pages["wait_duration"].duration
    replace_text(qtbot, duration.line_edit, "P2D")
    assert duration.preview.text() == "= 2 days"
    save_with_ctrl_s(qtbot, edit, duration.line_edit)
    saved = drafts.open_flow(flow_id)
    assert (saved.version, saved.status) == (1, "draft")
    assert saved.definition.trigger.kind == "segment_entered"
    assert saved.definition.trigger.segment == SEGMENT
    assert [(s.id, s.kind, s.parent) for s in saved.definition.steps] == [
        (card, "send_card", None), (wait, "wait_duration", card)]
    assert saved.definition.step(card).title == "Welcome to your trial"
    assert saved.definition.step(wait).duration == "P2D"

    # --- Test Send (Ctrl+T): choose t1 of the two test accounts, send, see the card
    shell.shortcut(Qt.Key.Key_T, CTRL)
    sender = window.test_sender
    qtbot.waitUntil(lambda: sender.dialog is not None and sender.dialog.isVisible())
    dialog = sender.dialog
    assert dialog.all_accounts() == ["t1", "t2"] and dialog.chosen() == []
    assert not dialog.send_button.isEnabled()
    accounts = dialog.accounts
    accounts.setFocus()
    accounts.setCurrentRow(dialog.all_accounts().index("t1"))
    qtbot.keyClick(accounts, Qt.Key.Key_Space)  # ticks the current account
    assert dialog.chosen() == ["t1"]
    click(qtbot, dialog.send_button)
    qtbot.waitUntil(lambda: sender.inbox is not None and sender.inbox.isVisible(),
                    timeout=20_000)
    inbox = sender.inbox
    assert inbox.current_account() == "t1"
    [shown] = inbox.card_views
    assert shown.title.text() == "Welcome to your trial"
    assert shown.body.text() == "Three things to try first."
    inbox.close()
    test_run = [("t1", 1, "running", True)]
    assert instances(flow_id) == test_run
    test_cards = cards(flow_id)
    assert test_cards == [("t1", 1, "active", True)]

    # --- the Publish tab: approvals missing from both groups; the Editor cannot approve
    window.tabs.setCurrentIndex(PUBLISH_TAB)
    tab: PublishTab = window.publish_tab
    qtbot.waitUntil(lambda: "Version 1 (draft)" in tab.heading.text())
    assert "Waiting for approval from Legal and Marketing." in tab.reason.text()
    assert not tab.publish_button.isEnabled()
    panel = tab.approval_panel
    assert set(panel.approve_buttons) == {"Legal", "Marketing"}
    for group in ("Legal", "Marketing"):
        assert "Waiting for approval" in panel.state_labels[group].text()
        assert not panel.approve_buttons[group].isEnabled()
    assert panel.note.text() == "You edited this draft, so you cannot approve it yourself."
    assert panel.approve_buttons["Legal"].toolTip() == panel.note.text()  # on the button too

    # --- two approvers from two groups approve through the tab's buttons
    tab = approve(shell, "legal@example.com", "Legal")
    assert "Waiting for approval from Marketing." in tab.reason.text()
    approve(shell, "marketing@example.com", "Marketing")

    # --- the Publisher publishes Version 1: nothing to cancel or start, and it says so
    tab, dialog = open_dialog(shell)
    assert dialog.heading.text() == f"Publish Version 1 of “{FLOW}”"
    assert [box.text() for box in dialog.boxes.values() if box.isVisibleTo(dialog)] == [
        "Cancel running instances of previous versions (there are none)",
        "Cancel active cards of previous versions (there are none)",
        f"Also start this flow for customers already in “{SEGMENT}” (there are none to "
        "start)"]
    assert not any(box.isEnabled() or box.isChecked() for box in dialog.boxes.values())
    publish_and_wait(qtbot, tab, dialog)
    assert flows.flow_summary(flow_id).live_version == 1
    assert f"Published Version 1 of '{FLOW}'." in shell.prompts.informed[-1][1]
    assert instances(flow_id) == test_run  # nobody started; the test run kept

    # --- runtime data arrives: four customers enter the segment and run Version 1
    runtime_customers.import_customers_csv(
        world.cast.owner, "id,plan\ns1,starter\ns2,starter\ns3,starter\ns4,starter\n")
    live = [(f"s{n}", 1, "running", False) for n in range(1, 5)]
    assert instances(flow_id) == sorted(live + test_run)
    activity = as_member(shell, "editor@example.com", ACTIVITY_TAB)
    assert activity.summary.text().startswith("4 running instances in Version 1; 4 open cards.")

    # --- the Editor makes Version 2 ("Edit as Version 2") and changes the card's title
    window.tabs.setCurrentIndex(EDIT_TAB)
    assert edit.next_version_button.isVisible()  # Version 1 is live: read-only
    assert "Version 2" in edit.next_version_button.text()
    click(qtbot, edit.next_version_button)
    qtbot.waitUntil(lambda: not edit.editor.read_only)
    edit.steps.select_step(card)
    title = edit.step_form.pages["send_card"].title
    replace_text(qtbot, title, "Your trial, week one")
    save_with_ctrl_s(qtbot, edit, title)
    window.tabs.setCurrentIndex(PUBLISH_TAB)
    qtbot.waitUntil(lambda: "Version 2 (draft)" in window.publish_tab.heading.text())
    assert "Waiting for approval from Legal and Marketing." in window.publish_tab.reason.text()
    assert not window.publish_tab.approval_panel.approve_buttons["Legal"].isEnabled()

    approve(shell, "legal@example.com", "Legal")
    approve(shell, "marketing@example.com", "Marketing")

    # --- the Publisher sees the three counts, ticks cancel-instances and start
    tab, dialog = open_dialog(shell)
    boxes = dialog.boxes
    assert [box.text() for box in boxes.values()] == [
        "Move 4 running instances of Version 1 onto Version 2",
        "Cancel 4 running instances of Version 1",
        "Cancel 4 active cards sent by Version 1",
        f"Also start this flow for customers already in “{SEGMENT}” (there are none to "
        "start)"]  # all four run Version 1 already
    assert not any(box.isChecked() for box in boxes.values())
    tick(qtbot, boxes["cancel_previous_instances"])
    assert boxes["start_existing_segment_members"].text() == (
        f"Also start this flow for the 4 customers already in “{SEGMENT}”")
    tick(qtbot, boxes["start_existing_segment_members"])
    assert [key for key, box in boxes.items() if box.isChecked()] == [
        "cancel_previous_instances", "start_existing_segment_members"]
    before_instances, before_cards = instances(flow_id), cards(flow_id)
    publish_and_wait(qtbot, tab, dialog)
    QApplication.processEvents()

    # --- exactly the chosen effects
    assert flows.flow_summary(flow_id).live_version == 2
    assert before_instances == sorted(live + test_run)
    assert instances(flow_id) == sorted(
        [(f"s{n}", 1, "cancelled", False) for n in range(1, 5)]    # cancelled, as ticked
        + [(f"s{n}", 2, "running", False) for n in range(1, 5)]    # started, as ticked
        + test_run)                                                # the test run untouched
    assert cards(flow_id) == sorted(
        before_cards                                   # Version 1's cards stay active
        + [(f"s{n}", 2, "active", False) for n in range(1, 5)])
    assert ("s1", 1, "active", False) in before_cards and test_cards[0] in before_cards
    assert models.Instance.select().where(
        (models.Instance.version == version_id(flow_id, 1))
        & (models.Instance.status == "cancelled") & (models.Instance.is_test == True)  # noqa: E712
    ).count() == 0
    assert instances(other) == other_instances and cards(other) == other_cards
    assert f"Published Version 2 of '{FLOW}'." in shell.prompts.informed[-1][1]
    assert "Version 2 is live" in tab.heading.text() and not tab.publish_button.isEnabled()
