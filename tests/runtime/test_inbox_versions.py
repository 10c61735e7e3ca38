"""The test inbox says which version sent each card and push: the draft's number for a
test send, after the live version sent the same steps to someone else."""

from __future__ import annotations

from flowbench.services import test_inbox
from flowbench.services.runtime import starts as runtime_starts


def test_the_inbox_shows_the_number_of_the_version_that_sent_each_card_and_push(world):
    world.customers("id,test\nann,no\ntia,yes\n")
    world.on_event("Other", "other", world.card("x"))  # version ids are not numbers
    flow_id = world.on_event("F", "go", world.card("hello"), world.push("ping", "hello"),
                             world.card("later", "hello"))
    world.event("ann", "go")  # Version 1, live
    world.redraft(flow_id, world.card("hello"), world.push("ping", "hello"),
                  world.card("later", "hello"))
    runtime_starts.test_send(world.cast.editor, "F", ["tia"])  # Version 2, the draft

    inbox = test_inbox.inbox_of(world.cast.editor, "tia", "F")

    assert sorted((card.step, card.version) for card in inbox.cards) == [
        ("hello", 2), ("later", 2)]
    assert [(push.step, push.version) for push in inbox.pushes] == [("ping", 2)]
