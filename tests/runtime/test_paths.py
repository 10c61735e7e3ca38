"""The otherwise path of a wait for a card action, and the two paths of a decision split."""

from __future__ import annotations

import pytest

from flowbench.services.runtime.cancel import cancel_open_cards


@pytest.fixture
def welcome(world):
    """A card, a wait for its submission with a 1-day timeout: thanks on submit, a nudge
    otherwise."""
    world.customers("id,plan\nann,trial\nbob,pro\ncal,trial\n")
    world.on_event("Welcome", "go", world.card("hello"),
                   world.await_card("wait", "hello", "hello", "submitted", "P1D"),
                   world.push("thanks", "wait"),
                   world.push("nudge", "wait", path="otherwise"))
    for customer in ("ann", "bob", "cal"):
        world.event(customer, "go")
    return world


def test_a_customer_who_acts_takes_the_awaited_path(welcome) -> None:
    w = welcome
    w.act(w.card_id("ann", "hello"), "submit")
    assert w.pushes() == [("ann", "thanks", None)]
    w.advance("P2D")  # the others time out
    assert sorted(w.pushes()) == [("ann", "thanks", None), ("bob", "nudge", None),
                                  ("cal", "nudge", None)]
    assert {status for _, _, status, _ in w.instances()} == {"completed"}


def test_a_customer_who_lets_the_wait_time_out_takes_the_otherwise_path(welcome) -> None:
    w = welcome
    w.advance("PT23H")
    assert w.pushes() == []
    w.advance("PT1H")
    assert sorted(w.pushes()) == [("ann", "nudge", None), ("bob", "nudge", None),
                                  ("cal", "nudge", None)]


def test_a_card_closed_another_way_takes_the_otherwise_path_at_once(welcome) -> None:
    w = welcome
    w.act(w.card_id("bob", "hello"), "dismiss")
    assert w.pushes() == [("bob", "nudge", None)]
    assert [customer for customer, _ in w.pending()] == ["ann", "cal"]


def test_a_cancelled_card_takes_the_otherwise_path(welcome) -> None:
    w = welcome
    result = cancel_open_cards(w.cast.owner, "Welcome")
    assert result.cards == 3
    assert sorted(w.pushes()) == [("ann", "nudge", None), ("bob", "nudge", None),
                                  ("cal", "nudge", None)]
    assert w.pending() == []
    w.advance("P2D")  # the timeout no longer applies: nobody is nudged twice
    assert len(w.pushes()) == 3


def test_a_wait_reached_after_its_card_closed_another_way_goes_on_otherwise(world) -> None:
    w = world
    w.customers("id\nann\n")
    w.on_event("F", "go", w.card("c", expires="PT1H"), w.wait("later", "c", "P1D"),
               w.await_card("wait", "later", "c", "submitted"),
               w.push("thanks", "wait"), w.push("missed", "wait", path="otherwise"))
    w.event("ann", "go")
    w.advance("P2D")  # the card expired before the wait was reached
    assert w.pushes() == [("ann", "missed", None)]


def test_a_decision_split_sends_each_customer_down_one_path(world) -> None:
    w = world
    w.customers("id,plan,age\nann,trial,30\nbob,pro,40\ncal,pro,17\ndee,,\n")
    w.on_event("F", "go",
               w.split("is_pro", None, {"attribute": "plan", "op": "eq", "value": "pro"},
                       {"attribute": "age", "op": "gte", "value": 18}),
               w.card("upgrade", "is_pro", path="no"),
               w.push("welcome_pro", "is_pro", path="yes"),
               w.push("both", "is_pro", path="yes"))
    for customer in ("ann", "bob", "cal", "dee"):
        w.event(customer, "go")
    assert sorted(c for c, step, _ in w.cards() if step == "upgrade") == ["ann", "cal", "dee"]
    assert sorted(w.pushes()) == [("bob", "both", None), ("bob", "welcome_pro", None)]


def test_a_split_decides_on_the_attributes_when_it_runs(world) -> None:
    w = world
    w.customers("id,plan\nann,trial\n")
    w.on_event("F", "go", w.wait("w", None, "P1D"),
               w.split("any", "w", {"attribute": "plan", "op": "eq", "value": "pro"},
                       {"attribute": "vip", "op": "exists"}, match="any"),
               w.push("yes", "any", path="yes"), w.push("no", "any", path="no"))
    w.event("ann", "go")
    w.customers("id,plan\nann,pro\n")  # upgraded while waiting
    w.advance("P1D")
    assert w.pushes() == [("ann", "yes", None)]


def test_a_test_send_runs_the_drafts_split_and_otherwise_path(world) -> None:
    from flowbench.services.runtime import starts as runtime_starts

    w = world
    w.customers("id,plan,test\ntia,pro,yes\ntom,trial,yes\n")
    flow_id = w.manual("Draft", w.card("hello"))
    w.redraft(flow_id,
              w.split("is_pro", None, {"attribute": "plan", "op": "eq", "value": "pro"}),
              w.card("pro_card", "is_pro", path="yes"),
              w.card("trial_card", "is_pro", path="no"),
              w.await_card("wait", "trial_card", "trial_card", "submitted", "P1D"),
              w.push("nudge", "wait", path="otherwise"))
    result = runtime_starts.test_send(w.cast.editor, flow_id, ["tia", "tom"])
    assert sorted(result.sent) == ["tia", "tom"]
    assert sorted((c, s) for c, s, _ in w.cards()) == [("tia", "pro_card"),
                                                       ("tom", "trial_card")]
    w.act(w.card_id("tom", "trial_card"), "dismiss")
    assert w.pushes() == [("tom", "nudge", None)]


def test_a_line_of_500_steps_runs_through_paths_without_recursion(world) -> None:
    """The deepest line allowed (500 steps) runs to its end, here on a split's "yes" path
    and a wait's "otherwise" path: the walk keeps an explicit stack, not Python's."""
    w = world
    w.customers("id,plan\nann,pro\nbob,trial\n")
    line = [w.push(f"p{index}", f"p{index - 1}") for index in range(2, 496)]
    w.on_event("Deep", "go",
               w.split("is_pro", None, {"attribute": "plan", "op": "eq", "value": "pro"}),
               w.card("c", "is_pro", path="yes"),
               w.await_card("wait", "c", "c", "submitted"),
               w.push("p0", "wait", path="otherwise"),
               w.push("p1", "p0"), *line,
               w.push("no", "is_pro", path="no"))
    w.event("ann", "go")
    w.event("bob", "go")
    w.act(w.card_id("ann", "c"), "dismiss")
    ann = [step for customer, step, _ in w.pushes() if customer == "ann"]
    assert ann == [f"p{index}" for index in range(496)]
    assert [step for customer, step, _ in w.pushes() if customer == "bob"] == ["no"]
    assert {status for _, _, status, _ in w.instances()} == {"completed"}
