"""The pre-publish dialog: three choices with their live counts, all unticked; publishing
off the GUI thread with exactly the chosen effects; override, stale and cancel."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from bulk_data import add_segment, version_id
from publish_gui_world import World, make_world, stage_draft
from publishing_world import onboarding
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from flowbench.services import drafts, flows
from flowbench.services.runtime import starts as runtime_starts
from flowbench.store import models
from flowbench.ui.publish.prepublish_dialog import PrePublishDialog
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.session import AppSession

pytestmark = pytest.mark.ui
INSTANCES, CARDS, START = ("cancel_previous_instances", "cancel_previous_cards",
                           "start_existing_segment_members")


@contextmanager
def open_tab(qtbot: QtBot, world: World, actor: Any, prompts: Any) -> Iterator[PublishTab]:
    session = AppSession()
    session.open_workspace(world.path)
    stage_draft(world)
    runtime_starts.test_send(world.cast.editor, world.flow_id, ["t1"])
    session.sign_in(actor)
    tab = PublishTab(session, prompts)
    qtbot.addWidget(tab)
    tab.resize(900, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.show_flow(world.flow_id)
    try:
        yield tab
    finally:
        if tab.run is not None and tab.run.running:
            qtbot.waitUntil(lambda: not tab.run.running, timeout=30_000)
        if tab.dialog is not None:
            tab.dialog.busy = False
            tab.dialog.reject()
        session.close_workspace()


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=False, cache=tmp_path_factory.getbasetemp())


@pytest.fixture
def tab(qtbot: QtBot, world: World, prompts: Any) -> Iterator[PublishTab]:
    with open_tab(qtbot, world, world.cast.publisher, prompts) as opened:
        yield opened


def open_dialog(qtbot: QtBot, tab: PublishTab) -> PrePublishDialog:
    assert tab.publish_button.isEnabled(), tab.reason.text()
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: not dialog.plan.holders_pending)  # counted in the background
    return dialog


def tick(qtbot: QtBot, box: Any) -> None:
    """Click the box where its tick mark is, as a member would."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def publish(qtbot: QtBot, tab: PublishTab, dialog: PrePublishDialog) -> None:
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.run is None or not tab.run.running, timeout=30_000)


def count(model: Any, *where: Any) -> int:
    query = model.select()
    for clause in where:
        query = query.where(clause)
    return int(query.count())


def test_the_dialog_states_each_live_count_and_ticks_nothing(qtbot: QtBot,
                                                             tab: PublishTab) -> None:
    dialog = open_dialog(qtbot, tab)
    assert dialog.isModal()
    texts = {key: box.text() for key, box in dialog.boxes.items()}
    assert texts == {
        "migrate_running_instances": "Move 3 running instances of Version 1 onto Version 2",
        INSTANCES: "Cancel 3 running instances of Version 1",
        CARDS: "Cancel 4 active cards sent by Version 1",
        START: "Also start this flow for the 2 customers already in “Trial users”",
    }
    assert not any(box.isChecked() for box in dialog.boxes.values())
    assert dialog.publish_button.isEnabled() and not dialog.override_frame.isVisible()
    assert "Welcome aboard!" in dialog.summary.text()
    # cancelling the running ones first means they start again too
    tick(qtbot, dialog.boxes[INSTANCES])
    assert dialog.boxes[START].text() == \
        "Also start this flow for the 5 customers already in “Trial users”"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is None  # closed (and deleted)
    assert drafts.open_flow(tab.flow_id).status == "draft"


def test_the_dialog_says_how_many_would_get_a_second_card(qtbot: QtBot,
                                                          tab: PublishTab) -> None:
    """c4's instance ended with its card still open: starting the segment gives c4 the
    new card too; with the running ones cancelled first, c1–c3 as well. Cancelling the
    cards silences it. The note never blocks."""
    dialog = open_dialog(qtbot, tab)
    assert not dialog.duplicate_note.isVisible()
    tick(qtbot, dialog.boxes[START])
    assert dialog.duplicate_note.isVisible()
    assert "1 of them still has “Welcome” from Version 1" in dialog.duplicate_note.text()
    tick(qtbot, dialog.boxes[INSTANCES])
    assert "4 of them still have “Welcome” from Version 1" in dialog.duplicate_note.text()
    dialog.grab().save("/tmp/i15-publish-dialog-duplicates.png")
    assert dialog.publish_button.isEnabled()
    tick(qtbot, dialog.boxes[CARDS])
    assert not dialog.duplicate_note.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_only_the_dialog_counts_who_already_holds_the_cards(
        qtbot: QtBot, tab: PublishTab, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting the card holders reads every open card of the earlier versions (~1.5 s at
    a million): the tab's summary, refreshed whenever the flow changes, leaves it out;
    the dialog counts them once, after it opens."""
    from flowbench.services import publish_plan

    counted: list[int] = []
    real = publish_plan.card_holders
    monkeypatch.setattr(publish_plan, "card_holders",
                        lambda *args: counted.append(1) or real(*args))
    tab.refresh()
    tab.refresh()
    assert counted == [] and tab.plan is not None and tab.plan.card_holders == []
    assert tab.publish_button.isEnabled()
    dialog = open_dialog(qtbot, tab)
    assert counted == [1]
    tick(qtbot, dialog.boxes[START])
    assert "1 of them still has “Welcome” from Version 1" in dialog.duplicate_note.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_the_dialog_opens_at_once_and_counts_the_card_holders_meanwhile(
        qtbot: QtBot, tab: PublishTab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count runs off the GUI thread: the dialog is up and answers at once, says it is
    counting where the second-card note goes, then shows the figure — the choices as the
    member left them."""
    import threading

    from flowbench.services import publish_plan

    gate = threading.Event()
    real = publish_plan.card_holders

    def slow(*args: Any) -> Any:
        assert threading.current_thread() is not threading.main_thread()
        gate.wait(10)
        return real(*args)

    monkeypatch.setattr(publish_plan, "card_holders", slow)
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible() and dialog.plan.holders_pending
    assert not dialog.duplicate_note.isVisible()  # nothing to say until START is ticked
    assert not dialog.counting_note.isVisible()
    tick(qtbot, dialog.boxes[START])
    assert dialog.counting_note.isVisible() and not dialog.duplicate_note.isVisible()
    assert dialog.counting_note.text().startswith("Counting the customers")
    assert dialog.counting_note.objectName() == "subtle"  # not the warning's look (yet)
    assert dialog.publish_button.isEnabled()  # the note never blocks
    gate.set()
    qtbot.waitUntil(lambda: not dialog.plan.holders_pending)
    assert dialog.boxes[START].isChecked()
    assert dialog.duplicate_note.isVisible() and not dialog.counting_note.isVisible()
    assert "1 of them still has “Welcome” from Version 1" in dialog.duplicate_note.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("ticked", [(), (INSTANCES,), (CARDS,), (START,),
                                    (INSTANCES, CARDS, START)],
                         ids=["none", "instances", "cards", "start", "all"])
def test_publishing_has_exactly_the_chosen_effects(qtbot: QtBot, tab: PublishTab,
                                                   world: World, prompts: Any,
                                                   ticked: tuple[str, ...]) -> None:
    test_rows = sorted(models.Instance.select(models.Instance.id, models.Instance.status)
                       .where(models.Instance.is_test).tuples())
    dialog = open_dialog(qtbot, tab)
    for key in ticked:
        tick(qtbot, dialog.boxes[key])
    assert {key for key, box in dialog.boxes.items() if box.isChecked()} == set(ticked)
    publish(qtbot, tab, dialog)
    assert tab.dialog is None  # closed (and deleted)

    v1, v2 = version_id(world.flow_id, 1), version_id(world.flow_id, 2)
    live_v1 = (models.Instance.version == v1) & ~models.Instance.is_test
    assert flows.flow_summary(world.flow_id).live_version == 2
    assert count(models.Instance, live_v1, models.Instance.status == "running") == \
        (0 if INSTANCES in ticked else 3)
    assert count(models.Card, models.Card.version == v1,
                 models.Card.status.in_(["active", "snoozed"])) == (0 if CARDS in ticked else 4)
    started = count(models.Instance, models.Instance.version == v2, ~models.Instance.is_test)
    assert started == ((5 if INSTANCES in ticked else 2) if START in ticked else 0)
    assert sorted(models.Instance.select(models.Instance.id, models.Instance.status)
                  .where(models.Instance.is_test).tuples()) == test_rows
    # the outcome, with its counts, is shown; the tab follows
    (title, text), = prompts.informed
    assert title == "Published" and text.startswith("Published Version 2 of 'Onboarding'.")
    if INSTANCES in ticked:
        assert "Cancelled 3 running instances." in text
    if START in ticked:
        assert f"Started the flow for {started} customers." in text
    assert "Version 2 is live" in tab.heading.text()
    assert not tab.publish_button.isEnabled()


def test_a_zero_count_says_so_and_cannot_be_ticked(qtbot: QtBot, tab: PublishTab,
                                                   world: World) -> None:
    add_segment("Nobody yet")
    created = flows.create_flow(world.cast.editor, "Quiet flow",
                                onboarding(segment="Nobody yet"))
    tab.show_flow(created.id)
    dialog = open_dialog(qtbot, tab)
    assert dialog.boxes[INSTANCES].text() == \
        "Cancel running instances of previous versions (there are none)"
    assert dialog.boxes[START].text() == \
        "Also start this flow for customers already in “Nobody yet” (there are none to start)"
    assert not any(box.isEnabled() for box in dialog.boxes.values())
    dialog.reject()


def test_a_draft_saved_after_the_dialog_opened_is_refused_and_shown_again(
        qtbot: QtBot, tab: PublishTab, world: World, prompts: Any) -> None:
    dialog = open_dialog(qtbot, tab)
    dialog.boxes[CARDS].click()
    seen = drafts.open_flow(world.flow_id)  # meanwhile the Editor saves another title
    drafts.save_draft(world.cast.editor, world.flow_id, onboarding(title="Hello there"),
                      expected_version=seen.version, expected_revision=seen.revision)
    publish(qtbot, tab, dialog)
    (title, text), = prompts.errors
    assert title == "Changed since you looked" and "changed since you looked" in text
    assert dialog.isVisible() and "changed since you looked" in dialog.stale_note.text()
    assert "Hello there" in dialog.summary.text() and "Hello there" in tab.summary.text()
    assert not dialog.boxes[CARDS].isChecked()  # the counts may differ: choose again
    assert drafts.open_flow(world.flow_id).status == "draft"
    assert count(models.Card, models.Card.status == "cancelled") == 0
    publish(qtbot, tab, dialog)  # what they see now is what gets published
    assert tab.dialog is None  # closed (and deleted)
    assert flows.flow_summary(world.flow_id).live_version == 2


def test_cancelling_before_the_commit_changes_nothing(qtbot: QtBot, tab: PublishTab,
                                                      world: World) -> None:
    dialog = open_dialog(qtbot, tab)
    dialog.boxes[INSTANCES].click()
    blocker = sqlite3.connect(world.path, timeout=1)  # another writer holds the lock
    blocker.execute("BEGIN IMMEDIATE")
    try:
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
        assert tab.run is not None and tab.run.running and dialog.busy
        assert not dialog.cancel_button.isEnabled()
        dialog.reject()  # Escape does nothing while it runs
        assert dialog.isVisible()
        tab.run.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    finally:
        blocker.rollback()
        blocker.close()
    qtbot.waitUntil(lambda: not tab.run.running, timeout=30_000)
    assert dialog.isVisible() and "nothing changed" in dialog.stale_note.text()
    assert drafts.open_flow(world.flow_id).status == "draft"
    assert count(models.Instance, models.Instance.status == "cancelled") == 0
    assert dialog.publish_button.isEnabled()


@pytest.fixture
def guarded_world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=True, cache=tmp_path_factory.getbasetemp())


def test_an_owner_may_override_missing_approvals_with_a_reason(
        qtbot: QtBot, guarded_world: World, prompts: Any) -> None:
    with open_tab(qtbot, guarded_world, guarded_world.cast.owner, prompts) as tab:
        assert "Waiting for approval from Legal and Marketing." in tab.reason.text()
        dialog = open_dialog(qtbot, tab)
        assert dialog.override_frame.isVisible()
        assert "Legal and Marketing" in dialog.override_text.text()
        assert not dialog.publish_button.isEnabled()
        qtbot.keyClicks(dialog.override_reason, "Legal notice must go out today")
        assert dialog.publish_button.isEnabled()
        publish(qtbot, tab, dialog)
        assert tab.dialog is None  # closed (and deleted)
        entry = models.AuditEntry.select().where(models.AuditEntry.action == "flow.publish") \
            .order_by(models.AuditEntry.id.desc()).first()
        assert "Legal notice must go out today" in entry.summary
        assert "Approvals were overridden." in prompts.informed[0][1]


def test_the_dialog_alone_hands_over_the_ticked_choices(qtbot: QtBot, tab: PublishTab) -> None:
    from flowbench.domain.publish_plan import PublishChoices

    assert tab.plan is not None
    dialog = PrePublishDialog(tab.plan)  # no tab, no exec(): construct, tick, click
    qtbot.addWidget(dialog)
    dialog.show()
    tick(qtbot, dialog.boxes[CARDS])
    tick(qtbot, dialog.boxes[START])
    with qtbot.waitSignal(dialog.publish_requested) as asked:
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert asked.args == [PublishChoices(cancel_previous_cards=True,
                                         start_existing_segment_members=True), None]
    assert dialog.isVisible()  # it stays open until whoever publishes says it is done
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_dialog_taller_than_the_screen_scrolls_and_keeps_its_buttons_in_view(
        qtbot: QtBot, tab: PublishTab) -> None:
    """However much the dialog has to say, it fits the screen: what it says scrolls,
    the heading and the Publish and Cancel buttons stay where they can be pressed."""
    dialog = open_dialog(qtbot, tab)
    room = dialog.screen().availableGeometry()
    long_note = " ".join(f"Line {n} of what changed since you looked." for n in range(120))
    dialog.set_plan(dialog.plan, long_note)
    qtbot.waitUntil(lambda: dialog.body_scroll.verticalScrollBar().maximum() > 0)
    assert dialog.frameGeometry().height() <= room.height()
    inside = dialog.rect()
    for widget in (dialog.heading, dialog.publish_button, dialog.cancel_button):
        corner = widget.mapTo(dialog, widget.rect().bottomRight())
        assert widget.isVisible() and inside.contains(corner), widget.accessibleName()
    assert dialog.stale_note.isVisible()  # in the part that scrolls
