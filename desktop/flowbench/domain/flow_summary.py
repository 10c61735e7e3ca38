"""A flow's steps in words, paths included (the Publish tab, the dry run, the diagram).

A wait for a card action runs its children without a path on the awaited action and its
"otherwise" children when the timeout passes or the card closes another way; a decision
split runs its "yes" or its "no" children. The summary says so in headings:
"If the card is submitted: … Otherwise: …", "If yes: … If no: …".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flowbench.domain.definition import (
    PATHS_BY_PARENT_KIND,
    FlowDefinition,
    Step,
    StepKind,
    StepPath,
)
from flowbench.domain.segment_rules import Condition
from flowbench.domain.wording import count_of

OP_WORDS = {
    "eq": "is", "neq": "is not", "in": "is one of", "not_in": "is none of",
    "gt": "is more than", "gte": "is at least", "lt": "is less than", "lte": "is at most",
    "exists": "is set", "not_exists": "is not set", "contains": "contains",
}


def _value_words(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_value_words(item) for item in value) or "(nothing)"
    if isinstance(value, str):
        return f"“{value}”"
    return json.dumps(value)


def describe_condition(condition: Condition) -> str:
    """'plan is “pro”', 'country is one of “DE”, “AT”', 'email is set'."""
    words = OP_WORDS.get(condition.op, condition.op or "?")
    if condition.op in ("exists", "not_exists"):
        return f"{condition.attribute or '?'} {words}"
    return f"{condition.attribute or '?'} {words} {_value_words(condition.value)}"


def describe_rule(match: str | None, conditions: Iterable[Condition]) -> str:
    """'plan is “pro”' (one condition), 'all of 2 conditions: a; b', 'any of …'."""
    found = list(conditions)
    if not found:
        return "no conditions yet"
    if len(found) == 1:
        return describe_condition(found[0])
    which = "any" if match == "any" else "all"
    return f"{which} of {count_of(len(found), 'condition')}: " \
           + "; ".join(describe_condition(c) for c in found)


def awaited_words(action: str | None) -> str:
    """The awaited action as a state of the card: 'submitted', 'closed' for any."""
    return "closed" if action in (None, "", "any") else action


def path_label(parent: Step, path: str | None) -> str:
    """The label of the edge from ``parent`` to a child on ``path`` ('' if none)."""
    if parent.kind == StepKind.WAIT_CARD_ACTION:
        return "otherwise" if path == StepPath.OTHERWISE else awaited_words(parent.action)
    if parent.kind == StepKind.SPLIT:
        return path or "no path"
    return ""


def path_heading(parent: Step, path: str | None) -> str:
    """'If the card is submitted:', 'Otherwise:', 'If yes:', 'If no:'."""
    if parent.kind == StepKind.WAIT_CARD_ACTION:
        if path == StepPath.OTHERWISE:
            return "Otherwise:"
        return f"If the card is {awaited_words(parent.action)}:"
    if parent.kind == StepKind.SPLIT:
        return f"If {path}:" if path in (StepPath.YES, StepPath.NO) else "On no path:"
    return ""


def path_words(parent: Step | None, path: str | None) -> str:
    """Where a step runs, for its form: 'on the “submitted” path', 'on the “yes” path'."""
    if parent is None or parent.kind not in PATHS_BY_PARENT_KIND:
        return ""
    return f"on the “{path_label(parent, path)}” path"


MAX_INDENT_LEVELS = 8  # deeper lines keep this indentation and say their level instead


def step_line(depth: int, text: str, level: int | None = None) -> str:
    """One summary line, indented two spaces a level up to MAX_INDENT_LEVELS; deeper lines
    name their level (``level``: the step's place in its line of steps, else the depth
    + 1), so the summary grows linearly with the depth of the flow."""
    if depth <= MAX_INDENT_LEVELS:
        return "  " * depth + text
    return "  " * MAX_INDENT_LEVELS + f"[level {depth + 1 if level is None else level}] {text}"


def steps_in_words(definition: FlowDefinition,
                   describe: Any = None) -> list[str]:
    """Each step in tree order, indented two spaces a level (see step_line); a wait's
    and a split's children come under their path's heading."""
    if describe is None:
        from flowbench.domain.changes import describe_step as describe
    lines: list[str] = []
    seen: set[str] = set()
    # (indentation, the step's level in its line of steps, the step or a path heading)
    stack: list[tuple[int, int, Step | str]] = [(0, 1, step) for step in
                                                reversed(definition.roots())]
    while stack:
        depth, level, item = stack.pop()
        if isinstance(item, str):
            lines.append(step_line(depth, item, level))
            continue
        if item.id in seen:
            continue
        seen.add(item.id)
        lines.append(step_line(depth, describe(item, definition), level))
        children = definition.children(item.id)
        offered = PATHS_BY_PARENT_KIND.get(item.kind)
        pending: list[tuple[int, int, Step | str]] = []
        if offered is None:
            pending = [(depth + 1, level + 1, child) for child in children]
        else:
            paths = list(offered) + [p for p in dict.fromkeys(c.path for c in children)
                                     if p not in offered]
            for path in paths:
                on_path = [child for child in children if child.path == path]
                heading = path_heading(item, path)
                if not on_path:
                    if path in offered:
                        pending.append((depth + 1, level + 1,
                                        heading + " the branch ends."))
                    continue
                pending.append((depth + 1, level + 1, heading))
                pending.extend((depth + 2, level + 1, child) for child in on_path)
        stack.extend(reversed(pending))
    lines.extend(describe(step, definition) for step in definition.steps if step.id not in seen)
    return lines
