"""Moving running instances onto another version of their flow (the publish's fourth
choice). Set-based: one statement per earlier version to find who moves, one to move
them all, whatever the number of instances.

Only the instance's version changes: its pending branches keep their steps and deadlines
(the new version has the same steps, same kinds), its cards and pushes stay as they were
sent. Live instances only (test data is left alone). Runs inside the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from flowbench.runtime.sql import CohortTable, F, Fragment, in_list, rows, run
from flowbench.store.runtime_indexes import RUNNING


def _live_running(version_id: int) -> Fragment:
    return F(f"SELECT id FROM instance WHERE version_id = ? AND is_test = ? AND {RUNNING}",
             version_id, False)


def waiting_steps(version_id: int) -> list[str]:
    """The steps where the version's live running instances have a branch waiting."""
    found = rows(F("SELECT DISTINCT pb.step_id FROM pending_branch pb WHERE "
                   "pb.instance_id IN (") + _live_running(version_id) + ")")
    return sorted(str(step) for (step,) in found)


def blocked_by_step(version_id: int, blocking: Sequence[str]) -> dict[str, int]:
    """Live running instances of the version held by a blocking step, each counted once
    (under the first blocking step it waits at)."""
    if not blocking:
        return {}
    found = rows(F("SELECT step, COUNT(*) FROM (SELECT pb.instance_id, MIN(pb.step_id) AS step "
                   "FROM pending_branch pb WHERE ") + in_list("pb.step_id", list(blocking))
                 + F(" AND pb.instance_id IN (") + _live_running(version_id)
                 + ") GROUP BY pb.instance_id) held GROUP BY step")
    return {str(step): int(count) for step, count in found}


def customers_moving_in_segment(version_id: int, blocking: Sequence[str],
                                segment_id: int) -> set[int]:
    """The segment's customers with a live running instance of the version that can move
    (it waits at no blocking step)."""
    query = (F("SELECT DISTINCT i.customer_id FROM instance i JOIN segment_member sm ON "
               "sm.customer_id = i.customer_id AND sm.segment_id = ? AND sm.is_test = ? "
               f"WHERE i.version_id = ? AND i.is_test = ? AND i.{RUNNING}",
               segment_id, False, version_id, False))
    if blocking:
        query += (F(" AND NOT EXISTS (SELECT 1 FROM pending_branch pb WHERE "
                    "pb.instance_id = i.id AND ") + in_list("pb.step_id", list(blocking))
                  + ")")
    return {int(customer) for (customer,) in rows(query)}


def move_instances(moves: Sequence[tuple[int, Sequence[str]]], target_version_id: int
                   ) -> int:
    """Move the live running instances of each earlier version in ``moves`` (its id and
    the steps that block moving it) that wait at no blocking step onto the target
    version, in one UPDATE for them all (one pass of the tally trigger); returns how
    many moved."""
    table = CohortTable()
    try:
        moved = 0
        for version_id, blocking in moves:
            movable = _live_running(version_id)
            if blocking:
                movable += (F(" AND NOT EXISTS (SELECT 1 FROM pending_branch pb WHERE "
                              "pb.instance_id = instance.id AND ")
                            + in_list("pb.step_id", list(blocking)) + ")")
            moved += table.fill(movable)
        if moved:
            run(F("UPDATE instance SET version_id = ? WHERE id IN (", target_version_id)
                + table.ids + ")")
        return moved
    finally:
        table.clear()
