"""Moving running instances onto the version being published: which can move (every step
they wait at is in the new version with the same kind; an awaited card too), moved whole
with their deadlines and cards, following the new version from then on; the others stay
or are cancelled; stale plans are refused with nothing moved."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.definition import Step
from flowbench.domain.errors import StaleError
from flowbench.domain.migration_choice import with_migration
from flowbench.domain.publish_plan import PublishChoices, choice_texts
from flowbench.services import drafts, publishing
from flowbench.services.publish_plan import prepare_publish
from flowbench.services.runtime.status import runtime_status
from flowbench.store import models

MIGRATE = PublishChoices(migrate_running_instances=True)


def versions_of(world) -> dict[str, tuple[int, str]]:
    """customer -> (version number, status) of their instance of Welcome."""
    return {customer: (version, status) for customer, version, status, test
            in world.instances() if not test}


def build_staged(world) -> int:
    """Welcome (on "signup"): ann and bob run Version 1 and wait at "pause"; cy runs
    Version 2 and waits at "hold"; tia, a test account, runs Version 2 too. The draft,
    Version 3, keeps "pause" (a longer wait, then a different push) but not "hold"."""
    world.customers("id,plan,test\nann,a,no\nbob,a,no\ncy,a,no\ntia,a,yes\n")
    flow = world.on_event("Welcome", "signup", world.card("welcome"),
                          world.wait("pause", "welcome", "P1D"), world.push("remind", "pause"))
    world.event("ann", "signup")
    world.event("bob", "signup")
    world.redraft(flow, world.card("welcome"), world.wait("hold", "welcome", "P1D"),
                  world.push("remind", "hold"))
    publishing.publish_draft(world.cast.owner, flow)
    world.event("cy", "signup")
    world.event("tia", "signup")
    world.redraft(flow, world.card("welcome"), world.wait("pause", "welcome", "P2D"),
                  world.push("nudge", "pause"))
    return flow


@pytest.fixture
def staged(world) -> int:
    return build_staged(world)


def test_the_plan_counts_who_can_move_and_what_holds_the_rest(world, staged) -> None:
    plan = prepare_publish(world.cast.publisher, staged)
    assert plan.migration.to_dict() == {
        "movable": 2, "not_movable": 1,
        "blocked_by": [{"version": 2, "step": "hold", "instances": 1}]}
    texts = with_migration(choice_texts(plan), plan)
    assert texts["migrate_running_instances"] == (
        "Move 2 running instances of Versions 1–2 onto Version 3 (1 cannot move: their step "
        "“hold” is not in Version 3)")
    assert texts["cancel_previous_instances"] == "Cancel 3 running instances of Versions 1–2"
    both = with_migration(choice_texts(plan), plan, PublishChoices(True, False, False, True))
    assert both["cancel_previous_instances"] == "Cancel the 1 that cannot move"


def test_moved_instances_keep_their_deadlines_and_follow_the_new_version(world,
                                                                         staged) -> None:
    deadlines = sorted(b.wait_until for b in models.PendingBranch.select())
    plan = prepare_publish(world.cast.publisher, staged)
    result = publishing.publish(world.cast.publisher, plan, MIGRATE)
    assert (result.moved_instances, result.not_moved_instances, result.cancelled_instances) \
        == (2, 1, 0)
    assert result.describe() == ("Published Version 3 of 'Welcome'. Moved 2 running "
                                 "instances onto Version 3; 1 could not move.")
    assert versions_of(world) == {"ann": (3, "running"), "bob": (3, "running"),
                                  "cy": (2, "running")}
    assert [v for c, v, s, test in world.instances() if test] == [2]  # test data stays
    assert sorted(b.wait_until for b in models.PendingBranch.select()) == deadlines
    assert [c for c, step, _ in world.cards() if step == "welcome"] == ["ann", "bob", "cy",
                                                                        "tia"]
    audit = models.AuditEntry.select().where(models.AuditEntry.action == "flow.publish") \
        .order_by(models.AuditEntry.id.desc()).first()
    details = json.loads(audit.details)
    assert (details["moved_instances"], details["not_moved_instances"]) == (2, 1)
    assert details["choices"]["migrate_running_instances"] is True

    world.advance("P1D")  # the wait they started under Version 1 ends as it was set
    assert versions_of(world) == {"ann": (3, "completed"), "bob": (3, "completed"),
                                  "cy": (2, "completed")}
    assert sorted((c, step) for c, step, _ in world.pushes()) == [
        ("ann", "nudge"), ("bob", "nudge"), ("cy", "remind"), ("tia", "remind")]
    # the live figures follow the move (the tallies count what the rows say)
    status = {v["version"]: v["instances"] for v in runtime_status(staged)["versions"]}
    assert (status[1]["completed"], status[3]["completed"], status[2]["completed"]) == \
        (0, 2, 1)


def test_with_cancel_the_ones_that_cannot_move_are_cancelled(world, staged) -> None:
    plan = prepare_publish(world.cast.publisher, staged)
    result = publishing.publish(world.cast.publisher, plan,
                                PublishChoices(True, False, False, True))
    assert (result.moved_instances, result.cancelled_instances) == (2, 1)
    assert versions_of(world) == {"ann": (3, "running"), "bob": (3, "running"),
                                  "cy": (2, "cancelled")}


def test_a_step_of_another_kind_or_a_missing_awaited_card_holds_instances(world) -> None:
    world.customers("id,plan,test\nann,a,no\nbob,a,no\n")
    flow = world.on_event("Ask", "ask", world.card("q"), world.wait("pause", "q", "P1D"),
                          world.await_card("got", "q", "q", "submitted"))
    world.event("ann", "ask")
    world.event("bob", "ask")
    world.redraft(flow, world.card("q"), world.card("pause", "q"),  # now a card
                  world.await_card("got", "q", "q", "submitted"))
    plan = prepare_publish(world.cast.publisher, flow)
    # each waits at "pause" and at "got": "got" is still a card wait, "pause" is not
    assert plan.migration.to_dict() == {
        "movable": 0, "not_movable": 2,
        "blocked_by": [{"version": 1, "step": "pause", "instances": 2}]}
    assert plan.migration.why_not() == ("their step “pause” is another kind of step in "
                                        "Version 2")

    world.redraft(flow, Step("r", "send_card", title="R", body="b"),
                  world.wait("pause", "r", "P1D"),
                  world.await_card("got", "r", "r", "submitted"))  # card "q" is gone
    plan = prepare_publish(world.cast.publisher, flow)
    assert plan.migration.to_dict()["not_movable"] == 2
    assert plan.migration.why_not() == ("their step “got” awaits card “q”, which is not in "
                                        "Version 2")


def test_a_stale_plan_is_refused_and_nothing_moves(world, staged) -> None:
    plan = prepare_publish(world.cast.publisher, staged)
    draft = drafts.open_flow(staged)
    drafts.save_draft(world.cast.owner, staged, draft.definition.with_description("later"),
                      expected_version=draft.version, expected_revision=draft.revision)
    before = versions_of(world)
    with pytest.raises(StaleError, match="changed since you looked"):
        publishing.publish(world.cast.publisher, plan, PublishChoices(True, False, False, True))
    assert versions_of(world) == before


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def cli_staged(prepare) -> None:
    prepare(build_staged)


def test_cli_dry_run_shows_the_migration_and_publish_moves(run, cli_staged, db_rows) -> None:
    before = db_rows()
    dry = run("publish", "Welcome", "--dry-run", "--json", "--migrate-running-instances",
              as_="publisher")
    assert dry.code == 0, dry
    assert dry.json()["migration"] == {
        "movable": 2, "not_movable": 1,
        "blocked_by": [{"version": 2, "step": "hold", "instances": 1}]}
    text = run("publish", "Welcome", "--dry-run", "--migrate-running-instances",
               "--cancel-previous-instances", as_="publisher")
    assert "  [x] Move 2 running instances of Versions 1–2 onto Version 3 (1 cannot move: " \
        "their step “hold” is not in Version 3)" in text.out.splitlines()
    assert "  [x] Cancel the 1 that cannot move" in text.out.splitlines()
    assert db_rows() == before

    done = run("publish", "Welcome", "--migrate-running-instances",
               "--cancel-previous-instances", "--json", as_="publisher")
    assert done.code == 0, done
    result = done.json()
    assert (result["moved_instances"], result["not_moved_instances"],
            result["cancelled_instances"]) == (2, 1, 1)
    assert result["choices"]["migrate_running_instances"] is True


def test_cli_refuses_a_stale_migrating_publish(run, cli_staged, db_rows, refused) -> None:
    before = db_rows()
    refused(run("publish", "Welcome", "--migrate-running-instances", "--revision", "7",
                as_="publisher"), "changed since you looked")
    assert db_rows() == before
