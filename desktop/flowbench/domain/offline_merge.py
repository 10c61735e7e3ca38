"""Resolving an offline conflict: mine, theirs, or a choice per part of the flow.

The parts are the trigger, the description and every step by id (a step either side
has). Taking a side for a step takes that side's step as it is — or its absence, when
that side removed it. The result keeps the team's step order, with steps only mine has
after the step that precedes them in mine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flowbench.domain.comparison import compare_definitions
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


# --- the three sides, part by part (for the conflict view) -------------------------------

@dataclass(frozen=True)
class ConflictPart:
    """One part (trigger, description or a step) on the base, mine and theirs, with the
    fields each side changed from the base."""

    key: str  # TRIGGER, DESCRIPTION or a step id
    base: Any  # the part's JSON form on each side; None where a side does not have it
    mine: Any
    theirs: Any
    mine_changed: tuple[str, ...]
    theirs_changed: tuple[str, ...]

    @property
    def label(self) -> str:
        return {TRIGGER: "Trigger", DESCRIPTION: "Description"}.get(self.key,
                                                                    f"Step “{self.key}”")

    @property
    def differs(self) -> bool:
        return bool(self.mine != self.theirs)

    @property
    def suggested(self) -> Side | None:
        """The side that changed it when only one did; None when both did (or neither)."""
        if self.mine_changed and not self.theirs_changed:
            return Side.MINE
        if self.theirs_changed and not self.mine_changed:
            return Side.THEIRS
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.key, "base": self.base, "mine": self.mine,
                "theirs": self.theirs, "mine_changed": list(self.mine_changed),
                "theirs_changed": list(self.theirs_changed)}


def conflict_parts(base: FlowDefinition | None, mine: FlowDefinition,
                   theirs: FlowDefinition) -> list[ConflictPart]:
    """Trigger, description and every step (aligned by id) on the three sides."""
    origin = base or FlowDefinition()
    base_diffs = (compare_definitions(origin, mine), compare_definitions(origin, theirs))
    parts = [ConflictPart(TRIGGER, origin.trigger.to_dict(), mine.trigger.to_dict(),
                          theirs.trigger.to_dict(),
                          *(tuple(f.name for f in diff.trigger if f.changed)
                            for diff in base_diffs)),
             ConflictPart(DESCRIPTION, origin.description, mine.description,
                          theirs.description,
                          *((("description",) if diff.description.changed else ())
                            for diff in base_diffs))]
    for step_id in step_ids(mine, theirs) + [s.id for s in origin.steps
                                             if mine.step(s.id) is None
                                             and theirs.step(s.id) is None]:
        at_base, at_mine, at_theirs = (side.step(step_id) for side in (origin, mine, theirs))
        mine_row, theirs_row = (diff.step(step_id) for diff in base_diffs)
        parts.append(ConflictPart(
            step_id, at_base.to_dict() if at_base else None,
            at_mine.to_dict() if at_mine else None,
            at_theirs.to_dict() if at_theirs else None,
            tuple(f.name for f in mine_row.changed_fields) if mine_row else (),
            tuple(f.name for f in theirs_row.changed_fields) if theirs_row else ()))
    return parts
