"""Validation as you type, without re-checking 500 steps on every keystroke.

A structural edit (steps added, removed, moved) re-validates the whole flow. A field
edit of one step can only change that step's own problems: its tree problems (id,
parent) and other steps' problems depend on ids, parents and kinds, which a field edit
never touches. So it re-validates a small definition holding the step and the card it
links to, with the same ``validate`` the services use. Flow-level edits
(name, trigger) likewise re-check only those. Each call returns the keys (step id, or
None for the flow) whose problems changed, so views update just those marks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from flowbench.domain.definition import (
    FlowDefinition,
    Step,
    StepKind,
    StepPath,
    Trigger,
    TriggerKind,
)
from flowbench.domain.validation import Problem, Severity, validate

TREE_FIELDS = frozenset({"id", "parent"})
Key = str | None


class ProblemTracker:
    def __init__(self) -> None:
        self._by_key: dict[Key, list[Problem]] = {}
        self._segments: frozenset[str] = frozenset()
        self._attributes: frozenset[str] | None = None
        self.removed_cards: dict[str, str] = {}  # step id → title, of cards removed
        self._needs_full = True

    # --- queries -------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        return [p for problems in self._by_key.values() for p in problems]

    def for_key(self, key: Key) -> list[Problem]:
        return self._by_key.get(key, [])

    def for_field(self, key: Key, field: str) -> list[Problem]:
        return [p for p in self._by_key.get(key, []) if p.field == field]

    def severity(self, key: Key) -> Severity | None:
        problems = self._by_key.get(key, [])
        if not problems:
            return None
        return Severity.ERROR if any(p.is_error for p in problems) else Severity.WARNING

    def counts(self) -> tuple[int, int]:
        everything = self.problems()
        errors = sum(1 for p in everything if p.is_error)
        return errors, len(everything) - errors

    # --- re-validation ---------------------------------------------------------------------
    def set_segments(self, segments: Collection[str]) -> None:
        self._segments = frozenset(segments)

    def set_attributes(self, attributes: Collection[str] | None) -> None:
        """The customer attributes decision splits are checked against (None: none)."""
        self._attributes = None if attributes is None else frozenset(attributes)

    def revalidate_all(self, name: str, definition: FlowDefinition) -> set[Key]:
        found: dict[Key, list[Problem]] = {}
        for problem in validate(name, definition, self._segments, self.removed_cards,
                                known_attributes=self._attributes):
            found.setdefault(problem.step, []).append(problem)
        changed = {key for key in set(found) | set(self._by_key)
                   if found.get(key, []) != self._by_key.get(key, [])}
        self._by_key = found
        # duplicate ids make "the step with this id" ambiguous: stay on full checks
        self._needs_full = any(p.field == "id" for p in self.problems())
        return changed

    def revalidate_flow(self, name: str, definition: FlowDefinition) -> set[Key]:
        """After a name, description or trigger edit."""
        if self._needs_full:
            return self.revalidate_all(name, definition)
        bare = FlowDefinition(trigger=definition.trigger, steps=())
        fresh = [p for p in validate(name, bare, self._segments)
                 if p.step is None and p.field != "steps"]
        kept = [p for p in self._by_key.get(None, []) if p.field == "steps"]
        return self._replace(None, fresh + kept)

    def revalidate_step(self, name: str, definition: FlowDefinition, step_id: str) -> set[Key]:
        """After an edit of one step's fields (not its id, parent or kind). Messages
        name cards by title, so the steps pointing at this one (and at those) are
        re-checked too."""
        step = definition.step(step_id)
        if self._needs_full or step is None:
            return self.revalidate_all(name, definition)
        changed: set[Key] = set()
        for current in [step, *_pointing_at(definition, step_id)]:
            fresh = [p for p in validate(name, _neighbourhood(definition, current), (),
                                         self.removed_cards,
                                         known_attributes=self._attributes)
                     if p.step == current.id and p.field not in TREE_FIELDS]
            kept = [p for p in self._by_key.get(current.id, []) if p.field in TREE_FIELDS]
            changed |= self._replace(current.id, kept + fresh)
        return changed

    def _replace(self, key: Key, problems: list[Problem]) -> set[Key]:
        if problems == self._by_key.get(key, []):
            return set()
        if problems:
            self._by_key[key] = problems
        else:
            self._by_key.pop(key, None)
        return {key}


def _pointing_at(definition: FlowDefinition, step_id: str) -> list[Step]:
    """Steps naming ``step_id`` as their card, and the steps naming those."""
    first = [s for s in definition.steps if s.card == step_id and s.id != step_id]
    ids = {s.id for s in first}
    second = [s for s in definition.steps if s.card in ids and s.id not in ids
              and s.id != step_id]
    return first + second


def _neighbourhood(definition: FlowDefinition, step: Step) -> FlowDefinition:
    """The step with just what its own checks look at, so they stay cheap in deep trees.

    A push looks at the card it links to (is it a card step?); a wait for a card action
    at whether its card is a send-card step above it. The linked card comes along, as
    the step's parent when it is one of its ancestors (with its real kind), so the
    answers are the same as in the whole flow.
    """
    # a card wait's timeout warning looks at whether a child is on its otherwise path
    otherwise = tuple(child for child in definition.children(step.id)
                      if child.path == StepPath.OTHERWISE)[:1] \
        if step.kind == StepKind.WAIT_CARD_ACTION else ()
    linked = definition.step(step.card) if step.card else None
    if linked is None or linked.id == step.id:
        return FlowDefinition(trigger=_MANUAL, steps=(replace(step, parent=None),
                                                      *otherwise))
    # ancestor(): indexed once per definition, not a walk up the tree for every step
    above = definition.ancestor(linked.id, step.id) is not None \
        if step.kind == StepKind.WAIT_CARD_ACTION else False
    # the linked step may itself name a card (a wait for one): it comes along too, so
    # messages name that card by its title as in the whole flow
    named = definition.step(linked.card) if linked.card else None
    extra = (replace(named, parent=None),) if named is not None and named.id not in (
        step.id, linked.id) else ()
    return FlowDefinition(trigger=_MANUAL, steps=(
        replace(linked, parent=None), *extra,
        replace(step, parent=linked.id if above else None), *otherwise))


_MANUAL = Trigger(TriggerKind.MANUAL.value)
