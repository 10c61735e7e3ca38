"""The ``publish`` command: review the pre-publish summary, or publish with the choices.

    flowbench publish NAME [--dry-run] [--json] [--cancel-previous-instances]
                           [--cancel-previous-cards] [--start-existing-segment-members]
                           [--migrate-running-instances] [--override-reason TEXT]

``--dry-run`` prints the summary the GUI's pre-publish dialog shows, with the counts the
publish would report for the choices given, and changes nothing; it needs no ``--as``
(with it, it also says whether that member may publish). Without it the command
publishes in one transaction, re-checking everything the summary showed, and prints what
happened with the counts.
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import (
    NAME,
    REVIEWED_REVISION,
    Argument,
    Subparsers,
    add_command,
    argument,
    json_option,
)
from flowbench.cli.output import emit_json, print_result, say
from flowbench.cli.session import Session
from flowbench.domain.errors import StaleError
from flowbench.domain.migration_choice import with_migration
from flowbench.domain.publish_plan import (
    BlockerKind,
    PublishChoices,
    PublishCounts,
    PublishPlan,
    check_choices,
    choice_texts,
    publish_counts,
)
from flowbench.domain.wording import count_of
from flowbench.services import publishing
from flowbench.services.publish_plan import prepare_publish


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers, "publish", _publish, help="review or publish the draft of a flow",
        description="Publish the draft of a flow: it becomes the live version, and the "
        "choices below take effect in the same transaction. Refused when it has "
        "validation errors or lacks approvals (unless an Owner or Admin gives "
        "--override-reason). With --dry-run, print the pre-publish summary and change "
        "nothing.", arguments=[
            NAME,
            _flag("--dry-run", "print the pre-publish summary; change nothing"),
            json_option("print the result as JSON"),
            _flag("--cancel-previous-instances",
                  "cancel every running instance of previous versions"),
            _flag("--cancel-previous-cards", "cancel every active card sent by previous "
                  "versions"),
            _flag("--start-existing-segment-members", "start the flow for the customers "
                  "already in its segment (Segment-entered trigger only)"),
            _flag("--migrate-running-instances", "move the running instances of earlier "
                  "versions onto the new version where every step they wait at is in it "
                  "(same id and kind); with --cancel-previous-instances the others are "
                  "cancelled"),
            argument("--override-reason", metavar="TEXT", help="publish without the missing "
                     "approvals, for this reason (audited; Owner or Admin)"),
            REVIEWED_REVISION])


def _flag(flag: str, help: str) -> Argument:
    return argument(flag, action="store_true", help=help)


def _choices(args: argparse.Namespace) -> PublishChoices:
    return PublishChoices(
        cancel_previous_instances=args.cancel_previous_instances,
        cancel_previous_cards=args.cancel_previous_cards,
        start_existing_segment_members=args.start_existing_segment_members,
        migrate_running_instances=args.migrate_running_instances)


def _publish(args: argparse.Namespace, session: Session) -> None:
    named = bool(getattr(args, "as_email", None))
    actor = session.actor() if named or not args.dry_run else None
    plan = prepare_publish(actor, args.name)
    if args.revision is not None and plan.revision is not None \
            and plan.revision != args.revision:
        raise StaleError(f"The draft of '{plan.flow_name}' changed since you looked "
                         f"(now revision {plan.revision}) — review it again.")
    if plan.version is None and actor is not None and not args.dry_run:
        raise publishing.no_draft_refusal(actor, plan, session.started_at)
    choices = _choices(args)
    check_choices(plan, choices)  # a choice this flow cannot take is refused, dry run or not
    if args.dry_run:
        counts = publish_counts(plan, choices)
        if args.json:
            emit_json(dry_run_document(plan, choices, counts, as_member=named))
        else:
            print_summary(plan, choices, counts, as_member=named)
        return
    result = publishing.publish(session.actor(), plan, choices, args.override_reason)
    print_result(result, args.json, result.describe())


def _may_publish(plan: PublishPlan) -> bool:
    return not any(b.kind == BlockerKind.PERMISSION for b in plan.blockers)


def dry_run_document(plan: PublishPlan, choices: PublishChoices | None = None,
                     counts: PublishCounts | None = None, *,
                     as_member: bool = False) -> dict[str, object]:
    """The ``--dry-run --json`` document (an interface: keep its keys). ``counts`` are
    exactly what the publish with ``choices`` reports; ``may_publish`` is null when no
    member was named with --as."""
    choices = choices or PublishChoices()
    counts = counts or publish_counts(plan, choices)
    return {
        "flow": plan.flow_name,
        "version": plan.version,
        "live_version": plan.live_version,
        "blocking": [blocker.message for blocker in plan.blockers],
        "changes": plan.change_entries(),  # each {"text", "step", "field", "before", "after"}
        "previous_versions": [figures.to_dict() for figures in plan.previous_versions],
        "segment": plan.segment.to_dict() if plan.segment else None,
        "migration": plan.migration.to_dict() if plan.migration else None,
        "choices": choices.to_dict(),
        "counts": counts.to_dict(),
        "may_publish": _may_publish(plan) if as_member else None,
    }


def print_summary(plan: PublishPlan, choices: PublishChoices,
                  counts: PublishCounts | None = None, *, as_member: bool = False) -> None:
    counts = counts or publish_counts(plan, choices)
    if plan.version is None:
        say(f"'{plan.flow_name}' has no draft: there is nothing to publish.")
    else:
        replaces = (f", replacing live Version {plan.live_version}"
                    if plan.live_version else " (its first live version)")
        say(f"Publish Version {plan.version} of '{plan.flow_name}'{replaces}.")
        say(f"Trigger: {plan.trigger}")
        if plan.edited_by:
            say(f"Last edited by {plan.edited_by} at {plan.edited_at}.")
        say("Steps:")
        for line in plan.steps:
            say(f"  {line}")
        say("Changes since the live version:")
        for line in plan.changes or ["none"]:
            say(f"  {line}")
    if plan.previous_versions:
        say("Previous versions still running:")
        for figures in plan.previous_versions:
            say(f"  Version {figures.version}: "
                f"{count_of(figures.running_instances, 'running instance')}, "
                f"{count_of(figures.open_cards, 'open card')}")
    if plan.segment is not None:
        segment = plan.segment
        say(f"Segment '{segment.name}': {count_of(segment.members, 'customer')}, "
            f"{segment.already_running:,} already running this flow.")
    texts = with_migration(choice_texts(plan), plan, choices)
    chosen = choices.to_dict()
    say("Choices (as given on this command line):")
    for key, text in texts.items():
        say(f"  [{'x' if chosen[key] else ' '}] {text}")
    say("With these choices the publish will:")
    say(f"  cancel {count_of(counts.cancelled_instances, 'running instance')}")
    say(f"  cancel {count_of(counts.cancelled_cards, 'active card')}")
    say(f"  start the flow for {count_of(counts.started_instances, 'customer')}")
    warning = counts.duplicate_warning()
    if warning:
        say(f"Note: {warning}")
    if as_member:
        say("You may publish." if _may_publish(plan) else
            "You may not publish: " + next(b.message for b in plan.blockers
                                           if b.kind == BlockerKind.PERMISSION))
    if plan.blockers:
        say("Blocking:")
        for blocker in plan.blockers:
            say(f"  {blocker.message}")
    else:
        say("Nothing blocks publishing.")
    say("Dry run: nothing was changed.")
