"""Offline sync decisions and conflict resolution, as plain domain rules."""

from __future__ import annotations

from typing import Any

import pytest

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import InvalidInput
from flowbench.domain.offline import SyncOutcome, decide
from flowbench.domain.offline_merge import Side, conflict_parts, merge, parse_side


def flow(title: str = "Hi", wait: str = "P1D", *extra: dict[str, Any],
         event: str = "signed_up") -> FlowDefinition:
    return FlowDefinition.from_dict({
        "trigger": {"kind": "api_event", "event": event},
        "steps": [{"id": "card", "kind": "send_card", "title": title, "body": "b"},
                  {"id": "wait", "kind": "wait_duration", "parent": "card",
                   "duration": wait}, *extra]})


PUSH = {"id": "push", "kind": "send_push", "parent": "card", "title": "P", "body": "p"}


@pytest.mark.parametrize("base, mine, theirs, outcome", [
    ("b", "m", "b", SyncOutcome.SENT),          # the team did not move: send
    ("b", "m", "t", SyncOutcome.CONFLICT),      # both moved
    ("b", "m", "m", SyncOutcome.UNCHANGED),     # the team already has my edit
    ("b", "b", "t", SyncOutcome.UNCHANGED),     # not edited offline
    (None, "m", None, SyncOutcome.CREATED),     # new offline
    (None, "m", "t", SyncOutcome.CONFLICT),     # both created a flow of that name
    (None, "m", "m", SyncOutcome.UNCHANGED),    # created by an interrupted sync
])
def test_a_sync_sends_only_what_cannot_overwrite_a_colleague(base, mine, theirs, outcome):
    assert decide(base, mine, theirs) == outcome


def test_the_parts_show_which_side_changed_which_field_from_the_base():
    base, mine, theirs = flow(), flow("Mine"), flow("Hi", "P3D", PUSH)
    parts = {part.key: part for part in conflict_parts(base, mine, theirs)}
    assert list(parts) == ["trigger", "description", "card", "wait", "push"]
    assert (parts["card"].mine_changed, parts["card"].theirs_changed) == (("title",), ())
    assert parts["card"].suggested == Side.MINE
    assert parts["wait"].theirs_changed == ("duration",)
    assert parts["push"].base is None and parts["push"].mine is None
    assert not parts["trigger"].differs and parts["trigger"].suggested is None


def test_merging_takes_each_part_from_its_chosen_side_and_the_team_by_default():
    mine = flow("Mine", "P5D", event="mine_event")
    theirs = flow("Theirs", "P3D", PUSH)
    merged = merge(mine, theirs, {"card": Side.MINE, "trigger": Side.MINE})
    assert merged.step("card").title == "Mine"
    assert merged.step("wait").duration == "P3D"
    assert merged.step("push") is not None
    assert merged.trigger.event == "mine_event"
    assert merge(mine, theirs, {}, default=Side.MINE) == mine
    assert merge(mine, theirs, {"push": Side.MINE}).step("push") is None  # mine lacks it


def test_a_choice_for_a_part_neither_side_has_or_a_side_that_is_not_one_is_refused():
    with pytest.raises(InvalidInput, match="no-such"):
        merge(flow(), flow(), {"no-such": Side.MINE})
    with pytest.raises(InvalidInput, match="keep 'mine' or 'theirs'"):
        parse_side("ours")
    assert parse_side(" Theirs ") == Side.THEIRS
