"""Cancelling running instances on demand, from the Versions and Activity tabs: one
version or all, with or without their open cards, after a confirmation with the counts —
and exactly that changes in the database."""

from __future__ import annotations

from typing import Any

import pytest
from activity_world import ActivityWorld, activity_template, activity_world  # noqa: F401
from bulk_data import add_customers, add_running_instances
from pytestqt.qtbot import QtBot

from flowbench.store import models
from flowbench.ui.activity.activity_tab import ActivityTab
from flowbench.ui.versions_tab import VersionsTab

pytestmark = pytest.mark.ui


class NoEdits:
    def has_unsaved_changes(self) -> bool:
        return False

    def discard_changes(self) -> None:
        pass


def database() -> dict[tuple[str, int, str], int]:
    """{(kind, version number, status): count} of the live rows, read directly."""
    found: dict[tuple[str, int, str], int] = {}
    for kind, table in (("instance", "instance"), ("card", "card")):
        rows = models.database.execute_sql(
            f"SELECT v.number, t.status, COUNT(*) FROM {table} t "
            "JOIN flow_version v ON v.id = t.version_id WHERE t.is_test = 0 "
            "GROUP BY v.number, t.status").fetchall()
        for number, status, count in rows:
            found[(kind, number, status)] = count
    return found


BEFORE = {("instance", 1, "running"): 3, ("instance", 2, "running"): 2,
          ("card", 1, "active"): 3, ("card", 2, "active"): 2}


def moved(counts: dict[tuple[str, int, str], int], kind: str, version: int, status: str,
          to: str) -> dict[tuple[str, int, str], int]:
    changed = dict(counts)
    count = changed.pop((kind, version, status))
    changed[(kind, version, to)] = changed.get((kind, version, to), 0) + count
    return changed


@pytest.fixture
def versions_tab(qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
                 prompts: Any) -> VersionsTab:
    tab = VersionsTab(activity_world.session, prompts, NoEdits())
    qtbot.addWidget(tab)
    tab.show_flow(activity_world.flow_id)
    return tab


@pytest.fixture
def activity_tab(qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
                 prompts: Any) -> ActivityTab:
    tab = ActivityTab(activity_world.session, prompts)
    qtbot.addWidget(tab)
    tab.show_flow(activity_world.flow_id)
    return tab


def finish(qtbot: QtBot, tab: Any) -> None:
    task = tab.canceller.task
    assert task is not None, "nothing was started"
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)


def test_one_version_without_cards_from_the_versions_tab(
        qtbot: QtBot, versions_tab: VersionsTab, prompts: Any) -> None:
    assert database() == BEFORE
    assert versions_tab.select_version(1)
    assert versions_tab.running.text() == ("Version 1: 3 running instances, 3 open cards "
                                           "(all versions: 5 running, 5 open cards).")
    button = versions_tab.cancel_button
    assert button.isEnabled() and button.cancel_version.isEnabled()
    assert button.cancel_version.text() == "Cancel 3 running instances of Version 1…"
    button.cancel_version.trigger()
    finish(qtbot, versions_tab)

    title, text = prompts.asked[-1]
    assert title == "Cancel running instances?"
    assert text.startswith("Cancel 3 running instances of Version 1 of “Onboarding”?")
    assert "Their open cards stay (3 open now)." in text
    assert database() == moved(BEFORE, "instance", 1, "running", "cancelled")
    assert versions_tab.running.text().startswith("Version 1: 0 running instances, "
                                                  "3 open cards")
    entry = models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).first()
    assert entry.action == "runtime.cancel_instances" and "Version 1" in entry.summary


def test_one_version_with_its_cards_from_the_activity_tab(
        qtbot: QtBot, activity_tab: ActivityTab, activity_world: ActivityWorld,  # noqa: F811
        prompts: Any) -> None:
    version_1 = models.FlowVersion.get(models.FlowVersion.number == 1).id
    first, last = add_customers(1_200, prefix="bulk")
    add_running_instances(activity_world.flow_id, version_1, first, last)
    activity_tab.refresh()
    before = database()
    assert activity_tab.select_version(1)
    activity_tab.cancel_button.cancel_version_cards.trigger()
    finish(qtbot, activity_tab)

    assert prompts.asked[-1][1].startswith("Cancel 1,203 running instances of Version 1 of "
                                           "“Onboarding” and 1,203 open cards?")
    after = moved(moved(before, "instance", 1, "running", "cancelled"),
                  "card", 1, "active", "cancelled")
    assert database() == after
    assert activity_tab.model.index(activity_tab.model.row_of(1), 2).data() == "0"


def test_all_versions_without_cards(qtbot: QtBot, activity_tab: ActivityTab,
                                    prompts: Any) -> None:
    activity_tab.cancel_button.cancel_all.trigger()
    finish(qtbot, activity_tab)
    assert prompts.asked[-1][1].startswith("Cancel 5 running instances of all versions of "
                                           "“Onboarding”?")
    expected = moved(moved(BEFORE, "instance", 1, "running", "cancelled"),
                     "instance", 2, "running", "cancelled")
    assert database() == expected
    assert activity_tab.summary.text().startswith("0 running instances; 5 open cards.")


def test_all_versions_with_cards_including_cards_of_finished_instances(
        qtbot: QtBot, versions_tab: VersionsTab, activity_world: ActivityWorld,  # noqa: F811
        prompts: Any) -> None:
    version_2 = models.FlowVersion.get(models.FlowVersion.number == 2).id
    first, last = add_customers(4, prefix="done")
    add_running_instances(activity_world.flow_id, version_2, first, last, status="completed")
    versions_tab.refresh()
    versions_tab.cancel_button.cancel_all_cards.trigger()
    finish(qtbot, versions_tab)
    assert prompts.asked[-1][1].startswith("Cancel 5 running instances of all versions of "
                                           "“Onboarding” and 9 open cards?")
    assert database() == {("instance", 1, "cancelled"): 3, ("instance", 2, "cancelled"): 2,
                          ("instance", 2, "completed"): 4, ("card", 1, "cancelled"): 3,
                          ("card", 2, "cancelled"): 6}


def test_declining_the_confirmation_changes_nothing(versions_tab: VersionsTab,
                                                    prompts: Any) -> None:
    prompts.confirm_answer = False
    versions_tab.select_version(2)
    versions_tab.cancel_button.cancel_version_cards.trigger()
    assert prompts.asked[-1][1].startswith("Cancel 2 running instances of Version 2")
    assert versions_tab.canceller.task is None
    assert database() == BEFORE


def test_a_viewer_cannot_cancel(qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
                                versions_tab: VersionsTab, activity_tab: ActivityTab,
                                prompts: Any) -> None:
    activity_world.sign_in_as(activity_world.cast.viewer)
    for tab in (versions_tab, activity_tab):
        button = tab.cancel_button
        assert not button.isEnabled()
        assert not any(a.isEnabled() for a in button.menu().actions() if not a.isSeparator())
        assert "does not allow you to cancel running instances" in tab.reason.text()
        assert tab.reason.isVisibleTo(tab)
    # and a call that gets past the GUI is refused by the service: nothing changes
    activity_tab.canceller.cancel(activity_world.flow_id, None, True)
    finish(qtbot, activity_tab)
    assert prompts.errors and "does not allow" in prompts.errors[-1][1]
    assert database() == BEFORE


def test_an_editors_versions_tab_says_what_the_editor_can_do(
        qtbot: QtBot, activity_world: ActivityWorld,  # noqa: F811
        versions_tab: VersionsTab) -> None:
    """Not "Read only" while Restore works: an Editor restores, a Publisher cancels."""
    activity_world.sign_in_as(activity_world.cast.editor)
    versions_tab.refresh()
    versions_tab.select_version(1)
    text = versions_tab.reason.text()
    assert versions_tab.restore_button.isEnabled()
    assert "Read only" not in text
    assert text.startswith("You can restore a published version as the draft.")
    assert "does not allow you to cancel running instances" in text
    activity_world.sign_in_as(activity_world.cast.viewer)
    versions_tab.refresh()
    versions_tab.select_version(1)
    assert versions_tab.reason.text().startswith(
        "Read only. Your role (Viewer) does not allow you to restore versions.")
