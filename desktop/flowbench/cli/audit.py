"""The ``audit`` command: read the audit log, newest first, filtered like the window.

    flowbench --as EMAIL audit [--flow NAME] [--member EMAIL] [--action A] [--limit N]
                               [--json]

``--action`` is an exact action (``flow.publish``) or a family (``member.*``). Reading
the log needs the ``view_audit`` permission (Owners, Admins and Publishers): the service
decides, and writes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.output import emit_json, say, table
from flowbench.cli.session import Session, UsageError
from flowbench.services import members
from flowbench.services.audit_log import MAX_PAGE_SIZE, AuditFilter, AuditRecord, read_audit
from flowbench.services.context import get_flow

DEFAULT_LIMIT = 50


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit", help="show the audit log: who did what when",
        description="Print the newest entries of the audit log (who did what when), "
        "optionally only those about one flow, by one member or of one action. Needs a "
        "role that may read the audit log (Owner, Admin or Publisher).")
    parser.add_argument("--flow", metavar="NAME", help="only entries about this flow")
    parser.add_argument("--member", metavar="EMAIL", help="only entries by this member")
    parser.add_argument("--action", metavar="A",
                        help="only this action (e.g. flow.publish), or a family "
                             "such as member.*")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help=f"at most N entries, newest first (default {DEFAULT_LIMIT}, "
                             f"at most {MAX_PAGE_SIZE:,})")
    parser.add_argument("--json", action="store_true", help="print the entries as JSON")
    parser.set_defaults(run=_audit)


def _filters(args: argparse.Namespace) -> AuditFilter:
    flow_id = get_flow(args.flow, include_archived=True).id if args.flow else None
    member_id = members.get_member(args.member).id if args.member else None
    action = args.action.strip() if args.action else None
    return AuditFilter(flow_id=flow_id, member_id=member_id, action=action or None)


def _audit(args: argparse.Namespace, session: Session) -> None:
    if not getattr(args, "as_email", None):
        raise UsageError("'audit' reads the audit log, which only some roles may see: "
                         "say who you are with --as EMAIL.")
    actor = session.actor()
    page = read_audit(actor, _filters(args), limit=args.limit)
    if args.json:
        emit_json([record.to_dict() for record in page.records])
        return
    table(("WHEN (UTC)", "MEMBER", "ACTION", "FLOW", "WHAT"),
          [_row(record) for record in page.records], "No audit entries match.")
    if page.more:
        say(f"(only the newest {len(page.records):,} shown; ask for more with --limit)")


def _row(record: AuditRecord) -> tuple[object, ...]:
    return (record.at.strftime("%Y-%m-%d %H:%M:%S"), record.member_email, record.action,
            record.flow_name, record.summary)
