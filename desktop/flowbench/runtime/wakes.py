"""Waking parked branches: due waits and timeouts, and cards that closed.

Branches are woken in cohorts — every branch of one version parked at the same step that
wakes at the same moment — so that their continuation is one statement per step.
"""

from __future__ import annotations

from flowbench.domain.definition import StepPath
from flowbench.runtime import bulk_tallies
from flowbench.runtime.plans import plan_of_version
from flowbench.runtime.sql import CohortTable, F, Fragment, rows, run, scalar
from flowbench.runtime.walk import Cohort, complete_finished, run_children
from flowbench.store.runtime_indexes import CARD_WAIT, OPEN_CARD


def wake_branches(condition: Fragment, at: int, path: str | None = None) -> int:
    """Continue the pending branches (alias ``pb``) that meet ``condition``; returns how many.

    Each cohort's branches are removed and the children of their step run at ``at`` (of
    a card wait those on ``path``: None for the awaited action, or "otherwise").
    """
    groups = rows(F("SELECT i.version_id, pb.step_id FROM pending_branch pb "
                    "JOIN instance i ON i.id = pb.instance_id WHERE ") + condition
                  + " GROUP BY i.version_id, pb.step_id ORDER BY i.version_id, pb.step_id")
    woken = 0
    for version_id, step_id in groups:
        table = CohortTable()
        woken += table.fill(
            F("SELECT pb.instance_id AS id FROM pending_branch pb "
              "JOIN instance i ON i.id = pb.instance_id "
              "WHERE i.version_id = ? AND pb.step_id = ? AND ", version_id, step_id)
            + condition)
        # One step runs at most once per instance, so (instance, step) names the branch.
        run(F("DELETE FROM pending_branch WHERE step_id = ? AND instance_id IN (", step_id)
            + table.ids + ")")
        cohort = Cohort(ids=table.ids)
        if not run_children(plan_of_version(version_id), step_id, cohort, at, path=path):
            complete_finished(cohort, at)
        table.clear()
    return woken


def any_card_waits() -> bool:
    """Is any branch waiting for a card at all? (An index seek: skips the work when not.)"""
    return scalar(f"SELECT 1 FROM pending_branch WHERE {CARD_WAIT} LIMIT 1") is not None


def awaited_cards(condition: Fragment) -> Fragment:
    """A SELECT of the ids of the cards (alias ``c``) that meet ``condition`` and that a
    branch waits for, found from the card waits (a partial index) and each card's key:
    closed cards have no index of their own (``store.runtime_indexes``)."""
    return F(f"SELECT c.id FROM pending_branch w JOIN card c ON c.id = w.card_id "
             f"WHERE w.{CARD_WAIT} AND ") + condition


def cards_closed(status: str, cards: Fragment, at: int) -> int:
    """React to cards (``cards``: a SELECT of their ids) that just closed with ``status``.

    Branches waiting for that status (or any) continue on the awaited action; branches
    waiting for another status can never be satisfied: they take their "otherwise" path
    (none: the branch ends).
    """
    if not any_card_waits():
        return 0
    on_cards = F("pb.card_id IN (") + cards + ")"
    woken = wake_branches(on_cards + F(" AND pb.card_state IN (?, ?)", status, "any"), at)
    woken += wake_branches(on_cards + F(" AND pb.card_state NOT IN (?, ?)", status, "any"),
                           at, StepPath.OTHERWISE.value)
    return woken


# --- the passing of time ---------------------------------------------------------------

def next_due(until: int) -> int | None:
    """The earliest moment up to ``until`` at which a wait ends or a card expires."""
    wait = scalar("SELECT MIN(wait_until) FROM pending_branch WHERE wait_until <= ?", (until,))
    expiry = scalar(f"SELECT MIN(expires_at) FROM card WHERE {OPEN_CARD} AND expires_at <= ?",
                    (until,))
    due = [int(value) for value in (wait, expiry) if value is not None]
    return min(due) if due else None


def expire_cards(at: int) -> int:
    """Open cards whose expiry has come by ``at`` expire; waits on them react."""
    due = F(f"{OPEN_CARD} AND expires_at <= ?", at)
    bulk_tallies.status_changing("card", due, "expired")
    expired = max(int(run(F("UPDATE card SET status = ?, closed_at = ? WHERE ", "expired", at)
                          + due).rowcount or 0), 0)
    if expired:
        cards_closed("expired", awaited_cards(F(
            "c.status = ? AND c.closed_at = ? AND c.expires_at <= ?", "expired", at, at)), at)
    return expired


def end_waits(at: int) -> int:
    """Waits that have ended by ``at`` continue with their step's children, card waits
    whose timeout passed with their "otherwise" children."""
    return (wake_branches(F("pb.wait_until <= ? AND pb.card_id IS NULL", at), at)
            + wake_branches(F("pb.wait_until <= ? AND pb.card_id IS NOT NULL", at), at,
                            StepPath.OTHERWISE.value))
