"""The forecast: a hand-built history whose outcome is known, replayed through the live
version and the draft in a scratch copy — and the workspace is left exactly as it was."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import InvalidInput, NotFound, OperationCancelled
from flowbench.domain.forecast import DAY
from flowbench.services import forecast as forecasting

HOUR = 3600


def welcome_series(world, *, pause: str, remind: bool, tip: bool = False) -> tuple:
    """welcome card (expires after 6 hours) → [pause → remind push] and [wait for welcome
    to be submitted → thanks card]; optionally a tip card under welcome."""
    steps = [world.card("welcome", expires="PT6H"), world.wait("pause", "welcome", pause),
             world.await_card("got", "welcome", "welcome", "submitted"),
             world.card("thanks", "got")]
    if remind:
        steps.append(world.push("remind", "pause"))
    if tip:
        steps.append(world.card("tip", "welcome"))
    return tuple(steps)


def build_history(world) -> tuple[int, int]:
    """Version 1 live (pause 1 day, then a push). Over 2½ days: ann signs up (t0) and
    submits her welcome card 2 hours later; bob signs up a day later, cy two days later;
    tia, a test account, also signs up. Version 2 is a draft: pause 1 hour, no push, and a
    tip card Version 1 does not have."""
    world.customers("id,plan,test\nann,a,no\nbob,a,no\ncy,a,no\ntia,a,yes\n")
    flow = world.on_event("Welcome", "signup", *welcome_series(world, pause="P1D",
                                                               remind=True))
    t0 = world.now()
    world.event("ann", "signup")
    world.advance("PT2H")
    world.act(world.card_id("ann", "welcome"), "submit")
    world.advance("PT22H")
    world.event("bob", "signup")
    world.event("tia", "signup")
    world.advance("P1D")
    world.event("cy", "signup")
    world.advance("PT12H")
    world.redraft(flow, *welcome_series(world, pause="PT1H", remind=False, tip=True))
    return flow, t0


@pytest.fixture
def history(world) -> tuple[int, int]:
    return build_history(world)


def test_the_draft_without_the_push_and_with_a_shorter_wait(world, history, db_rows) -> None:
    flow, t0 = history
    before = db_rows()
    result = forecasting.forecast("Welcome", 14)
    assert db_rows() == before, "the forecast wrote nothing to the workspace"

    assert result.to_dict() == {
        "flow": "Welcome", "days": 14,
        "from": "2027-01-03T20:00:00Z", "to": "2027-01-17T20:00:00Z",
        "history": {"triggers": 3, "card_actions": 1},  # tia, a test account, left out
        "live": {"version": 1, "instances": {"started": 3, "completed": 2, "waiting": 1},
                 "steps": [{"id": "welcome", "kind": "send_card", "sent": 3},
                           {"id": "remind", "kind": "send_push", "sent": 2},
                           {"id": "thanks", "kind": "send_card", "sent": 1}]},
        "draft": {"version": 2, "instances": {"started": 3, "completed": 3, "waiting": 0},
                  "steps": [{"id": "welcome", "kind": "send_card", "sent": 3},
                            {"id": "thanks", "kind": "send_card", "sent": 1},
                            {"id": "tip", "kind": "send_card", "sent": 3}]}}
    assert world.now() - t0 == int(2.5 * DAY)
    assert result.difference() == ("Version 2 would have sent 7 cards (Version 1: 4) and "
                                   "0 pushes (2).")
    # what the command's table and the Publish tab show per step: the draft's steps first
    assert [(s.id, s.what, s.live, s.draft) for s in result.sent_by_step()] == [
        ("welcome", "cards", 3, 3), ("thanks", "cards", 1, 1), ("tip", "cards", None, 3),
        ("remind", "pushes", 2, None)]
    notes = result.notes()
    assert notes[0].startswith("The recorded history covers only 2.5 days (since ")
    assert notes[1] == ("Step “tip” is only in the draft: no recorded card actions, so its "
                        "cards are never acted on in the forecast.")


def test_a_shorter_window_replays_only_its_days(world, history) -> None:
    result = forecasting.forecast("Welcome", 1)  # the last day: cy's sign-up only
    assert result.to_dict()["history"] == {"triggers": 1, "card_actions": 0}
    assert result.live.started == result.draft.started == 1
    assert (result.live.completed, result.draft.completed) == (0, 1)
    assert not any("covers only" in note for note in result.notes())


def test_the_live_versions_card_actions_reach_the_drafts_card_of_the_same_step(
        world, history) -> None:
    """Without ann's submit, the draft's thanks card would never be sent."""
    result = forecasting.forecast("Welcome")
    thanks = {s.id: s.sent for s in result.draft.steps}["thanks"]
    assert thanks == 1


def test_segment_entries_and_exits_are_the_history_of_a_segment_flow(world) -> None:
    world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
    world.customers("id,plan,test\nann,trial,no\n")  # in before the flow: not started
    flow = world.on_segment("Onboarding", "Trial", world.card("hi"))
    world.advance("PT1H")
    world.customers("id,plan,test\nbob,trial,no\ncy,trial,no\n")
    world.advance("PT1H")
    world.customers("id,plan,test\nann,free,no\n")  # ann leaves …
    world.advance("PT1H")
    world.customers("id,plan,test\nann,trial,no\n")  # … and enters again: she starts
    world.advance("PT1H")
    world.redraft(flow, world.card("hi"), world.push("nudge", "hi"))
    result = forecasting.forecast("Onboarding", 1)
    # ann entered, bob and cy entered, ann left, ann entered again
    assert result.to_dict()["history"] == {"triggers": 5, "card_actions": 0}
    # as if live all along: ann's first entry starts her too, and her run is over (a
    # card, nothing to wait for) when she enters again, so she starts a second time
    assert result.live.started == result.draft.started == 4
    assert [(s.id, s.sent) for s in result.live.steps] == [("hi", 4)]
    assert [(s.id, s.sent) for s in result.draft.steps] == [("hi", 4), ("nudge", 4)]


def test_refusals(world, history) -> None:
    with pytest.raises(InvalidInput, match="from 1 to 3650"):
        forecasting.forecast("Welcome", 0)
    with pytest.raises(NotFound, match="no flow named"):
        forecasting.forecast("Nope")
    world.on_event("Plain", "go", world.card("c"))
    with pytest.raises(NotFound, match="'Plain' has no draft to forecast."):
        forecasting.forecast("Plain")
    with pytest.raises(OperationCancelled):
        forecasting.forecast("Welcome", should_cancel=lambda: True)


def test_progress_names_each_version(world, history) -> None:
    stages: list[tuple[str, int, int]] = []
    forecasting.forecast("Welcome", progress=lambda *report: stages.append(report))
    assert stages[0] == ("Reading the recorded history", 0, 0)
    assert {s for s, *_ in stages[1:]} == {"Replaying Versions 1 and 2"}
    assert stages[-1][1] == stages[-1][2] > 0  # both replays done


# --- the command line ------------------------------------------------------------------------

@pytest.fixture
def cli_history(prepare):
    prepare(build_history)


def test_forecast_command_json_and_text(run, cli_history, db_rows) -> None:
    before = db_rows()
    outcome = run("forecast", "Welcome", "--json")
    assert outcome.code == 0, outcome
    result = outcome.json()
    assert list(result) == ["flow", "days", "from", "to", "history", "live", "draft"]
    assert (result["days"], result["history"]) == (14, {"triggers": 3, "card_actions": 1})
    assert result["draft"]["instances"] == {"started": 3, "completed": 3, "waiting": 0}

    text = run("forecast", "Welcome", "--days", "14")
    assert text.code == 0, text
    lines = text.out.splitlines()
    assert lines[0].startswith("Forecast for 'Welcome': the last 14 days (")
    assert lines[1] == "Version 2 would have sent 7 cards (Version 1: 4) and 0 pushes (2)."
    assert lines[2].split() == ["VERSION", "1", "(LIVE)", "VERSION", "2", "(DRAFT)"]
    assert ["completed", "2", "3"] in [line.split() for line in lines]
    assert ["remind:", "pushes", "sent", "2", "–"] in [line.split() for line in lines]
    assert ["tip:", "cards", "sent", "–", "3"] in [line.split() for line in lines]
    assert any(line.startswith("Note: The recorded history covers only 2.5 days")
               for line in lines)
    assert lines[-1] == "Nothing in the workspace was changed."
    assert db_rows() == before


def test_forecast_command_refuses_bad_days(run, cli_history, refused) -> None:
    refused(run("forecast", "Welcome", "--days", "0"), "from 1 to 3650")
    assert run("forecast", "Welcome", "--days", "two").code == 2
