"""The pre-publish dialog's fourth choice: move the earlier versions' running instances onto
the new version — unticked, saying how many can move and what holds the others; with
"cancel running instances" ticked too, only those that cannot move are cancelled."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bulk_data import add_running_instances, version_id
from publish_gui_world import World, make_world
from publishing_world import onboarding
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from flowbench.services import drafts
from flowbench.store import models
from flowbench.ui.publish.publish_tab import PublishTab
from flowbench.ui.session import AppSession

pytestmark = pytest.mark.ui
MIGRATE, INSTANCES = "migrate_running_instances", "cancel_previous_instances"


@pytest.fixture
def world(tmp_path: Any, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path, approvals=False, cache=tmp_path_factory.getbasetemp())


@pytest.fixture
def tab(qtbot: QtBot, world: World, prompts: Any) -> Iterator[PublishTab]:
    """Version 1 live: three customers wait at its step "wait", a fourth at "pause".
    Version 2, the draft, calls its wait "pause": only the fourth can move."""
    session = AppSession()
    session.open_workspace(world.path)
    seen = drafts.open_flow(world.flow_id)
    renamed = onboarding(title="Welcome aboard!")
    renamed = renamed.with_steps(tuple(s.with_changes(id="pause") if s.id == "wait" else s
                                       for s in renamed.steps))
    drafts.save_draft(world.cast.editor, world.flow_id, renamed, expected_version=seen.version,
                      expected_revision=seen.revision)
    first = models.Customer.select(models.Customer.id).where(
        models.Customer.external_id == "c5").scalar()
    add_running_instances(world.flow_id, version_id(world.flow_id, 1), first, first,
                          wait_step="pause")
    session.sign_in(world.cast.publisher)
    publish_tab = PublishTab(session, prompts)
    qtbot.addWidget(publish_tab)
    publish_tab.resize(900, 700)
    publish_tab.show()
    publish_tab.show_flow(world.flow_id)
    try:
        yield publish_tab
    finally:
        if publish_tab.run is not None and publish_tab.run.running:
            qtbot.waitUntil(lambda: not publish_tab.run.running, timeout=30_000)
        if publish_tab.dialog is not None:
            publish_tab.dialog.busy = False
            publish_tab.dialog.reject()
        session.close_workspace()


def tick(qtbot: QtBot, box: Any) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_move_the_movable_and_cancel_the_rest(qtbot: QtBot, tab: PublishTab, world: World,
                                              prompts: Any,
                                              screenshots: Callable[..., Path]) -> None:
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None
    move, cancel = dialog.boxes[MIGRATE], dialog.boxes[INSTANCES]
    assert move.isVisible() and move.isEnabled() and not move.isChecked()
    assert move.text() == "Move 1 running instance of Version 1 onto Version 2"
    assert move.toolTip() == ("Move 1 running instance of Version 1 onto Version 2 (3 cannot "
                              "move: their step “wait” is not in Version 2)")
    assert dialog.migration_note.isVisible()
    assert dialog.migration_note.text().startswith(
        "3 cannot move: their step “wait” is not in Version 2. They stay where they are")
    assert cancel.text() == "Cancel 4 running instances of Version 1"
    tick(qtbot, move)
    assert cancel.text() == "Cancel the 3 that cannot move"
    tick(qtbot, cancel)
    screenshots(dialog, "publish-dialog-migration")
    assert dialog.choices().migrate_running_instances
    tick(qtbot, move)  # changing one's mind: the cancel choice covers them all again
    assert cancel.text() == "Cancel 4 running instances of Version 1"
    tick(qtbot, move)

    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.run is None or not tab.run.running, timeout=30_000)
    (title, text), = prompts.informed
    assert title == "Published"
    assert "Moved 1 running instance onto Version 2; 3 could not move." in text
    assert "Cancelled 3 running instances." in text
    v1, v2 = version_id(world.flow_id, 1), version_id(world.flow_id, 2)
    live = ~models.Instance.is_test
    assert models.Instance.select().where(live, models.Instance.version == v2,
                                          models.Instance.status == "running").count() == 1
    assert models.Instance.select().where(live, models.Instance.version == v1,
                                          models.Instance.status == "running").count() == 0
    assert models.Instance.select().where(live, models.Instance.version == v1,
                                          models.Instance.status == "cancelled").count() == 3


def test_no_running_instances_no_fourth_choice(qtbot: QtBot, tab: PublishTab) -> None:
    models.PendingBranch.delete().execute()
    models.Instance.update(status="completed").where(
        models.Instance.status == "running").execute()
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None
    assert not dialog.boxes[MIGRATE].isVisible() and not dialog.migration_note.isVisible()
    assert not dialog.choices().migrate_running_instances
