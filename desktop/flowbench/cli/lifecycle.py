"""Commands for a flow's life beyond drafting: restore a version, discard the draft,
archive, unarchive and duplicate a flow (what the window's Versions tab and flow list do).

    flowbench restore NAME --version N [--revision R]
    flowbench discard NAME [--revision R]
    flowbench flows new-draft NAME | archive NAME | unarchive NAME
    flowbench flows duplicate NAME --name NEW [--draft]
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import NAME, Subparsers, add_command, argument, json_option
from flowbench.cli.output import print_result, say
from flowbench.cli.session import Session
from flowbench.domain.errors import NotFound, StaleError
from flowbench.services import drafts, flows

SEEN_REVISION = argument("--revision", type=int, metavar="R",
                         help="the draft revision you looked at: refused if it changed since")


def register(subparsers: Subparsers) -> None:
    add_command(subparsers, "restore", _restore, help="restore a published version as the "
                "draft", description="Make the content of a published version the content "
                "of the draft (the draft is started from the live version when there is "
                "none).", arguments=[NAME, argument("--version", type=int, required=True,
                                                    metavar="N", dest="number"),
                                     SEEN_REVISION])
    add_command(subparsers, "discard", _discard, help="discard the draft of a flow",
                description="Drop the draft; the flow shows its live version again. A flow "
                "never published cannot be discarded: archive it instead.",
                arguments=[NAME, SEEN_REVISION])


def register_flow_actions(commands: Subparsers) -> None:
    """``flows archive``, ``flows unarchive`` and ``flows duplicate``."""
    add_command(commands, "archive", _archive, help="archive a flow",
                description="Archive a flow: it no longer runs or shows in the list (flows "
                "list --archived shows it). Refused while it has running instances.",
                arguments=[NAME], archived=True)
    add_command(commands, "unarchive", _archive, help="bring an archived flow back",
                arguments=[NAME], archived=False)
    add_command(commands, "new-draft", _new_draft,
                help="start the next version as a draft copied from the live one",
                description="What the window's “Edit as Version N+1” does: a draft Version "
                "N+1 with the content of the live Version N.", arguments=[NAME])
    add_command(commands, "duplicate", _duplicate, help="copy a flow into a new flow",
                description="Create a new flow whose Version 1 draft holds the content of the "
                "live version (with --draft: of the draft; a flow never published gives its "
                "draft).", arguments=[
                    NAME, argument("--name", dest="new_name", required=True, metavar="NEW"),
                    argument("--draft", action="store_true",
                             help="copy the draft instead of the live version"),
                    json_option("print the new flow as JSON")])


def _check_revision(content: drafts.FlowContent, revision: int | None) -> None:
    if revision is not None and content.is_draft and content.revision != revision:
        raise StaleError(f"The draft of '{content.flow_name}' changed since you looked "
                         f"(now revision {content.revision}); nothing was changed.")


def _restore(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    current = drafts.open_flow(args.name)
    _check_revision(current, args.revision)
    restored = drafts.restore_version(actor, current.flow_id, args.number,
                                      expected_version=current.version,
                                      expected_revision=current.revision)
    say(f"Restored Version {args.number} of '{restored.flow_name}' into the draft "
        f"Version {restored.version} (revision {restored.revision}).")


def _discard(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    draft = drafts.get_draft(args.name)
    if draft is None:
        raise NotFound(f"'{drafts.open_flow(args.name).flow_name}' has no draft to discard.")
    _check_revision(draft, args.revision)
    live = drafts.discard_draft(actor, draft.flow_id, draft.revision)
    say(f"Discarded the draft Version {draft.version} of '{draft.flow_name}'; Version "
        f"{live.version} is live.")


def _archive(args: argparse.Namespace, session: Session) -> None:
    summary = flows.set_archived(session.actor(), args.name, args.archived)
    say(f"Archived '{summary.name}'." if args.archived else f"Unarchived '{summary.name}'.")


def _new_draft(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    summary = flows.flow_summary(drafts.open_flow(args.name).flow_id)
    if summary.live_version is None:
        raise NotFound(f"'{summary.name}' has no live version yet: its draft is Version "
                       f"{summary.draft_version}.")
    draft = drafts.start_next_draft(actor, summary.id, summary.live_version)
    say(f"Started Version {draft.version} of '{draft.flow_name}' as a draft, from Version "
        f"{summary.live_version}.")


def _duplicate(args: argparse.Namespace, session: Session) -> None:
    summary = flows.duplicate_flow(session.actor(), args.name, args.new_name,
                                   from_draft=args.draft)
    print_result(summary, args.json,
                 f"Created '{summary.name}' from '{args.name}': Version 1 (draft).")
