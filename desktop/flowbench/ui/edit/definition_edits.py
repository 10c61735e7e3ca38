"""Structural edits of a step tree, as pure functions on immutable definitions.

The order of ``FlowDefinition.steps`` is the order of siblings in the tree, so moving a
step among its siblings reorders the tuple; its descendants follow it because they name
it as their parent. No Qt here: the editor wraps these in undoable commands.
"""

from __future__ import annotations

from dataclasses import replace

from flowbench.domain.definition import FlowDefinition, Step, StepKind, StepPath, default_step


def descendants(definition: FlowDefinition, step_id: str) -> set[str]:
    """Ids of every step below ``step_id`` (not including it)."""
    children: dict[str | None, list[str]] = {}
    for step in definition.steps:
        children.setdefault(step.parent, []).append(step.id)
    found: set[str] = set()
    pending = list(children.get(step_id, ()))
    while pending:
        current = pending.pop()
        if current in found or current == step_id:
            continue
        found.add(current)
        pending.extend(children.get(current, ()))
    return found


def without_branch(definition: FlowDefinition, step_id: str) -> FlowDefinition:
    """The definition without the step and every step below it."""
    gone = descendants(definition, step_id) | {step_id}
    return replace(definition, steps=tuple(s for s in definition.steps if s.id not in gone))


def display_tree(definition: FlowDefinition
                 ) -> tuple[dict[str | None, list[str]], dict[str, str | None]]:
    """Children per parent (None: the trigger) and the parent each step is shown under.

    One pass, whatever the size. Steps whose parent is missing or part of a loop are
    shown under the trigger, where validation flags them; a duplicate id shows once.
    """
    by_parent: dict[str | None, list[str]] = {}
    seen: set[str] = set()
    for step in definition.steps:
        if step.id not in seen:
            seen.add(step.id)
            by_parent.setdefault(step.parent, []).append(step.id)
    children: dict[str | None, list[str]] = {None: []}
    parent_of: dict[str, str | None] = {}

    def place_below(top: str | None) -> None:
        pending: list[str | None] = [top]
        while pending:
            current = pending.pop()
            for child in by_parent.get(current, ()):
                if child not in parent_of:
                    parent_of[child] = current
                    children.setdefault(current, []).append(child)
                    pending.append(child)

    place_below(None)
    for step in definition.steps:
        if step.id not in parent_of:
            parent_of[step.id] = None
            children[None].append(step.id)
            place_below(step.id)
    return children, parent_of


def can_move_under(definition: FlowDefinition, step_id: str, new_parent: str | None) -> bool:
    """A step may go under the trigger (None) or any step that is not itself or below it."""
    if new_parent is None:
        return True
    if new_parent == step_id or definition.step(new_parent) is None:
        return False
    return new_parent not in descendants(definition, step_id)


def _index(steps: list[Step], step_id: str) -> int:
    for position, step in enumerate(steps):
        if step.id == step_id:
            return position
    raise KeyError(step_id)


def new_step(definition: FlowDefinition, kind: str, parent: str | None) -> Step:
    """A step of ``kind`` under ``parent``; a card-action wait points at the nearest card."""
    step = replace(default_step(kind, definition.new_step_id(kind), parent),
                   path=first_free_path(definition, parent))
    if kind == StepKind.WAIT_CARD_ACTION and parent is not None:
        chain = [definition.step(parent)] + definition.ancestors(parent)
        card = next((s for s in chain if s is not None and s.kind == StepKind.SEND_CARD), None)
        if card is not None:
            step = replace(step, card=card.id)
    return step


def first_free_path(definition: FlowDefinition, parent: str | None) -> str | None:
    """The path a new child of ``parent`` takes: under a split "yes" until it has a yes
    step, then "no"; under a card wait the awaited action's (none); else none."""
    step = definition.step(parent) if parent is not None else None
    if step is None or step.kind != StepKind.SPLIT:
        return None
    taken = {child.path for child in definition.children(step.id)}
    return StepPath.NO.value if StepPath.YES.value in taken else StepPath.YES.value


def add_child(definition: FlowDefinition, kind: str,
              parent: str | None) -> tuple[FlowDefinition, str]:
    """A new last child of ``parent`` (None: a first step, right after the trigger)."""
    step = new_step(definition, kind, parent)
    return definition.with_steps((*definition.steps, step)), step.id


def add_sibling(definition: FlowDefinition, kind: str,
                beside: str) -> tuple[FlowDefinition, str]:
    """A new step with the same parent as ``beside``, placed right after it."""
    anchor = definition.step(beside)
    if anchor is None:
        return add_child(definition, kind, None)
    step = replace(new_step(definition, kind, anchor.parent), path=anchor.path)
    steps = list(definition.steps)
    steps.insert(_index(steps, beside) + 1, step)
    return definition.with_steps(steps), step.id


def sibling_ids(definition: FlowDefinition, step_id: str) -> list[str]:
    step = definition.step(step_id)
    if step is None:
        return []
    return [s.id for s in definition.steps if s.parent == step.parent]


def move_among_siblings(definition: FlowDefinition, step_id: str,
                        offset: int) -> FlowDefinition:
    """Move a step ``offset`` places up (negative) or down among its siblings."""
    siblings = sibling_ids(definition, step_id)
    if step_id not in siblings:
        return definition
    target = siblings.index(step_id) + offset
    if offset == 0 or not 0 <= target < len(siblings):
        return definition
    steps = list(definition.steps)
    moving = steps.pop(_index(steps, step_id))
    other = _index(steps, siblings[target])
    steps.insert(other if offset < 0 else other + 1, moving)
    return definition.with_steps(steps)


def move_under(definition: FlowDefinition, step_id: str, new_parent: str | None,
               position: int | None = None) -> FlowDefinition:
    """Re-parent a step (with its subtree) as child ``position`` of ``new_parent``.

    ``position`` counts the new siblings other than the step itself; None puts it last.
    A move that would create a loop leaves the definition as it is.
    """
    step = definition.step(step_id)
    if step is None or not can_move_under(definition, step_id, new_parent):
        return definition
    steps = list(definition.steps)
    steps.pop(_index(steps, step_id))
    keeps_path = new_parent == step.parent
    moved = replace(step, parent=new_parent,
                    path=step.path if keeps_path else first_free_path(definition, new_parent))
    siblings = [i for i, s in enumerate(steps) if s.parent == new_parent]
    if position is not None and 0 <= position < len(siblings):
        steps.insert(siblings[position], moved)
    elif siblings:
        steps.insert(siblings[-1] + 1, moved)
    else:
        steps.append(moved)
    return definition.with_steps(steps)
