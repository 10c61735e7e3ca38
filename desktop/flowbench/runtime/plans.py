"""Definitions compiled for the engine: children by step, durations in seconds.

Compiled plans are cached by content hash (equal content, equal plan), so the live
versions of a thousand flows are parsed once, not once per event batch. A plan tolerates
a definition the validator would refuse: a step it cannot run (unknown kind, unreadable
duration) ends its branch instead of stopping the engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flowbench.domain.definition import (
    PATHS_BY_PARENT_KIND,
    FlowDefinition,
    Step,
    StepKind,
    Trigger,
    condition_to_dict,
)
from flowbench.domain.durations import DurationError, duration_seconds
from flowbench.domain.limits import MAX_DURATION
from flowbench.domain.segment_rules import Rule, RuleError, parse_rule
from flowbench.domain.versions import VersionStatus
from flowbench.runtime import sql

# The card status each awaited action means ("any" is any closed status).
AWAITED_STATUS = {"submitted": "completed", "dismissed": "dismissed",
                  "cancelled": "cancelled", "expired": "expired", "any": "any"}
DEFAULT_PRIORITY = 5


def _seconds(text: str | None) -> int | None:
    if not text:
        return None
    try:
        seconds = duration_seconds(text)
    except DurationError:
        return None
    # past the limit (a definition stored before it): unreadable, not a clock overflow
    return seconds if seconds <= MAX_DURATION.total_seconds() else None


@dataclass(frozen=True)
class StepPlan:
    id: str
    kind: str
    title: str = ""
    body: str = ""
    buttons: str = "[]"  # JSON, as stored on the card
    priority: int = DEFAULT_PRIORITY
    expires_after: int | None = None  # seconds
    card: str | None = None  # the card step a push links to or a wait awaits
    duration: int | None = None  # seconds of a duration wait
    awaited: str | None = None  # card status a card wait awaits, or "any"
    timeout: int | None = None  # seconds
    path: str | None = None  # the parent's path this step is on
    rule: Rule | None = None  # a decision split's rule (None: unreadable)

    @property
    def has_paths(self) -> bool:
        """Whether the step's children run on paths (a card wait, a decision split)."""
        return self.kind in PATHS_BY_PARENT_KIND

    @property
    def runnable(self) -> bool:
        if self.kind in (StepKind.SEND_CARD, StepKind.SEND_PUSH):
            return True
        if self.kind == StepKind.WAIT_DURATION:
            return self.duration is not None
        if self.kind == StepKind.WAIT_CARD_ACTION:
            return self.card is not None and self.awaited is not None
        if self.kind == StepKind.SPLIT:
            return self.rule is not None
        return False


def _step_plan(step: Step) -> StepPlan:
    return StepPlan(
        id=step.id, kind=str(step.kind), title=step.title or "", body=step.body or "",
        buttons=json.dumps([button.to_dict() for button in step.buttons],
                           ensure_ascii=False),
        priority=step.priority if step.priority is not None else DEFAULT_PRIORITY,
        expires_after=_seconds(step.expires_after), card=step.card or None,
        duration=_seconds(step.duration), awaited=AWAITED_STATUS.get(step.action or ""),
        timeout=_seconds(step.timeout), path=step.path,
        rule=_rule(step) if step.kind == StepKind.SPLIT else None)


def _rule(step: Step) -> Rule | None:
    try:
        return parse_rule({"match": step.match or "all",
                           "conditions": [condition_to_dict(c) for c in step.conditions]})
    except RuleError:
        return None


@dataclass(frozen=True)
class FlowPlan:
    trigger: Trigger
    steps: dict[str, StepPlan] = field(default_factory=dict)
    children_of: dict[str | None, tuple[StepPlan, ...]] = field(default_factory=dict)

    def children(self, step_id: str | None) -> tuple[StepPlan, ...]:
        return self.children_of.get(step_id, ())

    def children_on(self, step_id: str | None, path: str | None) -> tuple[StepPlan, ...]:
        """The children that run: of a card wait or a split those on ``path`` (None: the
        awaited action), of any other step all of them."""
        parent = self.steps.get(step_id) if step_id is not None else None
        children = self.children(step_id)
        if parent is None or not parent.has_paths:
            return children
        return tuple(child for child in children if child.path == path)


def compile_plan(definition: FlowDefinition) -> FlowPlan:
    steps = {step.id: _step_plan(step) for step in definition.steps}
    children: dict[str | None, list[StepPlan]] = {}
    for step in definition.steps:
        children.setdefault(step.parent, []).append(steps[step.id])
    return FlowPlan(definition.trigger, steps,
                    {parent: tuple(kids) for parent, kids in children.items()})


_CACHE: dict[str, FlowPlan] = {}
_CACHE_LIMIT = 10_000


def _remember(content_hash: str, definition_json: str) -> FlowPlan:
    plan = _CACHE.get(content_hash)
    if plan is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        plan = compile_plan(FlowDefinition.from_json(definition_json))
        _CACHE[content_hash] = plan
    return plan


def plan_of_version(version_id: int) -> FlowPlan:
    """The plan of one version (any status: test sends run the draft)."""
    row = sql.rows("SELECT content_hash FROM flow_version WHERE id = ?", (version_id,))
    if not row:
        return FlowPlan(Trigger())
    content_hash = row[0][0]
    if content_hash in _CACHE:
        return _CACHE[content_hash]
    definition = sql.scalar("SELECT definition FROM flow_version WHERE id = ?", (version_id,))
    return _remember(content_hash, definition)


@dataclass(frozen=True)
class LiveFlow:
    flow_id: int
    version_id: int
    plan: FlowPlan


def live_flows() -> list[LiveFlow]:
    """The live version of every flow that is not archived."""
    found = sql.rows(
        "SELECT v.flow_id, v.id, v.content_hash FROM flow_version v "
        "JOIN flow f ON f.id = v.flow_id WHERE v.status = ? AND f.archived = ?",
        (VersionStatus.LIVE.value, False))
    missing = [version_id for _, version_id, content_hash in found
               if content_hash not in _CACHE]
    for chunk in sql.chunks(missing):
        for content_hash, definition in sql.rows(
                "SELECT content_hash, definition FROM flow_version WHERE id IN ("
                + sql.placeholders(len(chunk)) + ")", chunk):
            _remember(content_hash, definition)
    return [LiveFlow(flow_id, version_id, _CACHE[content_hash])
            for flow_id, version_id, content_hash in found]


def live_flows_on_event(event: str) -> list[LiveFlow]:
    return [flow for flow in live_flows() if flow.plan.trigger.kind == "api_event"
            and flow.plan.trigger.event == event]


def live_flows_on_segment(segment: str) -> list[LiveFlow]:
    return [flow for flow in live_flows() if flow.plan.trigger.kind == "segment_entered"
            and flow.plan.trigger.segment == segment]
