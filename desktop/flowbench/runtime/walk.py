"""The step walk: a cohort of instances runs a step's children with one statement a step.

A cohort is every instance of one version that reaches the same step at the same moment
(started together, or woken together). Running a child step for the cohort is one
``INSERT … SELECT``: cards, outbox rows or pending branches for all of them at once.
Afterwards, instances of the cohort left with no pending branch are completed by one
``UPDATE`` — skipped when the walk proves every instance of the cohort is parked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flowbench.domain.definition import StepKind, StepPath
from flowbench.runtime import bulk_tallies
from flowbench.runtime.plans import FlowPlan, StepPlan
from flowbench.runtime.sql import (
    CLOSED_CARD_STATES,
    OPEN_CARD_STATES,
    CohortTable,
    F,
    Fragment,
    executemany,
    rows,
    run,
)

MAX_DEPTH = 1000  # a definition is a tree; this only guards against a broken one


@dataclass(frozen=True)
class Cohort:
    """Instances that move together: an id range of just-started ones, or a subquery."""

    ids: Fragment | None = None  # SELECT of instance ids
    first: int = 0
    last: int = -1

    def has(self, column: str) -> Fragment:
        """A condition: ``column`` (an instance id) belongs to the cohort."""
        if self.ids is None:
            return F(f"{column} BETWEEN ? AND ?", self.first, self.last)
        return F(f"{column} IN (") + self.ids + ")"

    @property
    def empty(self) -> bool:
        return self.ids is None and self.last < self.first


def run_children(plan: FlowPlan, parent: str | None, cohort: Cohort, at: int,
                 fresh_cards: frozenset[str] = frozenset(), depth: int = 0,
                 path: str | None = None) -> bool:
    """Run the children of ``parent`` (None: the roots) for the cohort at time ``at`` —
    of a card wait or a decision split only those on ``path`` — and on down the tree,
    depth first, in the definition's order.

    ``fresh_cards`` are the card steps this walk has just sent (their cards are surely
    still open). Returns True when every instance of the cohort is surely left with a
    pending branch, so that the completion check can be skipped.

    An explicit stack, not recursion: a line of 500 steps is 500 levels deep, and the
    work per step stays the same however deep it is.
    """
    parked = False
    parked = False
    fresh = set(fresh_cards)  # the walk's own cards are added and removed as it goes
    stack: list[_Level] = [
        _Level(iter(plan.children_on(parent, path)), cohort, depth, True)]
    while stack:
        level = stack[-1]
        step = next(level.pending, None)
        if step is None:
            stack.pop()
            if level.sent is not None and level.sent not in fresh_cards:
                fresh.discard(level.sent)
            if level.table is not None:
                level.table.clear()
            continue
        if level.depth > MAX_DEPTH or not step.runnable:
            continue  # a step that cannot run ends its branch
        group, below, counts = level.cohort, level.depth + 1, level.counts
        if step.kind == StepKind.SEND_CARD:
            _send_cards(step, group, at)
            added = step.id if step.id not in fresh else None
            fresh.add(step.id)
            stack.append(_Level(iter(plan.children(step.id)), group, below, counts, added))
        elif step.kind == StepKind.SEND_PUSH:
            _send_pushes(step, group, at)
            stack.append(_Level(iter(plan.children(step.id)), group, below, counts))
        elif step.kind == StepKind.WAIT_DURATION:
            run(F("INSERT INTO pending_branch (instance_id, step_id, wait_until) "
                  "SELECT i.id, ?, ? FROM instance i WHERE ", step.id,
                  at + (step.duration or 0)) + group.has("i.id"))
            parked = parked or counts
        elif step.kind == StepKind.SPLIT:
            # the paths' levels go on the stack last first, so "yes" runs before "no"
            stack.extend(reversed(_split(plan, step, group, below)))
        else:
            surely_parked, closed = _await_card(plan, step, group, at, fresh, below)
            parked = parked or (counts and surely_parked)
            stack.extend(reversed(closed))
    return parked


@dataclass
class _Level:
    """One level of the walk's stack: the children still to run there, for whom."""

    pending: Iterator[StepPlan]
    cohort: Cohort
    depth: int
    counts: bool  # whether its parked branches make the whole cohort surely parked
    sent: str | None = None  # the card step this level added to the walk's fresh cards
    table: CohortTable | None = None  # holds the cohort; cleared when the level is done


def _send_cards(step: StepPlan, cohort: Cohort, at: int) -> None:
    expires = at + step.expires_after if step.expires_after is not None else None
    after = bulk_tallies.last_id("card")
    run(F("INSERT INTO card (instance_id, flow_id, version_id, step_id, customer_id, status, "
          "is_test, title, body, buttons, priority, created_at, expires_at) "
          "SELECT i.id, i.flow_id, i.version_id, ?, i.customer_id, ?, i.is_test, ?, ?, ?, ?, "
          "?, ? FROM instance i WHERE ", step.id, "active", step.title, step.body,
          step.buttons, step.priority, at, expires) + cohort.has("i.id"))
    bulk_tallies.inserted("card", after)


def _send_pushes(step: StepPlan, cohort: Cohort, at: int) -> None:
    if step.card:
        card = F("(SELECT c.id FROM card c WHERE c.instance_id = i.id AND c.step_id = ?)",
                 step.card)
    else:
        card = F("NULL")
    run(F("INSERT INTO push_notification (instance_id, version_id, step_id, customer_id, "
          "title, body, card_id, is_test, created_at) "
          "SELECT i.id, i.version_id, ?, i.customer_id, ?, ?, ", step.id, step.title,
          step.body) + card + F(", i.is_test, ? FROM instance i WHERE ", at)
        + cohort.has("i.id"))


def _await_card(plan: FlowPlan, step: StepPlan, cohort: Cohort, at: int,
                fresh_cards: set[str], depth: int) -> tuple[bool, list[_Level]]:
    """Park until the card closes; continue now if it already has.

    Returns whether every instance is surely parked, and the levels to run now: a card
    already closed in the awaited state runs the children without a path; one closed in
    another state runs the "otherwise" children (none: the branch ends).
    """
    done = CLOSED_CARD_STATES if step.awaited == "any" else (step.awaited,)
    until = at + step.timeout if step.timeout is not None else None
    statuses = ", ".join("?" * len(done))
    parked = (F("INSERT INTO pending_branch (instance_id, step_id, wait_until, card_id, "
                "card_state) SELECT c.instance_id, ?, ?, c.id, ? FROM card c "
                "WHERE c.step_id = ? AND ", step.id, until, step.awaited, step.card)
              + cohort.has("c.instance_id"))
    if step.card in fresh_cards:  # sent in this walk: surely open
        run(parked)
        return True, []
    run(parked + F(" AND c.status IN (?, ?)", *OPEN_CARD_STATES))
    closed = F("SELECT c.instance_id FROM card c WHERE c.step_id = ? AND ", step.card) \
        + cohort.has("c.instance_id")
    awaited = Cohort(ids=closed + F(f" AND c.status IN ({statuses})", *done))
    levels = [_Level(iter(plan.children_on(step.id, None)), awaited, depth, False)]
    if step.awaited != "any":
        otherwise = Cohort(ids=closed + F(f" AND c.status NOT IN ({statuses}) "
                                          "AND c.status NOT IN (?, ?)", *done,
                                          *OPEN_CARD_STATES))
        levels.append(_Level(iter(plan.children_on(step.id, StepPath.OTHERWISE.value)),
                             otherwise, depth, False))
    return False, levels


def _attributes(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _split(plan: FlowPlan, step: StepPlan, cohort: Cohort, depth: int) -> list[_Level]:
    """Each instance takes the "yes" or the "no" path by its customer's attributes now:
    the levels to run, each path's cohort in a table of its own."""
    assert step.rule is not None  # a split without a readable rule is not runnable
    found = rows(F("SELECT i.id, c.attributes FROM instance i JOIN customer c "
                   "ON c.id = i.customer_id WHERE ") + cohort.has("i.id"))
    paths: dict[str, list[int]] = {StepPath.YES.value: [], StepPath.NO.value: []}
    for instance_id, attributes in found:
        matches = step.rule.matches(_attributes(attributes))
        paths[StepPath.YES.value if matches else StepPath.NO.value].append(int(instance_id))
    levels: list[_Level] = []
    for path, ids in paths.items():
        children = plan.children_on(step.id, path)
        if not ids or not children:
            continue
        table = CohortTable()
        executemany("INSERT INTO runtime_cohort (cohort, instance_id) VALUES (?, ?)",
                    [(table.number, instance_id) for instance_id in ids])
        levels.append(_Level(iter(children), Cohort(ids=table.ids), depth, False,
                             table=table))
    return levels


def complete_finished(cohort: Cohort, at: int) -> int:
    """Instances of the cohort with no pending branch left are completed."""
    finished = cohort.has("id") + F(" AND status = ? AND NOT EXISTS (SELECT 1 FROM "
                                    "pending_branch pb WHERE pb.instance_id = instance.id)",
                                    "running")
    bulk_tallies.status_changing("instance", finished, "completed")
    cursor = run(F("UPDATE instance SET status = ?, ended_at = ? WHERE ", "completed", at)
                 + finished)
    return max(int(cursor.rowcount or 0), 0)
