"""The ``revisions`` command: every kept revision of a flow's draft (nothing is lost).

    flowbench revisions NAME [--json]

Lists revision, who saved it, when, and its content hash, oldest first. Export one with
``flowbench flows export NAME --revision R``. Reading them writes nothing.
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import NAME, Subparsers, add_command, json_option
from flowbench.cli.output import print_table
from flowbench.cli.session import Session
from flowbench.services import revisions


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers, "revisions", _revisions, help="list the kept revisions of a flow's draft",
        description="List every saved revision of the flow's current draft (revision, who "
        "saved it, when, content hash), oldest first. Every save is kept: export any of "
        "them with 'flows export NAME --revision R'.",
        arguments=[NAME, json_option("print the revisions as JSON")])


def _revisions(args: argparse.Namespace, session: Session) -> None:
    print_table(revisions.list_revisions(args.name), args.json,
                ("VERSION", "REVISION", "SAVED BY", "SAVED AT", "CONTENT HASH"),
                lambda info: (info.version, info.revision, info.saved_by,
                              info.saved_at.isoformat(sep=" "), info.content_hash[:12]),
                "No revisions kept.")
