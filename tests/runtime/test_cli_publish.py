"""``flowbench publish``: the dry-run summary (text and JSON) and the three choices."""

from __future__ import annotations

import itertools

import pytest


@pytest.fixture
def onboarding(prepare):
    """Segment Trial holds ann, bob (there before Version 1 went live, so not started),
    cy (entered afterwards: runs Version 1 with an open card) and tia (a test account, also
    running Version 1). Version 2 is a draft. Go is a live api_event flow with a draft."""
    def build(world) -> None:
        world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
        world.customers("id,plan,test\nann,trial,no\nbob,trial,no\n")
        flow = world.on_segment("Onboarding", "Trial", world.card("hi"),
                                world.wait("w", "hi", "P1D"))
        world.customers("id,plan,test\ncy,trial,no\ntia,trial,yes\n")
        world.redraft(flow, world.card("hello"), world.wait("w", "hello", "P1D"))
        go = world.on_event("Go", "go", world.card("c"))
        world.redraft(go, world.card("d"))

    prepare(build)


def status_of(run, flow: str, version: int) -> dict:
    versions = run("runtime-status", flow, "--json").json()["versions"]
    return next(v for v in versions if v["version"] == version)


def test_dry_run_json_is_the_summary_and_changes_nothing(run, onboarding, db_rows) -> None:
    before = db_rows()
    outcome = run("publish", "Onboarding", "--dry-run", "--json",
                  "--cancel-previous-instances", as_="publisher")
    assert outcome.code == 0, outcome
    assert outcome.json() == {
        "flow": "Onboarding", "version": 2, "live_version": 1, "blocking": [],
        "changes": outcome.json()["changes"],
        "previous_versions": [{"version": 1, "running_instances": 1, "open_cards": 1}],
        "segment": {"name": "Trial", "members": 3, "already_running": 1},
        "migration": {"movable": 1, "not_movable": 0, "blocked_by": []},
        "choices": {"cancel_previous_instances": True, "cancel_previous_cards": False,
                    "start_existing_segment_members": False,
                    "migrate_running_instances": False},
        "counts": {"cancelled_instances": 1, "cancelled_cards": 0, "started_instances": 0,
                   "moved_instances": 0, "duplicate_cards": []},
        "may_publish": True}
    changes = {c["step"]: c for c in outcome.json()["changes"]}  # value by value
    added = changes["hello"]
    assert added["text"].startswith("Added: Send card")
    assert (added["field"], added["before"], added["after"]["kind"]) == \
        (None, None, "send_card")
    removed = changes["hi"]
    assert removed["text"].startswith("Removed: Send card") and removed["after"] is None
    assert removed["before"]["kind"] == "send_card"
    assert db_rows() == before


CHOICE_FLAGS = ("--cancel-previous-instances", "--cancel-previous-cards",
                "--start-existing-segment-members", "--migrate-running-instances")
COUNTED = ("cancelled_instances", "cancelled_cards", "started_instances", "moved_instances")
EVERY_COMBINATION = [[flag for flag, on in zip(CHOICE_FLAGS, bits, strict=True) if on]
                     for bits in itertools.product([False, True], repeat=4)]


@pytest.mark.parametrize("chosen", EVERY_COMBINATION)
def test_the_dry_run_counts_are_what_the_publish_then_reports(run, onboarding,
                                                               chosen) -> None:
    """Every combination: cancelled customers start again, so cancelling instances and
    starting the segment starts all three (not the one the old dry run said)."""
    dry = run("publish", "Onboarding", "--dry-run", "--json", *chosen)  # no --as needed
    assert dry.code == 0, dry
    assert dry.json()["may_publish"] is None
    done = run("publish", "Onboarding", "--json", *chosen, as_="publisher")
    assert done.code == 0, done
    counts = dry.json()["counts"]
    assert {key: done.json()[key] for key in COUNTED} == {key: counts[key] for key in COUNTED}
    if chosen == list(CHOICE_FLAGS[0::2][:2]):  # cancel instances + start: everyone starts
        assert counts["started_instances"] == 3


@pytest.fixture
def half_movable(prepare):
    """Segment Trial: ann and bob run Version 1 waiting at "w" (kept by Version 2), cy and
    dan run it waiting at "pause" (gone from Version 2), eve is in the segment and runs
    nothing, tia is a test account. Version 2 keeps "w" and drops "pause"."""
    def build(world) -> None:
        world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
        world.customers("id,plan,test\neve,trial,no\n")
        flow = world.on_segment("Onboarding", "Trial", world.card("hi"),
                                world.wait("w", "hi", "P1D"),
                                world.wait("pause", "hi", "PT1H"))
        world.customers("id,plan,test\nann,trial,no\nbob,trial,no\n")
        world.advance("PT2H")  # ann and bob: "pause" ended, only "w" still waits
        world.customers("id,plan,test\ncy,trial,no\ndan,trial,no\ntia,trial,yes\n")
        world.redraft(flow, world.card("hi"), world.wait("w", "hi", "P1D"))

    prepare(build)


@pytest.mark.parametrize("chosen", EVERY_COMBINATION)
def test_dry_run_equals_publish_when_some_instances_cannot_move(run, half_movable,
                                                                chosen) -> None:
    """Moving and cancelling together: only the two held at "pause" are cancelled, and of
    the segment only they and eve (who runs nothing) start; ann and bob keep running."""
    dry = run("publish", "Onboarding", "--dry-run", "--json", *chosen)
    assert dry.code == 0, dry
    assert dry.json()["migration"]["not_movable"] == 2
    done = run("publish", "Onboarding", "--json", *chosen, as_="publisher")
    assert done.code == 0, done
    counts = dry.json()["counts"]
    assert {key: done.json()[key] for key in COUNTED} == {key: counts[key] for key in COUNTED}
    if {"--migrate-running-instances", "--cancel-previous-instances",
            "--start-existing-segment-members"} <= set(chosen):
        assert (counts["moved_instances"], counts["cancelled_instances"],
                counts["started_instances"]) == (2, 2, 3)


def test_the_dry_run_says_when_customers_would_get_a_second_card(run, onboarding) -> None:
    """cy still has Version 1's open card: starting everyone without cancelling cards
    gives cy Version 2's card as well."""
    outcome = run("publish", "Onboarding", "--dry-run", "--cancel-previous-instances",
                  "--start-existing-segment-members")
    assert "1 of them still has “Card hi” from Version 1" in outcome.out
    document = run("publish", "Onboarding", "--dry-run", "--json",
                   "--cancel-previous-instances", "--start-existing-segment-members").json()
    assert document["counts"]["duplicate_cards"] == [
        {"customers": 1, "title": "Card hi", "version": 1}]
    quiet = run("publish", "Onboarding", "--dry-run", "--json", "--cancel-previous-cards",
                "--start-existing-segment-members").json()
    assert quiet["counts"]["duplicate_cards"] == []
    # cy runs Version 1 now: without cancelling instances cy does not start, no duplicate
    alone = run("publish", "Onboarding", "--dry-run", "--json",
                "--start-existing-segment-members").json()
    assert alone["counts"]["duplicate_cards"] == []


def test_a_dry_run_with_as_says_whether_that_member_may_publish(run, onboarding) -> None:
    editor = run("publish", "Onboarding", "--dry-run", as_="editor")
    assert "You may not publish:" in editor.out
    assert run("publish", "Onboarding", "--dry-run", "--json",
               as_="editor").json()["may_publish"] is False
    assert "You may publish." in run("publish", "Onboarding", "--dry-run",
                                     as_="publisher").out


def test_dry_run_text_names_the_counts_and_what_blocks(run, onboarding, db_rows) -> None:
    before = db_rows()
    outcome = run("publish", "Onboarding", "--dry-run", as_="editor")
    assert outcome.code == 0, outcome
    text = outcome.out
    assert "Publish Version 2 of 'Onboarding', replacing live Version 1." in text
    assert "Cancel 1 running instance of Version 1" in text
    assert "Cancel 1 active card sent by Version 1" in text
    assert "Also start this flow for the 2 customers already in “Trial”" in text
    assert "does not allow you to publish" in text  # an Editor may look, not publish
    assert "Dry run: nothing was changed." in text
    assert db_rows() == before


def test_publish_with_all_three_choices(run, onboarding) -> None:
    outcome = run("publish", "Onboarding", "--cancel-previous-instances",
                  "--cancel-previous-cards", "--start-existing-segment-members", "--json",
                  as_="publisher")
    assert outcome.code == 0, outcome
    result = outcome.json()
    assert (result["version"], result["previous_live"]) == (2, 1)
    assert (result["cancelled_instances"], result["cancelled_cards"],
            result["started_instances"]) == (1, 1, 3)  # ann, bob and cy (now free) start
    previous = status_of(run, "Onboarding", 1)
    assert previous["instances"] == {"running": 0, "completed": 0, "cancelled": 1}
    assert previous["cards"]["cancelled"] == 1 and previous["cards"]["active"] == 0
    assert status_of(run, "Onboarding", 2)["instances"]["running"] == 3


def test_publish_without_choices_leaves_the_previous_version_running(run, onboarding) -> None:
    outcome = run("publish", "Onboarding", as_="publisher")
    assert outcome.code == 0, outcome
    assert outcome.out.strip().startswith("Published Version 2 of 'Onboarding'.")
    previous = status_of(run, "Onboarding", 1)
    assert previous["instances"]["running"] == 1 and previous["cards"]["active"] == 1
    assert status_of(run, "Onboarding", 2)["instances"]["running"] == 0


def test_the_segment_choice_is_refused_for_other_triggers(run, onboarding, db_rows,
                                                          refused) -> None:
    before = db_rows()
    refused(run("publish", "Go", "--start-existing-segment-members", as_="publisher"),
            "segment")
    refused(run("publish", "Go", "--dry-run", "--start-existing-segment-members",
                as_="publisher"), "segment")
    assert db_rows() == before


def test_a_stale_revision_is_refused(run, onboarding, db_rows, refused) -> None:
    before = db_rows()
    refused(run("publish", "Onboarding", "--revision", "99", as_="publisher"),
            "changed since you looked")
    assert db_rows() == before
