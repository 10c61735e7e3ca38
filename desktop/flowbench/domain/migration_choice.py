"""The fourth publish choice beside the other three: its label, and the cancel choice's
label while it is ticked (then only the instances that cannot move are cancelled)."""

from __future__ import annotations

from flowbench.domain.publish_plan import PublishChoices, PublishPlan

MIGRATE = "migrate_running_instances"
CANCEL = "cancel_previous_instances"


def offers_migration(plan: PublishPlan) -> bool:
    """Shown when an earlier version has running instances."""
    return plan.migration is not None and plan.migration.running > 0


def with_migration(texts: dict[str, str], plan: PublishPlan,
                   choices: PublishChoices | None = None) -> dict[str, str]:
    """``texts`` (each choice's label) with the fourth choice added when it is offered,
    and the cancel choice saying what it cancels when moving is chosen too."""
    if not offers_migration(plan) or plan.migration is None:
        return texts
    labels = dict(texts)
    labels[MIGRATE] = plan.migration.choice_text()
    if choices is not None and choices.migrate_running_instances:
        labels[CANCEL] = plan.migration.cancel_text()
    return labels



def moved_and_cancelled(plan: PublishPlan, choices: PublishChoices) -> tuple[int, int]:
    """(instances moved, running instances cancelled) by a publish with ``choices``: with
    both choices only those that cannot move are cancelled (for ``publish_counts``)."""
    figures = plan.migration
    moving = choices.migrate_running_instances and figures is not None
    moved = figures.movable if moving and figures is not None else 0
    if not choices.cancel_previous_instances:
        return moved, 0
    return moved, figures.not_movable if moving and figures is not None \
        else plan.running_previous
