"""The ``audit`` command: read the audit log, newest first, filtered like the window.

    flowbench --as EMAIL audit [--flow NAME] [--member EMAIL] [--action A] [--limit N]
                               [--json]

``--action`` is an exact action (``flow.publish``) or a family (``member.*``). Reading
the log needs the ``view_audit`` permission (Owners, Admins and Publishers): the service
decides, and writes nothing.
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import Subparsers, add_command, argument, json_option
from flowbench.cli.output import print_table, say
from flowbench.cli.session import Session, UsageError
from flowbench.services import members
from flowbench.services.audit_log import MAX_PAGE_SIZE, AuditFilter, AuditRecord, read_audit
from flowbench.services.context import get_flow

DEFAULT_LIMIT = 50


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers, "audit", _audit, help="show the audit log: who did what when",
        description="Print the newest entries of the audit log (who did what when), "
        "optionally only those about one flow, by one member or of one action. Needs a "
        "role that may read the audit log (Owner, Admin or Publisher).", arguments=[
            argument("--flow", metavar="NAME", help="only entries about this flow"),
            argument("--member", metavar="EMAIL", help="only entries by this member"),
            argument("--action", metavar="A", help="only this action (e.g. flow.publish), "
                     "or a family such as member.*"),
            argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                     help=f"at most N entries, newest first (default {DEFAULT_LIMIT}, at "
                          f"most {MAX_PAGE_SIZE:,})"),
            json_option("print the entries as JSON")])


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
    print_table(page.records, args.json, ("WHEN (UTC)", "MEMBER", "ACTION", "FLOW", "WHAT"),
                _row, "No audit entries match.")
    if page.more and not args.json:
        say(f"(only the newest {len(page.records):,} shown; ask for more with --limit)")


def _row(record: AuditRecord) -> tuple[object, ...]:
    return (record.at.strftime("%Y-%m-%d %H:%M:%S"), record.member_email, record.action,
            record.flow_name, record.summary)
