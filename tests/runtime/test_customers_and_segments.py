"""Customers from CSV, attribute changes, segment membership and its tallies."""

from __future__ import annotations

import pytest

from flowbench.domain.errors import InvalidInput
from flowbench.services import drafts
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import segments as runtime_segments
from flowbench.store import models, tally_models

TRIAL = {"attribute": "plan", "op": "eq", "value": "trial"}


def test_import_adds_and_updates_with_types_and_test_flags(world) -> None:
    first = world.customers("id,plan,age,score,test\nann,trial,34,7.5,yes\nbob,pro,x1,,no\n")
    assert (first.added, first.updated) == (2, 0)
    again = world.customers("id,age,test\nann,35,\nbob,40,true\ncy,1,0\n")
    assert (again.added, again.updated, again.unchanged) == (1, 2, 0)
    same = world.customers("id,age\nann,35\n")
    assert (same.added, same.updated, same.unchanged) == (0, 0, 1)
    found = {c.id: c for c in runtime_customers.list_customers()}
    assert found["ann"].attributes == {"plan": "trial", "age": 35, "score": 7.5}
    assert found["ann"].is_test  # an empty test cell keeps the flag
    assert found["bob"].attributes == {"plan": "pro", "age": 40}  # empty cell removes
    assert found["bob"].is_test and not found["cy"].is_test
    assert [c.id for c in runtime_customers.list_customers(test=False)] == ["cy"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "header row is missing"),
    ("name,plan\nann,trial\n", 1, "no 'id' column"),
    ("id,plan,Plan\nann,a,b\n", 1, "appears twice"),
    ("id,,plan\nann,a,b\n", 1, "column 2 has no name"),
    ("id,plan\nann,trial\nbob\n", 3, "1 cell but the header has 2"),
    ("id,plan\nann,trial\n,pro\n", 3, "id is empty"),
    ("id,test\nann,yes\nbob,maybe\n", 3, "test column says 'maybe'"),
    ("id,plan\nann,a\n\nann,b\n", 4, "already on line 2"),
    ('id,note\nann,"two\nlines"\nbob,"x\n', 4, "malformed"),
])
def test_a_bad_row_refuses_the_whole_file(world, text, line, message) -> None:
    world.customers("id,plan\nold,pro\n")
    with pytest.raises(InvalidInput, match=f"line {line}: .*{message}"):
        world.customers(text)
    assert [c.id for c in runtime_customers.list_customers()] == ["old"]


def test_undecodable_bytes_name_their_line(world) -> None:
    with pytest.raises(InvalidInput, match="line 3: this is not UTF-8"):
        runtime_customers.import_customers_csv(world.cast.editor, b"id\na\n\xff\n", "c.csv")


def test_set_changes_attributes_and_moves_customers_between_segments(world) -> None:
    world.segment("Trial", TRIAL)
    created = runtime_customers.set_customer(world.cast.editor, "ann", ["plan=trial", "n=3"])
    assert created.added == 1 and created.entered == {"Trial": 1}
    moved = runtime_customers.set_customer(world.cast.editor, "ann", ["plan="])
    assert moved.left == {"Trial": 1}
    (ann,) = runtime_customers.list_customers()
    assert ann.attributes == {"n": 3} and ann.segments == []
    runtime_customers.set_customer(world.cast.editor, "ann", ["test=yes"])
    with pytest.raises(InvalidInput, match="KEY=VALUE"):
        runtime_customers.set_customer(world.cast.editor, "ann", ["plan"])
    with pytest.raises(InvalidInput, match="test=maybe"):
        runtime_customers.set_customer(world.cast.editor, "ann", ["test=maybe"])


def test_segments_list_counts_live_and_test_members(world) -> None:
    world.customers("id,plan,test\na,trial,no\nb,trial,no\nt,trial,yes\nc,pro,no\n")
    world.segment("Trial", TRIAL)
    world.segment("Everyone", {"attribute": "plan", "op": "exists"})
    counts = {s.name: (s.members, s.test_members) for s in runtime_segments.list_segments()}
    assert counts == {"Everyone": (3, 1), "Trial": (2, 1)}
    # a test flag flipped later moves the member between the two counts
    world.customers("id,test\nb,yes\n")
    counts = {s.name: (s.members, s.test_members) for s in runtime_segments.list_segments()}
    assert counts["Trial"] == (1, 2)
    assert [c.id for c in runtime_customers.list_customers(segment="Trial")] == ["a", "b", "t"]


def test_reimporting_the_same_rule_changes_nothing(world) -> None:
    world.customers("id,plan\na,trial\n")
    first = runtime_segments.import_segments_json(
        world.cast.editor, '{"name": "Trial", "conditions": [{"attribute": "plan", "op": '
        '"eq", "value": "trial"}]}')
    again = runtime_segments.import_segments_json(
        world.cast.editor, '{"name": "Trial", "match": "all", "conditions": [{"attribute": '
        '"plan", "op": "eq", "value": "trial"}]}')
    assert (first[0].outcome, first[0].entered) == ("created", 1)
    assert again[0].outcome == "unchanged"


@pytest.mark.parametrize(("text", "line", "message"), [
    ('{"name": "A",\n "conditions": [\n', 3, "not valid JSON"),
    ('[{"name": "A", "conditions": [{"attribute": "a", "op": "exists"}]},\n'
     ' {"name": "",\n  "conditions": []}]', 2, "needs a name"),
    ('{"name": "A",\n "conditions": [\n  {"attribute": "a", "op": "exists"},\n'
     '  {"attribute": "a", "op": "near", "value": 1}\n]}', 4, "unknown op 'near'"),
    ('{"name": "A", "match": "most",\n "conditions": [{"attribute": "a", "op": "exists"}]}',
     1, "match must be"),
    ('{"name": "A", "colour": "red", "conditions": []}', 1, "unknown fields: colour"),
])
def test_a_bad_segment_file_is_refused_with_its_line(world, text, line, message) -> None:
    with pytest.raises(InvalidInput, match=f"line {line}: .*{message}"):
        runtime_segments.import_segments_json(world.cast.editor, text, "s.json")
    assert runtime_segments.list_segments() == []


def test_validation_knows_the_workspaces_segments(world) -> None:
    from flowbench.domain.definition import FlowDefinition, Trigger

    definition = FlowDefinition(Trigger("segment_entered", segment="Trial"),
                                (world.card("c"),))
    problems = drafts.problems_of("F", definition)
    assert any("no segment named 'Trial'" in p.message for p in problems)
    world.segment("Trial", TRIAL)
    assert not [p for p in drafts.problems_of("F", definition) if p.is_error]


def test_bulk_import_enters_a_segment_and_starts_its_flow(world) -> None:
    world.segment("Trial", TRIAL)
    world.on_segment("Onboarding", "Trial", world.card("hi"),
                     world.wait("w", "hi", "P1D"))
    rows = "\n".join(f"c{i},{'trial' if i % 4 else 'pro'}" for i in range(2000))
    result = world.customers("id,plan\n" + rows + "\n")
    assert result.entered == {"Trial": 1500} and result.started == 1500
    assert models.Card.select().count() == 1500
    tally = tally_models.SegmentFlowTally.get().n  # members of Trial running Onboarding
    assert tally == 1500
