"""Resolving an offline conflict: mine, theirs, or a choice per part of the flow.

The parts are the trigger, the description and every step by id (a step either side
has). Taking a side for a step takes that side's step as it is — or its absence, when
that side removed it. The result keeps the team's step order, with steps only mine has
after the step that precedes them in mine.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from flowbench.domain.definition import FlowDefinition, Step
from flowbench.domain.errors import InvalidInput

TRIGGER, DESCRIPTION = "trigger", "description"


class Side(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"


def parse_side(text: str) -> Side:
    try:
        return Side(text.strip().lower())
    except ValueError:
        raise InvalidInput(f"'{text}' is not a side: keep 'mine' or 'theirs'.") from None


def step_ids(mine: FlowDefinition, theirs: FlowDefinition) -> list[str]:
    """Every step id either side has: the team's order, mine's own ones placed after
    the step that precedes them in mine."""
    order = [step.id for step in theirs.steps]
    previous: str | None = None
    for step in mine.steps:
        if step.id not in order:
            at = order.index(previous) + 1 if previous in order else len(order)
            order.insert(at, step.id)
        previous = step.id
    return order


def merge(mine: FlowDefinition, theirs: FlowDefinition,
          choices: Mapping[str, Side], default: Side = Side.THEIRS) -> FlowDefinition:
    """The definition made of each part from the side chosen for it (``default`` for
    parts not chosen). Unknown parts in ``choices`` are refused."""
    known = set(step_ids(mine, theirs)) | {TRIGGER, DESCRIPTION}
    unknown = sorted(set(choices) - known)
    if unknown:
        raise InvalidInput(f"Neither side has a step '{unknown[0]}'.")

    def side(part: str) -> FlowDefinition:
        return mine if choices.get(part, default) == Side.MINE else theirs

    steps: list[Step] = []
    for step_id in step_ids(mine, theirs):
        chosen = side(step_id).step(step_id)
        if chosen is not None:
            steps.append(chosen)
    return FlowDefinition(trigger=side(TRIGGER).trigger, steps=tuple(steps),
                          description=side(DESCRIPTION).description)
