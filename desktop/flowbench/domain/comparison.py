"""Two definitions side by side: trigger, description and every step aligned by id.

The comparison works on the definitions' JSON form (``to_dict``), field by field, so a
field or step kind added later (a split's conditions, a child's ``path``) is compared
like any other without changes here. It feeds the publish summary's value-by-value
changes (``changes.py``), the Versions tab's comparison and ``flowbench diff``; offline
sync can compare a base with each side (``compare_definitions(base, mine)`` and
``compare_definitions(base, theirs)``) and align the two by step id (``aligned_ids``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flowbench.domain.definition import STEP_FIELDS, TRIGGER_FIELDS, FlowDefinition

Definition = FlowDefinition | Mapping[str, Any]
STEP_HEAD = ("kind", "parent")  # shown first, before the kind's own fields


class StepState(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class FieldDiff:
    """One field on both sides (None where a side does not have it)."""

    name: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        return bool(self.before != self.after)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.name, "before": self.before, "after": self.after,
                "changed": self.changed}


@dataclass(frozen=True)
class StepDiff:
    """One step id on both sides: every field either side has, in display order."""

    id: str
    state: StepState
    before: Mapping[str, Any] | None  # the step's JSON form on each side (None: absent)
    after: Mapping[str, Any] | None
    fields: tuple[FieldDiff, ...]
    depth: int  # its depth in the tree it is shown in (the new one; removed: the old one)

    @property
    def changed_fields(self) -> list[FieldDiff]:
        return [f for f in self.fields if f.changed]

    def field(self, name: str) -> FieldDiff | None:
        return next((f for f in self.fields if f.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": str(self.state), "before": self.before,
                "after": self.after, "depth": self.depth,
                "changed_fields": [f.name for f in self.changed_fields],
                "fields": [f.to_dict() for f in self.fields]}


@dataclass(frozen=True)
class DefinitionDiff:
    trigger: tuple[FieldDiff, ...]
    description: FieldDiff
    steps: tuple[StepDiff, ...]

    @property
    def trigger_changed(self) -> bool:
        return any(f.changed for f in self.trigger)

    @property
    def changed(self) -> bool:
        return (self.trigger_changed or self.description.changed
                or any(s.state != StepState.SAME for s in self.steps))

    def step(self, step_id: str) -> StepDiff | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def in_state(self, state: StepState) -> list[StepDiff]:
        return [s for s in self.steps if s.state == state]

    def to_dict(self) -> dict[str, Any]:
        return {"trigger": [f.to_dict() for f in self.trigger],
                "description": self.description.to_dict(),
                "steps": [s.to_dict() for s in self.steps]}


def _as_dict(definition: Definition | None) -> dict[str, Any]:
    if definition is None:
        return {"description": "", "trigger": {}, "steps": []}
    if isinstance(definition, FlowDefinition):
        return definition.to_dict()
    return {"description": definition.get("description") or "",  # as given: every field
            "trigger": dict(definition.get("trigger") or {}),
            "steps": [dict(step) for step in definition.get("steps") or ()
                      if isinstance(step, Mapping)]}


def _ordered_names(known: Iterable[str], *sides: Mapping[str, Any] | None) -> list[str]:
    names = list(dict.fromkeys(known))
    extra = sorted({key for side in sides if side for key in side} - set(names) - {"id"})
    present = {key for side in sides if side for key in side}
    return [n for n in names if n in present or n in STEP_HEAD] + extra


def _fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
            known: Iterable[str]) -> tuple[FieldDiff, ...]:
    names = _ordered_names(known, before, after)
    return tuple(FieldDiff(name, (before or {}).get(name), (after or {}).get(name))
                 for name in names)


def _walk(steps: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Tree order with depths (the same walk as ``FlowDefinition.walk``)."""
    definition = FlowDefinition.from_dict({"steps": steps})
    order = [(depth, step.id) for depth, step in definition.walk()]
    by_id: dict[str, dict[str, Any]] = {}
    for step in steps:
        by_id.setdefault(str(step.get("id", "")), step)
    return [(depth, by_id[step_id]) for depth, step_id in order if step_id in by_id]


def compare_definitions(old: Definition | None, new: Definition | None) -> DefinitionDiff:
    """``old`` and ``new`` side by side (None: an empty definition on that side)."""
    before, after = _as_dict(old), _as_dict(new)
    trigger_names = ["kind"] + [name for kind in (after["trigger"].get("kind"),
                                                  before["trigger"].get("kind"))
                                for name in TRIGGER_FIELDS.get(str(kind), ())]
    trigger = _fields(before["trigger"], after["trigger"], trigger_names)
    description = FieldDiff("description", before.get("description") or "",
                            after.get("description") or "")
    old_walk, new_walk = _walk(before["steps"]), _walk(after["steps"])
    old_by_id = {str(step["id"]): (depth, step) for depth, step in old_walk}
    new_ids = {str(step["id"]) for _, step in new_walk}
    rows: list[StepDiff] = []
    for depth, step in new_walk:
        step_id = str(step["id"])
        earlier = old_by_id.get(step_id)
        old_step = earlier[1] if earlier else None
        known = STEP_HEAD + STEP_FIELDS.get(str(step.get("kind")), ()) + (
            STEP_FIELDS.get(str(old_step.get("kind")), ()) if old_step else ())
        fields = _fields(old_step, step, known)
        state = (StepState.ADDED if old_step is None else
                 StepState.CHANGED if any(f.changed for f in fields) else StepState.SAME)
        rows.append(StepDiff(step_id, state, old_step, step, fields, depth))
    # Removed steps go right after the step that preceded them in the old tree.
    placed = [row.id for row in rows]
    previous: str | None = None
    for depth, step in old_walk:
        step_id = str(step["id"])
        if step_id not in new_ids:
            known = STEP_HEAD + STEP_FIELDS.get(str(step.get("kind")), ())
            row = StepDiff(step_id, StepState.REMOVED, step, None,
                           _fields(step, None, known), depth)
            at = placed.index(previous) + 1 if previous in placed else 0
            rows.insert(at, row)
            placed.insert(at, step_id)
        previous = step_id
    return DefinitionDiff(trigger, description, tuple(rows))


def aligned_ids(*diffs: DefinitionDiff) -> list[str]:
    """Step ids of several comparisons with one base, in one order (first seen first)."""
    return list(dict.fromkeys(step.id for diff in diffs for step in diff.steps))
