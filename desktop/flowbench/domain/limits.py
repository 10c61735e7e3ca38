"""The limits every flow keeps (DESIGN §2), checked wherever a definition comes in.

* at most ``MAX_STEPS`` steps, and no line of steps deeper than ``MAX_DEPTH`` (a root
  step is at depth 1);
* durations (expiry, wait, timeout) of at most 10 years — shorter than a minute is a
  validation error, so a draft may hold it while it is being written;
* texts of bounded length without control characters: names, titles, labels, ids and
  every other short text hold none at all; bodies and the description may hold line
  breaks and tabs.

The checks are generic — every text field of a step, of its buttons and of whatever
values a step kind adds is held to a rule — and linear in the size of the definition.
``breaches`` lists what is past a limit with its place (``steps[4].timeout``);
``check_limits`` refuses the first with a ``LimitExceeded``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flowbench.domain.definition import FlowDefinition, Step
from flowbench.domain.durations import DurationError, DurationTooLong, parse_duration
from flowbench.domain.errors import PlacedInvalidInput
from flowbench.domain.json_input import number_problem
from flowbench.domain.safe_text import text_problem
from flowbench.domain.segment_rules import MAX_VALUE_TEXT

MAX_STEPS = 1_000
MAX_DEPTH = 500
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=10 * 365)  # 10 years (a year counts 365 days)
MAX_NAME = 200
MAX_SHORT_TEXT = 200      # ids, labels, event and segment names, kinds, actions
MAX_TITLE = 1_000         # validation asks for at most 120 to publish
MAX_BODY = 10_000         # validation asks for at most 2,000 to publish
MAX_URL = 2_000
MAX_LIST = 100            # buttons of a card, items of any other list in a step
MAX_NUMBER = 1_000_000    # priorities and any other number in a step

DURATION_FIELDS = frozenset({"expires_after", "duration", "timeout"})
_LONG_TEXT = {"body": MAX_BODY, "description": MAX_BODY}
_TEXT_LIMITS = {"title": MAX_TITLE, "url": MAX_URL, "value": MAX_VALUE_TEXT}
# a decision split's condition values are bounded as a segment rule's are (numbers
# compared with attributes may be large: at most 18 digits, finite)
_RULE_VALUES = frozenset({"value"})


class LimitExceeded(PlacedInvalidInput):
    """A definition past a limit; nothing was written. ``place`` says where."""


@dataclass(frozen=True)
class Breach:
    place: str          # "steps[4].timeout", "description", "steps"
    step: str | None    # the step's id, None for the flow itself
    field: str          # as validation names it: "timeout", "buttons[0].label"
    message: str        # "at most 10 years"


def duration_problem(text: str) -> str | None:
    """'at most 10 years' / 'at least 1 minute' for a readable duration out of bounds;
    None when it is within them or not a duration at all (validation says so)."""
    try:
        value = parse_duration(text)
    except (OverflowError, DurationTooLong):  # whatever parses it, too large is too long
        return "at most 10 years"
    except DurationError:
        return None
    if value > MAX_DURATION:
        return "at most 10 years"
    if value < MIN_DURATION:
        return "at least 1 minute"
    return None


def _text_rule(field: str) -> tuple[int, bool]:
    if field in _LONG_TEXT:
        return _LONG_TEXT[field], True
    return _TEXT_LIMITS.get(field, MAX_SHORT_TEXT), False


def _value_breaches(value: Any, field: str, step: str | None,
                    prefix: str) -> Iterator[Breach]:
    """Breaches inside one field's value (texts, numbers, lists, buttons, objects)."""
    pending: list[tuple[Any, str, str]] = [(value, field, field)]
    while pending:
        item, name, where = pending.pop()
        place = f"{prefix}.{where}" if prefix else where
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, str):
            limit, lines = _text_rule(name)
            problem = text_problem(item, limit, lines=lines)
            if problem is None and name in DURATION_FIELDS:
                found = duration_problem(item)
                problem = found if found == "at most 10 years" else None
            if problem is not None:
                yield Breach(place, step, where, problem)
        elif isinstance(item, int | float) and name in _RULE_VALUES:
            found = number_problem(item)
            if found is not None:
                yield Breach(place, step, where, found.removeprefix("is ").removeprefix(
                    "has "))
        elif isinstance(item, int | float):
            if not math.isfinite(item) or abs(item) > MAX_NUMBER:
                yield Breach(place, step, where, f"at most {MAX_NUMBER:,} either way")
        elif isinstance(item, tuple | list):
            if len(item) > MAX_LIST:
                yield Breach(place, step, where, f"at most {MAX_LIST} items")
                continue
            pending.extend((inner, name, f"{where}[{index}]")
                           for index, inner in reversed(list(enumerate(item))))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            pending.extend((getattr(item, f.name), f.name, f"{where}.{f.name}")
                           for f in reversed(dataclasses.fields(item)))
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                pending.append((str(key), "key", f"{where}.key"))
                pending.append((inner, str(key), f"{where}.{key}"))


def _depth_breach(steps: tuple[Step, ...]) -> Breach | None:
    """The first step deeper than MAX_DEPTH, each step visited once (loops and dangling
    parents count as roots: validation reports them)."""
    parents: dict[str, str | None] = {}
    for step in steps:
        parents.setdefault(step.id, step.parent)
    depth: dict[str, int] = {}
    for step in steps:
        trail: list[str] = []
        on_trail: set[str] = set()
        current: str | None = step.id
        while current is not None and current in parents and current not in depth \
                and current not in on_trail:
            trail.append(current)
            on_trail.add(current)
            current = parents[current]
        level = depth.get(current, 0) if current is not None else 0
        for step_id in reversed(trail):
            level += 1
            depth[step_id] = level
    for index, step in enumerate(steps):
        if depth.get(step.id, 0) > MAX_DEPTH:
            return Breach(f"steps[{index}].parent", step.id, "parent",
                          f"more than {MAX_DEPTH} steps deep (a line of steps is at most "
                          f"{MAX_DEPTH} long)")
    return None


def breaches(definition: FlowDefinition, name: str | None = None) -> Iterator[Breach]:
    """What in the flow is past a limit, in file order; one breach when it has too many
    steps (nothing else is looked at then)."""
    if name is not None:
        problem = text_problem(name, MAX_NAME)
        if problem is not None:
            yield Breach("name", None, "name", problem)
    if len(definition.steps) > MAX_STEPS:
        yield Breach("steps", None, "steps", f"at most {MAX_STEPS:,} steps (this flow has "
                                             f"{len(definition.steps):,})")
        return
    yield from _value_breaches(definition.description, "description", None, "")
    for field in dataclasses.fields(definition.trigger):
        yield from _value_breaches(getattr(definition.trigger, field.name), field.name,
                                   None, "trigger")
    for index, step in enumerate(definition.steps):
        for field in dataclasses.fields(step):
            yield from _value_breaches(getattr(step, field.name), field.name,
                                       step.id if isinstance(step.id, str) else None,
                                       f"steps[{index}]")
    deep = _depth_breach(definition.steps)
    if deep is not None:
        yield deep


def check_limits(definition: FlowDefinition, name: str | None = None) -> None:
    """Refuse (LimitExceeded, naming the place) a definition past any limit."""
    for breach in breaches(definition, name):
        raise LimitExceeded(breach.place, breach.message)
