"""Commands for a flow's life beyond drafting: restore a version, discard the draft,
archive, unarchive and duplicate a flow (what the window's Versions tab and flow list do).

    flowbench restore NAME --version N [--revision R]
    flowbench discard NAME [--revision R]
    flowbench flows new-draft NAME | archive NAME | unarchive NAME
    flowbench flows duplicate NAME --name NEW [--draft]
"""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.output import emit_json, say
from flowbench.cli.session import Session
from flowbench.domain.errors import NotFound, StaleError
from flowbench.services import drafts, flows

Subparsers = Any


def register(subparsers: Subparsers) -> None:
    restore = subparsers.add_parser(
        "restore", help="restore a published version as the draft",
        description="Make the content of a published version the content of the draft "
        "(the draft is started from the live version when there is none).")
    restore.add_argument("name", metavar="NAME")
    restore.add_argument("--version", type=int, required=True, metavar="N", dest="number")
    _revision_option(restore)
    restore.set_defaults(run=_restore)
    discard = subparsers.add_parser(
        "discard", help="discard the draft of a flow",
        description="Drop the draft; the flow shows its live version again. A flow never "
        "published cannot be discarded: archive it instead.")
    discard.add_argument("name", metavar="NAME")
    _revision_option(discard)
    discard.set_defaults(run=_discard)


def register_flow_actions(commands: Subparsers) -> None:
    """``flows archive``, ``flows unarchive`` and ``flows duplicate``."""
    archive = commands.add_parser(
        "archive", help="archive a flow",
        description="Archive a flow: it no longer runs or shows in the list (flows list "
        "--archived shows it). Refused while it has running instances.")
    archive.add_argument("name", metavar="NAME")
    archive.set_defaults(run=_archive, archived=True)
    unarchive = commands.add_parser("unarchive", help="bring an archived flow back")
    unarchive.add_argument("name", metavar="NAME")
    unarchive.set_defaults(run=_archive, archived=False)
    new_draft = commands.add_parser(
        "new-draft", help="start the next version as a draft copied from the live one",
        description="What the window's “Edit as Version N+1” does: a draft Version N+1 "
        "with the content of the live Version N.")
    new_draft.add_argument("name", metavar="NAME")
    new_draft.set_defaults(run=_new_draft)
    duplicate = commands.add_parser(
        "duplicate", help="copy a flow into a new flow",
        description="Create a new flow whose Version 1 draft holds the content of the live "
        "version (with --draft: of the draft; a flow never published gives its draft).")
    duplicate.add_argument("name", metavar="NAME")
    duplicate.add_argument("--name", dest="new_name", required=True, metavar="NEW")
    duplicate.add_argument("--draft", action="store_true",
                           help="copy the draft instead of the live version")
    duplicate.add_argument("--json", action="store_true", help="print the new flow as JSON")
    duplicate.set_defaults(run=_duplicate)


def _revision_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--revision", type=int, metavar="R",
                        help="the draft revision you looked at: refused if it changed since")


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
    if args.json:
        emit_json(summary.to_dict())
    else:
        say(f"Created '{summary.name}' from '{args.name}': Version 1 (draft).")
