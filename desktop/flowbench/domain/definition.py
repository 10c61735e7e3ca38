"""The flow definition: one trigger plus a tree of steps (DESIGN §2).

Definitions are immutable values. Editing produces a new definition; the JSON form
(``to_dict``/``from_dict``) is what the store keeps and what the content hash covers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from flowbench.domain.segment_rules import NO_VALUE_OPS, Condition


class TriggerKind(StrEnum):
    API_EVENT = "api_event"
    SEGMENT_ENTERED = "segment_entered"
    MANUAL = "manual"


class StepKind(StrEnum):
    SEND_CARD = "send_card"
    SEND_PUSH = "send_push"
    WAIT_DURATION = "wait_duration"
    WAIT_CARD_ACTION = "wait_card_action"
    SPLIT = "split"


class ButtonAction(StrEnum):
    SUBMIT = "submit"
    DISMISS = "dismiss"
    LINK = "link"


class AwaitedCardAction(StrEnum):
    SUBMITTED = "submitted"
    DISMISSED = "dismissed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ANY = "any"


TRIGGER_LABELS = {
    TriggerKind.API_EVENT: "API event",
    TriggerKind.SEGMENT_ENTERED: "Segment entered",
    TriggerKind.MANUAL: "Manual",
}

STEP_LABELS = {
    StepKind.SEND_CARD: "Send card",
    StepKind.SEND_PUSH: "Send push notification",
    StepKind.WAIT_DURATION: "Wait for a duration",
    StepKind.WAIT_CARD_ACTION: "Wait for a card action",
    StepKind.SPLIT: "Decision split",
}

# The fields each step kind uses, besides id, kind and parent (in display order).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    StepKind.SEND_CARD: ("title", "body", "buttons", "expires_after", "priority"),
    StepKind.SEND_PUSH: ("title", "body", "card"),
    StepKind.WAIT_DURATION: ("duration",),
    StepKind.WAIT_CARD_ACTION: ("card", "action", "timeout"),
    StepKind.SPLIT: ("match", "conditions"),
}

# The paths a step's children may take (``"path"`` on the child), by the parent's kind.
# A wait for a card action runs its children without a path on the awaited action and
# those on "otherwise" when the timeout passes or the card closes another way; a decision
# split runs its "yes" or its "no" children.
class StepPath(StrEnum):
    OTHERWISE = "otherwise"
    YES = "yes"
    NO = "no"


PATHS_BY_PARENT_KIND: dict[str, tuple[str | None, ...]] = {
    StepKind.WAIT_CARD_ACTION: (None, StepPath.OTHERWISE.value),
    StepKind.SPLIT: (StepPath.YES.value, StepPath.NO.value),
}

TRIGGER_FIELDS: dict[str, tuple[str, ...]] = {
    TriggerKind.API_EVENT: ("event",),
    TriggerKind.SEGMENT_ENTERED: ("segment",),
    TriggerKind.MANUAL: (),
}


@dataclass(frozen=True)
class Trigger:
    kind: str = TriggerKind.MANUAL.value
    event: str | None = None
    segment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": str(self.kind)}
        for name in TRIGGER_FIELDS.get(self.kind, ("event", "segment")):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Trigger:
        return cls(kind=str(data.get("kind", "")), event=data.get("event"),
                   segment=data.get("segment"))


@dataclass(frozen=True)
class Button:
    label: str
    action: str = ButtonAction.SUBMIT.value
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "action": str(self.action)}
        if self.url is not None:
            data["url"] = self.url
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Button:
        return cls(label=str(data.get("label", "")), action=str(data.get("action", "")),
                   url=data.get("url"))


def condition_from_dict(data: Any) -> Condition:
    """A split's condition as kept in a definition; tolerant: validation judges it.

    A list value is kept as a tuple, so that steps stay hashable values."""
    if not isinstance(data, Mapping):
        return Condition("", "", None)
    value = data.get("value")
    if isinstance(value, list):
        value = tuple(value)
    return Condition(str(data.get("attribute") or ""), str(data.get("op") or ""), value)


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    data: dict[str, Any] = {"attribute": condition.attribute, "op": condition.op}
    if condition.op not in NO_VALUE_OPS:
        value = condition.value
        data["value"] = list(value) if isinstance(value, tuple) else value
    return data


@dataclass(frozen=True)
class Step:
    """One step. Only the fields of its kind (``STEP_FIELDS``) are meaningful."""

    id: str
    kind: str
    parent: str | None = None
    title: str | None = None
    body: str | None = None
    buttons: tuple[Button, ...] = ()
    expires_after: str | None = None
    priority: int | None = None
    card: str | None = None
    duration: str | None = None
    action: str | None = None
    timeout: str | None = None
    path: str | None = None  # the parent's path this step is on (see PATHS_BY_PARENT_KIND)
    match: str | None = None  # a split's rule: "all" or "any" of its conditions
    conditions: tuple[Condition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": str(self.kind)}
        if self.parent is not None:
            data["parent"] = self.parent
        if self.path is not None:
            data["path"] = self.path
        for name in STEP_FIELDS.get(self.kind, ()):
            value = getattr(self, name)
            if name == "buttons":
                if value:
                    data["buttons"] = [button.to_dict() for button in value]
            elif name == "conditions":
                if value:
                    data["conditions"] = [condition_to_dict(c) for c in value]
            elif value is not None:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Step:
        buttons = tuple(Button.from_dict(b) for b in data.get("buttons") or ())
        return cls(
            id=str(data.get("id", "")), kind=str(data.get("kind", "")),
            parent=data.get("parent"), title=data.get("title"), body=data.get("body"),
            buttons=buttons, expires_after=data.get("expires_after"),
            priority=data.get("priority"), card=data.get("card"),
            duration=data.get("duration"), action=data.get("action"),
            timeout=data.get("timeout"), path=data.get("path"), match=data.get("match"),
            conditions=tuple(condition_from_dict(c) for c in data.get("conditions") or ()),
        )

    def with_changes(self, **changes: Any) -> Step:
        return replace(self, **changes)


@dataclass(frozen=True)
class FlowDefinition:
    """What a version holds: description, trigger and steps."""

    trigger: Trigger = field(default_factory=Trigger)
    steps: tuple[Step, ...] = ()
    description: str = ""

    # --- serialisation -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "trigger": self.trigger.to_dict(),
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlowDefinition:
        return cls(
            description=str(data.get("description") or ""),
            trigger=Trigger.from_dict(data.get("trigger") or {}),
            steps=tuple(Step.from_dict(s) for s in data.get("steps") or ()),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> FlowDefinition:
        return cls.from_dict(json.loads(text))

    def content_hash(self) -> str:
        """A hash of the content: equal for equal content, whatever the save history."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    # --- tree queries ---------------------------------------------------------------
    # The indexes below are built once per definition (definitions are immutable) and
    # kept in the instance's __dict__ by cached_property, outside the dataclass fields:
    # equality, hashing and replace() do not see them.
    @cached_property
    def _first_by_id(self) -> dict[str, Step]:
        by_id: dict[str, Step] = {}
        for step in self.steps:
            by_id.setdefault(step.id, step)
        return by_id

    @cached_property
    def _last_by_id(self) -> dict[str, Step]:
        return {step.id: step for step in self.steps}

    @cached_property
    def _children_of(self) -> dict[str | None, tuple[Step, ...]]:
        children: dict[str | None, list[Step]] = {}
        for step in self.steps:
            children.setdefault(step.parent, []).append(step)
        return {parent: tuple(found) for parent, found in children.items()}

    def step(self, step_id: str) -> Step | None:
        return self._first_by_id.get(step_id)

    def children(self, step_id: str | None) -> list[Step]:
        return list(self._children_of.get(step_id, ()))

    def roots(self) -> list[Step]:
        return self.children(None)

    def ancestors(self, step_id: str) -> list[Step]:
        """Parents up to a root, nearest first; stops at cycles and dangling parents."""
        by_id = self._last_by_id
        result: list[Step] = []
        seen = {step_id}
        current = by_id.get(step_id)
        while current is not None and current.parent is not None:
            parent = by_id.get(current.parent)
            if parent is None or parent.id in seen:
                break
            seen.add(parent.id)
            result.append(parent)
            current = parent
        return result

    @cached_property
    def _spans(self) -> dict[str, tuple[int, int]]:
        """(entry, exit) of a depth-first visit for each step id whose parents lead to a
        root or a missing parent; steps in or below a loop are left out."""
        by_id = self._last_by_id
        below: dict[str | None, list[str]] = {}
        for step_id, step in by_id.items():
            parent = step.parent if step.parent in by_id else None
            below.setdefault(parent, []).append(step_id)
        spans: dict[str, tuple[int, int]] = {}
        clock = 0
        entered: dict[str, int] = {}
        stack: list[tuple[str | None, Iterator[str]]] = [(None, iter(below.get(None, ())))]
        while stack:
            owner, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                if owner is not None:
                    spans[owner] = (entered[owner], clock)
                continue
            clock += 1
            entered[child] = clock
            stack.append((child, iter(below.get(child, ()))))
        return spans

    def ancestor(self, ancestor_id: str, step_id: str) -> Step | None:
        """The step ``ancestor_id`` if it is among ``ancestors(step_id)``, else None —
        without walking up the tree (large flows check this for many steps)."""
        spans = self._spans
        below = spans.get(step_id)
        if below is None:  # in or under a loop: walk up the slow way
            return next((a for a in self.ancestors(step_id) if a.id == ancestor_id), None)
        above = spans.get(ancestor_id)
        if above is not None and above[0] < below[0] and below[1] <= above[1]:
            return self._last_by_id[ancestor_id]
        return None

    def walk(self) -> Iterator[tuple[int, Step]]:
        """Steps in tree order (depth, step); steps unreachable from the roots come last."""
        visited: set[str] = set()
        children = self._children_of
        # An explicit stack, not recursion: a long line of steps is as deep as it is long.
        stack: list[tuple[int, Iterator[Step]]] = [(0, iter(children.get(None, ())))]
        while stack:
            depth, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                stack.pop()
                continue
            if step.id in visited:
                continue
            visited.add(step.id)
            yield depth, step
            stack.append((depth + 1, iter(children.get(step.id, ()))))
        for step in self.steps:
            if step.id not in visited:
                visited.add(step.id)
                yield 0, step

    # --- editing (each returns a new definition) -----------------------------------
    def with_trigger(self, trigger: Trigger) -> FlowDefinition:
        return replace(self, trigger=trigger)

    def with_description(self, description: str) -> FlowDefinition:
        return replace(self, description=description)

    def with_step(self, updated: Step) -> FlowDefinition:
        return replace(self, steps=tuple(updated if s.id == updated.id else s
                                         for s in self.steps))

    def with_steps(self, steps: tuple[Step, ...] | list[Step]) -> FlowDefinition:
        return replace(self, steps=tuple(steps))

    def new_step_id(self, kind: str) -> str:
        taken = {step.id for step in self.steps}
        stem = {"send_card": "card", "send_push": "push", "wait_duration": "wait",
                "wait_card_action": "await", "split": "split"}.get(kind, "step")
        number = 1
        while f"{stem}_{number}" in taken:
            number += 1
        return f"{stem}_{number}"

    def without_step(self, step_id: str) -> FlowDefinition:
        """Remove a step; its children move up to its parent."""
        removed = self.step(step_id)
        if removed is None:
            return self
        steps = []
        for step in self.steps:
            if step.id == step_id:
                continue
            if step.parent == step_id:
                step = replace(step, parent=removed.parent)
            steps.append(step)
        return replace(self, steps=tuple(steps))


def default_step(kind: str, step_id: str, parent: str | None = None) -> Step:
    """A new step of ``kind`` with sensible starting values."""
    if kind == StepKind.SEND_CARD:
        return Step(id=step_id, kind=kind, parent=parent, title="", body="",
                    buttons=(Button("OK", ButtonAction.SUBMIT.value),), priority=5)
    if kind == StepKind.SEND_PUSH:
        return Step(id=step_id, kind=kind, parent=parent, title="", body="")
    if kind == StepKind.WAIT_DURATION:
        return Step(id=step_id, kind=kind, parent=parent, duration="P1D")
    if kind == StepKind.WAIT_CARD_ACTION:
        return Step(id=step_id, kind=kind, parent=parent, action=AwaitedCardAction.ANY.value)
    if kind == StepKind.SPLIT:
        return Step(id=step_id, kind=kind, parent=parent, match="all")
    return Step(id=step_id, kind=kind, parent=parent)
