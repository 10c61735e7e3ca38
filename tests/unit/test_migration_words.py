"""The fourth publish choice in words, and which steps hold instances back (no database)."""

from __future__ import annotations

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.domain.migration import BlockedBy, MigrationFigures, blocking_steps
from flowbench.domain.migration_choice import moved_and_cancelled
from flowbench.domain.publish_plan import PreviousVersionFigures, PublishChoices, PublishPlan

OLD = FlowDefinition(Trigger("manual"), (
    Step("q", "send_card", title="Q"), Step("pause", "wait_duration", "q", duration="P1D"),
    Step("got", "wait_card_action", "q", card="q", action="submitted"),
    Step("hold", "wait_duration", "q", duration="P1D")))


def test_which_steps_hold_instances_back_and_why() -> None:
    new = FlowDefinition(Trigger("manual"), (
        Step("r", "send_card", title="R"), Step("pause", "send_push", "r", title="P"),
        Step("got", "wait_card_action", "r", card="r", action="submitted")))
    assert blocking_steps(OLD, new, 3, ["pause", "got", "hold", "q"]) == {
        "got": "awaits card “q”, which is not in Version 3",
        "hold": "is not in Version 3",
        "pause": "is another kind of step in Version 3",
        "q": "is not in Version 3"}
    assert blocking_steps(OLD, OLD, 3, ["pause", "got", "hold"]) == {}


def test_the_choice_in_words() -> None:
    figures = MigrationFigures(3, (1, 2), 312, 8, (
        BlockedBy(1, "pause", 5, "is not in Version 3"),
        BlockedBy(2, "remind", 3, "is not in Version 3")))
    assert figures.choice_text() == (
        "Move 312 running instances of Versions 1–2 onto Version 3 (8 cannot move: their "
        "steps “pause” and “remind” are not in Version 3)")
    assert figures.cancel_text() == "Cancel the 8 that cannot move"
    one = MigrationFigures(2, (1,), 1, 0)
    assert (one.choice_text(), one.held_text()) == (
        "Move 1 running instance of Version 1 onto Version 2", "")


def test_moved_and_cancelled_counts() -> None:
    plan = PublishPlan(1, "F", 3, 1, "h", 2, None, "", [], [], None, None,
                       previous_versions=[PreviousVersionFigures(1, 200, 0),
                                          PreviousVersionFigures(2, 120, 0)],
                       migration=MigrationFigures(3, (1, 2), 312, 8))
    assert moved_and_cancelled(plan, PublishChoices()) == (0, 0)
    assert moved_and_cancelled(plan, PublishChoices(cancel_previous_instances=True)) == (0, 320)
    assert moved_and_cancelled(plan, PublishChoices(migrate_running_instances=True)) == (312, 0)
    assert moved_and_cancelled(plan, PublishChoices(True, False, False, True)) == (312, 8)
