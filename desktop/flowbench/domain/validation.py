"""Validation of a flow: a list of problems a person understands (DESIGN §2).

Errors block publishing; warnings do not. Each problem names where it belongs: the
flow itself (``step`` None, field ``name``/``steps``), the trigger (``step`` None,
field ``trigger.*``) or a step (its id and field).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from urllib.parse import urlparse

from flowbench.domain.definition import (
    PATHS_BY_PARENT_KIND,
    AwaitedCardAction,
    ButtonAction,
    FlowDefinition,
    Step,
    StepKind,
    StepPath,
    TriggerKind,
    condition_to_dict,
)
from flowbench.domain.durations import DurationError, duration_seconds
from flowbench.domain.limits import MAX_DURATION, MIN_DURATION, Breach, breaches
from flowbench.domain.segment_rules import RuleError, parse_condition
from flowbench.domain.step_names import card_words, step_words

EVENT_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")
STEP_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
LONG_DURATION_SECONDS = 366 * 86400  # longer than a year: allowed, but worth a look
MAX_DURATION_SECONDS = int(MAX_DURATION.total_seconds())
MIN_DURATION_SECONDS = int(MIN_DURATION.total_seconds())
MAX_TITLE = 120
MAX_BODY = 2000
_BUTTON_ACTIONS = frozenset(a.value for a in ButtonAction)
_AWAITED_ACTIONS = frozenset(a.value for a in AwaitedCardAction)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    step: str | None
    field: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def to_dict(self) -> dict[str, str | None]:
        return {"severity": str(self.severity), "step": self.step, "field": self.field,
                "message": self.message}


def has_errors(problems: Collection[Problem]) -> bool:
    return any(problem.is_error for problem in problems)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, step: str | None, field: str, message: str) -> None:
        self.problems.append(Problem(Severity.ERROR, step, field, message))

    def warning(self, step: str | None, field: str, message: str) -> None:
        self.problems.append(Problem(Severity.WARNING, step, field, message))


def validate(name: str, definition: FlowDefinition,
             known_segments: Collection[str] = (),
             removed_cards: Mapping[str, str] | None = None,
             known_attributes: Collection[str] | None = None) -> list[Problem]:
    """Every problem of the flow ``name`` with ``definition``; empty when it is sound.

    ``removed_cards`` (step id → title) names cards removed while editing, so a step
    still pointing at one says which card it was. ``known_attributes``: the customer
    attributes the workspace knows (None: not checked); a decision split on another
    attribute gets a warning.
    """
    out = _Collector()
    if not name or not name.strip():
        out.error(None, "name", "The flow needs a name.")
    elif len(name) > 200:
        out.error(None, "name", "The flow name is longer than 200 characters.")
    limits = list(breaches(definition, name))
    if any(breach.field == "steps" for breach in limits):
        out.error(None, "steps", f"The flow has too many steps: {limits[-1].message}.")
        return out.problems  # nothing else is looked at in a flow that large
    _validate_trigger(definition, known_segments, out)
    _validate_tree(definition, out)
    attributes = None if known_attributes is None else frozenset(known_attributes)
    for step in definition.steps:
        _validate_step(definition, step, out, removed_cards or {})
        _check_path(definition, step, out)
        if step.kind == StepKind.SPLIT:
            _validate_split(step, attributes, out)
    _add_limits(limits, out)
    return out.problems


def _add_limits(limits: list[Breach], out: _Collector) -> None:
    """Limits (``domain.limits``) broken where no other problem was found already."""
    if not limits:
        return
    reported = {(problem.step, problem.field) for problem in out.problems}
    for breach in limits:
        field = breach.field if breach.step is not None else breach.place
        if (breach.step, field) not in reported:
            reported.add((breach.step, field))
            out.error(breach.step, field, f"{breach.place}: {breach.message}.")


def _validate_trigger(definition: FlowDefinition, known_segments: Collection[str],
                      out: _Collector) -> None:
    trigger = definition.trigger
    if trigger.kind == TriggerKind.API_EVENT:
        event = (trigger.event or "").strip()
        if not event:
            out.error(None, "trigger.event", "The API event trigger needs an event name.")
        elif not EVENT_NAME.fullmatch(trigger.event or ""):
            out.error(None, "trigger.event",
                      f"'{trigger.event}' is not a valid event name: use letters, digits, "
                      "'_', '.' or '-', at most 100 characters.")
    elif trigger.kind == TriggerKind.SEGMENT_ENTERED:
        segment = (trigger.segment or "").strip()
        if not segment:
            out.error(None, "trigger.segment", "The segment trigger needs a segment.")
        elif trigger.segment not in set(known_segments):
            out.error(None, "trigger.segment",
                      f"The workspace has no segment named '{trigger.segment}'.")
    elif trigger.kind != TriggerKind.MANUAL:
        out.error(None, "trigger.kind", f"'{trigger.kind}' is not a known trigger kind.")


def _validate_tree(definition: FlowDefinition, out: _Collector) -> None:
    if not definition.steps:
        out.error(None, "steps", "The flow has no steps: add at least one.")
        return
    seen: set[str] = set()
    for step in definition.steps:
        if step.id in seen:
            out.error(step.id, "id", f"Two steps share the id '{step.id}'.")
        seen.add(step.id)
        if not STEP_ID.fullmatch(step.id or ""):
            out.error(step.id, "id", "A step id uses letters, digits, '_', '.' or '-' "
                                     "(1 to 64 characters).")
    ids = {step.id for step in definition.steps}
    for step in definition.steps:
        if step.parent is None:
            continue
        if step.parent == step.id:
            out.error(step.id, "parent", f"{_first_up(step_words(step, definition))} "
                                         "cannot follow itself.")
        elif step.parent not in ids:
            out.error(step.id, "parent", f"{_first_up(step_words(step, definition))} "
                                         f"follows a step that does not exist "
                                         f"(“{step.parent}”).")
    # cycles: walk up from each step; a loop never reaches a root. Each step is walked
    # through once: a walk stops at a step an earlier walk already settled.
    parents = {step.id: step.parent for step in definition.steps}
    settled: set[str] = set()
    reported: set[str] = set()
    for step in definition.steps:
        trail: list[str] = []
        on_trail: dict[str, int] = {}
        current: str | None = step.id
        while current is not None and current in parents and current not in on_trail \
                and current not in settled:
            on_trail[current] = len(trail)
            trail.append(current)
            current = parents[current]
        settled.update(trail)
        if current is not None and current in on_trail:
            loop = trail[on_trail[current]:]
            key = min(loop)
            if key not in reported and len(loop) > 1:  # a self-loop is reported above
                reported.add(key)
                out.error(key, "parent", "These steps follow each other in a loop: "
                                         + " → ".join(sorted(loop)) + ".")


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _parse_duration(value: str) -> tuple[int | None, str]:
    """(seconds, "") or (None, what is wrong)."""
    try:
        return duration_seconds(value), ""
    except DurationError as exc:
        return None, str(exc)


_cached_duration = lru_cache(maxsize=512)(_parse_duration)  # flows repeat a few durations


def _duration(value: str) -> tuple[int | None, str]:
    return _cached_duration(value) if isinstance(value, str) else _parse_duration(value)


def _check_duration(step: Step, field: str, value: str | None, required: bool,
                    out: _Collector, label: str) -> None:
    if value is None or value == "":
        if required:
            out.error(step.id, field, f"The {label} is missing.")
        return
    seconds, problem = _duration(value)
    if seconds is None:
        out.error(step.id, field, f"The {label} {problem}.")
        return
    if seconds <= 0:
        out.error(step.id, field, f"The {label} must be longer than zero.")
    elif seconds > MAX_DURATION_SECONDS:
        out.error(step.id, field, f"The {label} is too long: at most 10 years.")
    elif seconds < MIN_DURATION_SECONDS:
        out.error(step.id, field, f"The {label} is under a minute: at least 1 minute.")
    elif seconds > LONG_DURATION_SECONDS:
        out.warning(step.id, field, f"The {label} is longer than a year; check it.")


def _check_text(step: Step, field: str, value: str | None, limit: int, label: str,
                out: _Collector) -> None:
    if value is None or not value.strip():
        out.error(step.id, field, f"The {label} is empty.")
    elif len(value) > limit:
        out.error(step.id, field, f"The {label} is longer than {limit} characters.")


def _is_card_step(definition: FlowDefinition, step_id: str | None) -> bool:
    target = definition.step(step_id) if step_id else None
    return target is not None and target.kind == StepKind.SEND_CARD


def _is_card_ancestor(definition: FlowDefinition, card: str, step_id: str) -> bool:
    """Whether ``card`` is a send-card step among the step's ancestors."""
    found = definition.ancestor(card, step_id)
    return found is not None and found.kind == StepKind.SEND_CARD


def _gone_card(card: str, removed: Mapping[str, str]) -> str:
    """A card no longer in the flow, named by its title when it was removed while
    editing: 'the card “Welcome!”, which was removed'."""
    title = (removed.get(card) or "").strip()
    if title:
        return f"the card “{title}”, which was removed from the flow"
    return f"a card that is no longer in the flow (step “{card}”)"


def _validate_step(definition: FlowDefinition, step: Step, out: _Collector,
                   removed: Mapping[str, str]) -> None:
    kind = step.kind
    if kind == StepKind.SEND_CARD:
        _check_text(step, "title", step.title, MAX_TITLE, "card title", out)
        _check_text(step, "body", step.body, MAX_BODY, "card body", out)
        for index, button in enumerate(step.buttons):
            where = f"buttons[{index}]"
            if not button.label.strip():
                out.error(step.id, f"{where}.label", f"Button {index + 1} has no label.")
            if button.action not in _BUTTON_ACTIONS:
                out.error(step.id, f"{where}.action",
                          f"Button {index + 1} has the unknown action '{button.action}'; "
                          "use submit, dismiss or link.")
            elif button.action == ButtonAction.LINK:
                parsed = urlparse(button.url or "")
                if not button.url:
                    out.error(step.id, f"{where}.url",
                              f"Button {index + 1} is a link but has no URL.")
                elif parsed.scheme not in {"http", "https"} or not parsed.netloc:
                    out.error(step.id, f"{where}.url",
                              f"Button {index + 1}'s URL '{button.url}' is not a web address.")
        _check_duration(step, "expires_after", step.expires_after, False, out, "expiry")
        if step.priority is not None and not (1 <= step.priority <= 10):
            out.error(step.id, "priority", "The priority must be between 1 and 10.")
    elif kind == StepKind.SEND_PUSH:
        _check_text(step, "title", step.title, MAX_TITLE, "push title", out)
        _check_text(step, "body", step.body, MAX_BODY, "push body", out)
        linked = definition.step(step.card) if step.card else None
        if step.card and linked is None:
            out.error(step.id, "card", f"The push links to {_gone_card(step.card, removed)}"
                                       "; choose another card.")
        elif linked is not None and linked.kind != StepKind.SEND_CARD:
            out.error(step.id, "card", f"The push links to {step_words(linked, definition)}, "
                                       "which does not send a card.")
    elif kind == StepKind.WAIT_DURATION:
        _check_duration(step, "duration", step.duration, True, out, "wait")
    elif kind == StepKind.WAIT_CARD_ACTION:
        if not step.card:
            out.error(step.id, "card", "Choose the card step to wait for.")
        elif definition.step(step.card) is None:
            out.error(step.id, "card", f"This waits for {_gone_card(step.card, removed)}; "
                                       "choose another card.")
        elif not _is_card_step(definition, step.card):
            target = definition.step(step.card)
            assert target is not None
            out.error(step.id, "card", f"{_first_up(step_words(target, definition))} does "
                                       "not send a card, so it cannot be waited for.")
        elif not _is_card_ancestor(definition, step.card, step.id):
            out.error(step.id, "card", f"The card {card_words(definition, step.card)} is "
                                       "not sent before this step, so it cannot be waited "
                                       "for here.")
        if not step.action:
            out.error(step.id, "action", "Choose the card action to wait for: submitted, "
                                         "dismissed, cancelled, expired or closed (any).")
        elif step.action not in _AWAITED_ACTIONS:
            out.error(step.id, "action", f"'{step.action}' is not a card action to wait for; "
                                         "use submitted, dismissed, cancelled, expired or "
                                         "any (closed in any way).")
        _check_duration(step, "timeout", step.timeout, False, out, "timeout")
        timed = step.timeout is not None and (_duration(step.timeout)[0] or 0) > 0
        if timed and not any(child.path == StepPath.OTHERWISE
                             for child in definition.children(step.id)):
            out.warning(step.id, "timeout", "No step is on the otherwise path: on timeout "
                                            "this branch ends.")
    elif kind == StepKind.SPLIT:
        pass  # see _validate_split
    else:
        out.error(step.id, "kind", f"'{kind}' is not a known step kind.")


def _check_path(definition: FlowDefinition, step: Step, out: _Collector) -> None:
    """A step's ``path`` must be one its parent offers (a wait: none or otherwise; a
    split: yes or no); no other parent has paths."""
    parent = definition.step(step.parent) if step.parent else None
    if parent is None:
        if step.path is not None:
            out.error(step.id, "path", "Only a step right after a wait for a card action or "
                                       "a decision split can be on a path.")
        return
    offered = PATHS_BY_PARENT_KIND.get(parent.kind)
    if offered is None:
        if step.path is not None:
            out.error(step.id, "path", f"The step before this one ('{parent.id}') has no "
                                       "paths: only a wait for a card action or a decision "
                                       "split does.")
    elif step.path not in offered:
        if parent.kind == StepKind.SPLIT:
            out.error(step.id, "path", "A step right after a decision split runs on its "
                                       "“yes” or its “no” path: choose one.")
        else:
            out.error(step.id, "path", f"'{step.path}' is not a path of a wait for a card "
                                       "action: leave it out (the awaited action) or use "
                                       "“otherwise”.")


def _validate_split(step: Step, known_attributes: frozenset[str] | None,
                    out: _Collector) -> None:
    if step.match not in ("all", "any"):
        out.error(step.id, "match", "Choose whether all or any of the conditions must hold.")
    if not step.conditions:
        out.error(step.id, "conditions", "A decision split needs at least one condition.")
    for index, condition in enumerate(step.conditions):
        where = f"conditions[{index}]"
        try:
            parse_condition(condition_to_dict(condition), f"Condition {index + 1}")
        except RuleError as error:
            out.error(step.id, where, str(error))
            continue
        if known_attributes is not None and condition.attribute not in known_attributes:
            out.warning(step.id, where, f"Condition {index + 1}: no customer has the "
                                        f"attribute '{condition.attribute}'; check its "
                                        "spelling.")
