"""The ``revisions`` command: every kept revision of a flow's draft (nothing is lost).

    flowbench revisions NAME [--json]

Lists revision, who saved it, when, and its content hash, oldest first. Export one with
``flowbench flows export NAME --revision R``. Reading them writes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.output import emit_json, table
from flowbench.cli.session import Session
from flowbench.services import revisions


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "revisions", help="list the kept revisions of a flow's draft",
        description="List every saved revision of the flow's current draft (revision, who "
        "saved it, when, content hash), oldest first. Every save is kept: export any of "
        "them with 'flows export NAME --revision R'.")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--json", action="store_true", help="print the revisions as JSON")
    parser.set_defaults(run=_revisions)


def _revisions(args: argparse.Namespace, session: Session) -> None:
    kept = revisions.list_revisions(args.name)
    if args.json:
        emit_json([info.to_dict() for info in kept])
        return
    table(("VERSION", "REVISION", "SAVED BY", "SAVED AT", "CONTENT HASH"),
          [(info.version, info.revision, info.saved_by, info.saved_at.isoformat(sep=" "),
            info.content_hash[:12]) for info in kept], "No revisions kept.")
