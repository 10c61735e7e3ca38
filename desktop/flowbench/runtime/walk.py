"""The step walk: a cohort of instances runs a step's children with one statement a step.

A cohort is every instance of one version that reaches the same step at the same moment
(started together, or woken together). Running a child step for the cohort is one
``INSERT … SELECT``: cards, outbox rows or pending branches for all of them at once.
Afterwards, instances of the cohort left with no pending branch are completed by one
``UPDATE`` — skipped when the walk proves every instance of the cohort is parked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flowbench.domain.definition import StepKind
from flowbench.runtime.plans import FlowPlan, StepPlan
from flowbench.runtime.sql import CLOSED_CARD_STATES, OPEN_CARD_STATES, F, Fragment, run

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
                 fresh_cards: frozenset[str] = frozenset(), depth: int = 0) -> bool:
    """Run every child of ``parent`` (None: the roots) for the cohort at time ``at``, and
    on down the tree, depth first, in the definition's order.

    ``fresh_cards`` are the card steps this walk has just sent (their cards are surely
    still open). Returns True when every instance of the cohort is surely left with a
    pending branch, so that the completion check can be skipped.

    An explicit stack, not recursion: a line of 500 steps is 500 levels deep, and the
    work per step stays the same however deep it is.
    """
    parked = False
    fresh = set(fresh_cards)  # the walk's own cards are added and removed as it goes
    # (children still to run, their cohort, depth, whether they count for the result,
    #  the card step this level added to ``fresh``)
    stack: list[tuple[Iterator[StepPlan], Cohort, int, bool, str | None]] = [
        (iter(plan.children(parent)), cohort, depth, True, None)]
    while stack:
        pending, group, level, counts, sent = stack[-1]
        step = next(pending, None)
        if step is None:
            stack.pop()
            if sent is not None and sent not in fresh_cards:
                fresh.discard(sent)
            continue
        if level > MAX_DEPTH or not step.runnable:
            continue  # a step that cannot run ends its branch
        if step.kind == StepKind.SEND_CARD:
            _send_cards(step, group, at)
            added = step.id if step.id not in fresh else None
            fresh.add(step.id)
            stack.append((iter(plan.children(step.id)), group, level + 1, counts, added))
        elif step.kind == StepKind.SEND_PUSH:
            _send_pushes(step, group, at)
            stack.append((iter(plan.children(step.id)), group, level + 1, counts, None))
        elif step.kind == StepKind.WAIT_DURATION:
            run(F("INSERT INTO pending_branch (instance_id, step_id, wait_until) "
                  "SELECT i.id, ?, ? FROM instance i WHERE ", step.id,
                  at + (step.duration or 0)) + group.has("i.id"))
            parked = parked or counts
        else:
            surely_parked, already = _await_card(step, group, at, fresh)
            parked = parked or (counts and surely_parked)
            if already is not None:  # cards already in the awaited state go on now
                stack.append((iter(plan.children(step.id)), already, level + 1, False,
                              None))
    return parked


def _send_cards(step: StepPlan, cohort: Cohort, at: int) -> None:
    expires = at + step.expires_after if step.expires_after is not None else None
    run(F("INSERT INTO card (instance_id, flow_id, version_id, step_id, customer_id, status, "
          "is_test, title, body, buttons, priority, created_at, expires_at) "
          "SELECT i.id, i.flow_id, i.version_id, ?, i.customer_id, ?, i.is_test, ?, ?, ?, ?, "
          "?, ? FROM instance i WHERE ", step.id, "active", step.title, step.body,
          step.buttons, step.priority, at, expires) + cohort.has("i.id"))


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


def _await_card(step: StepPlan, cohort: Cohort, at: int,
                fresh_cards: set[str]) -> tuple[bool, Cohort | None]:
    """Park until the card reaches the awaited state; continue now if it already has.

    Returns whether every instance is surely parked, and the cohort whose card is already
    in the awaited state (its children run now), if there can be one.
    A card closed in another state can never reach it: with a timeout the branch waits
    for the timeout, without one the branch ends.
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
        return True, None
    parked += F(f" AND c.status NOT IN ({statuses})", *done)
    if until is None:
        parked += F(" AND c.status IN (?, ?)", *OPEN_CARD_STATES)
    run(parked)
    already = Cohort(ids=F("SELECT c.instance_id FROM card c WHERE c.step_id = ? "
                           f"AND c.status IN ({statuses}) AND ", step.card, *done)
                     + cohort.has("c.instance_id"))
    return False, already


def complete_finished(cohort: Cohort, at: int) -> int:
    """Instances of the cohort with no pending branch left are completed."""
    cursor = run(F("UPDATE instance SET status = ?, ended_at = ? WHERE ", "completed", at)
                 + cohort.has("id")
                 + F(" AND status = ? AND NOT EXISTS (SELECT 1 FROM pending_branch pb "
                     "WHERE pb.instance_id = instance.id)", "running"))
    return max(int(cursor.rowcount or 0), 0)
