"""Every text that carries a count says it right with 0, 1 and 2: "1 running instance",
"2 running instances", "0 conditions" — never "1 running instances" or "2 condition"."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.domain.flow_summary import describe_rule
from flowbench.domain.publish_plan import (
    CardHolders,
    PreviousVersionFigures,
    PublishChoices,
    PublishPlan,
    SegmentFigures,
    choice_texts,
    publish_counts,
)
from flowbench.domain.segment_rules import Condition
from flowbench.domain.wording import count_of, plural
from flowbench.services.publishing import PublishResult
from flowbench.services.runtime.cancel import CancelResult
from flowbench.services.runtime.clock import ClockAdvanced
from flowbench.services.runtime.customers import CustomerImport
from flowbench.services.runtime.events import EventsResult
from flowbench.services.runtime.segments import SegmentImported
from flowbench.services.runtime.starts import StartResult

NOUNS = ("running instance", "active card", "open card", "customer", "condition",
         "flow instance", "test account", "event", "card", "wait", "step", "member")
ALL = PublishChoices(True, True, True)


def plan(n: int) -> PublishPlan:
    definition = FlowDefinition(Trigger("segment_entered", segment="Trial"), (
        Step("c", "send_card", title="Hi", body="b"),))
    return PublishPlan(
        1, "F", 2, 1, "h", 1, definition, "t", [], [], None, None,
        previous_versions=[PreviousVersionFigures(1, n, n)],
        segment=SegmentFigures("Trial", n, 0),
        card_holders=[CardHolders(1, "Welcome aboard!", n, n)])


TEXTS: dict[str, Callable[[int], str]] = {
    "choice texts": lambda n: " | ".join(choice_texts(plan(n)).values()),
    "duplicate cards": lambda n: publish_counts(
        plan(n), PublishChoices(False, False, True)).duplicate_warning() or "",
    "decision rule": lambda n: describe_rule("all", [Condition(f"a{i}", "exists")
                                                     for i in range(n)]),
    "publish result": lambda n: PublishResult("F", 2, 1, False, ALL, n, n, n).describe(),
    "cancel result": lambda n: CancelResult("F", [1], n, n, True).describe(),
    "cancel cards result": lambda n: CancelResult("F", [1], 0, n, False).describe(),
    "customers import": lambda n: CustomerImport(n, n, n, {"S": n}, {"S": n}, n).describe(),
    "segment import": lambda n: SegmentImported("S", "updated", n, n, n).describe(),
    "events": lambda n: EventsResult(n, {"F": n} if n else {}).describe(),
    "clock": lambda n: ClockAdvanced(0, 60, n, n).describe(),
    "start": lambda n: " ".join(StartResult("F", 1, True, [f"c{i}" for i in range(n)])
                                .describe()),
}


@pytest.mark.parametrize("name", list(TEXTS))
@pytest.mark.parametrize("n", [0, 1, 2])
def test_counts_agree_with_their_nouns(name: str, n: int) -> None:
    text = TEXTS[name](n)
    for noun in NOUNS:
        if n == 1:
            assert not re.search(rf"\b1 {noun}s\b", text), (name, text)
        else:
            assert not re.search(rf"\b{n} {noun}\b(?!s)", text), (name, text)
    assert not re.search(r"\b1 of them still have\b", text), (name, text)


def test_plural_of_nouns() -> None:
    assert [count_of(n, "running instance") for n in (0, 1, 2)] == [
        "0 running instances", "1 running instance", "2 running instances"]
    assert plural(2, "entry") == "entries" and plural(1, "entry") == "entry"
    assert count_of(1234, "condition") == "1,234 conditions"
