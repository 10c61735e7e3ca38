"""The publish's fourth choice in figures and in effect: which running instances of the
earlier versions can move onto the version being published, and moving them.

The figures come from the definitions first: only a wait step of an earlier version that
the new version lacks (or has as another kind, or whose awaited card it lacks) can hold
an instance back, so when there is none every running instance moves and the count is
the live tally — nothing is scanned. Otherwise the instances waiting at those steps are
counted. ``prepare_publish`` shows the figures; ``publishing.publish`` moves the
instances inside its transaction with the same rule.
"""

from __future__ import annotations

from flowbench.domain.definition import FlowDefinition, StepKind
from flowbench.domain.migration import BlockedBy, MigrationFigures, blocking_steps
from flowbench.domain.versions import VersionStatus
from flowbench.runtime import migrate
from flowbench.services.publish_plan import running_by_version
from flowbench.store import models

WAITS = (StepKind.WAIT_DURATION.value, StepKind.WAIT_CARD_ACTION.value)


def _earlier(flow_id: int, draft_id: int) -> list[models.FlowVersion]:
    version = models.FlowVersion
    return list(version.select(version.id, version.number, version.definition).where(
        (version.flow == flow_id) & (version.id != draft_id)
        & version.status.in_([VersionStatus.LIVE.value, VersionStatus.PREVIOUS.value]))
        .order_by(version.number))


def _blocking(row: models.FlowVersion, draft: FlowDefinition, number: int) -> dict[str, str]:
    old = FlowDefinition.from_json(row.definition)
    return blocking_steps(old, draft, number, [s.id for s in old.steps if s.kind in WAITS])


def migration_figures(flow_id: int, draft_id: int, draft_number: int,
                      draft: FlowDefinition) -> MigrationFigures:
    """How many live running instances of the earlier versions could move, and what holds
    the others back."""
    rows = _earlier(flow_id, draft_id)
    running = running_by_version([row.id for row in rows])
    movable = not_movable = 0
    versions: list[int] = []
    blocked: list[BlockedBy] = []
    for row in rows:
        count = running.get(row.id, 0)
        if not count:
            continue
        versions.append(row.number)
        reasons = _blocking(row, draft, draft_number)
        held = migrate.blocked_by_step(row.id, list(reasons)) if reasons else {}
        blocked.extend(BlockedBy(row.number, step, n, reasons[step])
                       for step, n in sorted(held.items()) if n)
        not_movable += sum(held.values())
        movable += count - sum(held.values())
    return MigrationFigures(draft_number, tuple(versions), movable, not_movable,
                            tuple(blocked))


def segment_members_moving(flow_id: int, draft_id: int, draft_number: int,
                           draft: FlowDefinition, segment_name: str,
                           figures: MigrationFigures, already_running: int) -> int:
    """How many of the segment's customers keep a running instance when the movable ones
    move (they are not started again). When nothing blocks, that is every one of them
    already running the flow; otherwise the movable ones are looked up."""
    if figures.not_movable == 0:
        return already_running
    segment = models.Segment.get_or_none(models.Segment.name == segment_name)
    if segment is None:
        return 0
    customers: set[int] = set()
    running = running_by_version([row.id for row in _earlier(flow_id, draft_id)])
    for row in _earlier(flow_id, draft_id):
        if running.get(row.id, 0):
            customers |= migrate.customers_moving_in_segment(
                row.id, list(_blocking(row, draft, draft_number)), segment.id)
    return len(customers)


def move_running_instances(flow_id: int, draft: models.FlowVersion) -> tuple[int, int]:
    """Move every movable live running instance of the earlier versions onto ``draft``
    (inside the caller's transaction); returns (moved, left where they are)."""
    definition = FlowDefinition.from_json(draft.definition)
    rows = _earlier(flow_id, draft.id)
    running = running_by_version([row.id for row in rows])
    moves = [(row.id, list(_blocking(row, definition, draft.number)))
             for row in rows if running.get(row.id, 0)]
    moved = migrate.move_instances(moves, draft.id) if moves else 0
    return moved, sum(running.values()) - moved
