"""The ``publish`` command: the draft becomes the live version."""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.output import emit_json, say
from flowbench.cli.session import Session
from flowbench.services import publishing


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "publish", help="publish the draft of a flow",
        description="Publish the draft of a flow: it becomes the live version. Refused "
        "when it has validation errors or lacks approvals (unless an Owner or Admin gives "
        "--override-reason).")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--override-reason", metavar="TEXT",
                        help="publish without the missing approvals, for this reason "
                             "(audited)")
    parser.add_argument("--revision", type=int, metavar="N",
                        help="the draft revision you reviewed: refused if it changed since")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=_publish)


def _publish(args: argparse.Namespace, session: Session) -> None:
    result = publishing.publish_draft(session.actor(), args.name,
                                      expected_revision=args.revision,
                                      override_reason=args.override_reason)
    if args.json:
        emit_json(result.to_dict())
    else:
        say(result.describe())
