"""``flowbench offline …``: take a team workspace offline, sync it back, resolve conflicts.

``--workspace URL offline copy FILE`` makes FILE an offline copy of the team workspace;
``--workspace FILE offline sync|conflicts|resolve`` work on that copy. The team server's
password comes from $PGPASSWORD or the system keyring, else it is asked for.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TypeVar

from flowbench.cli.commands import NAME, Subparsers, add_command, add_group, argument, json_option
from flowbench.cli.output import emit_json, print_table, refuse, say, table
from flowbench.cli.session import PG_PASSWORD_VARIABLE, Session, read_password
from flowbench.domain.errors import PasswordRequired
from flowbench.domain.offline import SyncOutcome
from flowbench.domain.offline_merge import parse_side
from flowbench.services import offline, offline_conflicts, offline_sync

T = TypeVar("T")


def register(subparsers: Subparsers) -> None:
    commands = add_group(
        subparsers, "offline", help="work offline on a copy of a team workspace and sync it "
        "back", description="Take a team workspace offline as a private copy, edit drafts "
        "there, then sync them back; a draft the team changed meanwhile is a conflict, never "
        "overwritten.")
    add_command(commands, "copy", _copy, help="make FILE an offline copy of the team "
                "workspace named by --workspace URL", arguments=[argument("file",
                                                                          metavar="FILE")])
    add_command(commands, "sync", _sync, help="send the copy's offline edits and refresh it",
                arguments=[json_option()])
    add_command(commands, "conflicts", _conflicts, help="list the copy's conflicts",
                arguments=[json_option()])
    add_command(commands, "resolve", _resolve, help="resolve a conflict and send the result",
                arguments=[NAME, argument("--keep", required=True, choices=("mine", "theirs"),
                                          help="keep your offline edit (mine) or take the "
                                               "team's (theirs)")])


def _with_server_password(call: Callable[[str | None], T]) -> T:
    """``call(password)``: first with none ($PGPASSWORD, the keyring), then asked for."""
    try:
        return call(None)
    except PasswordRequired:
        if PG_PASSWORD_VARIABLE in os.environ:
            raise
    return call(read_password("Password for the team workspace server: ",
                              PG_PASSWORD_VARIABLE))


def _copy(args: argparse.Namespace, session: Session) -> None:
    made = offline.take_offline(session.actor(), args.file)
    say(f"{made.path} is now an offline copy of {made.workspace_name} ({made.flows} flows). "
        f"Open it with --workspace {made.path}; sync it with 'offline sync'.")


def _print_report(report: offline_sync.SyncReport) -> None:
    table(("FLOW", "OUTCOME", "VERSION", "REVISION", "NOTE"),
          [(item.flow, str(item.outcome), item.version, item.revision, item.message)
           for item in report.flows], "No flows to sync.")
    if report.refreshed:
        say(f"The copy now shows {report.workspace} as it is on the server.")


def _sync(args: argparse.Namespace, session: Session) -> int:
    actor = session.actor()
    report = _with_server_password(lambda password: offline_sync.sync(actor,
                                                                       password=password))
    if args.json:
        emit_json(report.to_dict())
    else:
        _print_report(report)
        conflicts = report.count(SyncOutcome.CONFLICT)
        if conflicts:
            say(f"{conflicts} conflict(s): see 'offline conflicts', then 'offline resolve "
                "NAME --keep mine|theirs'.")
    if report.error:
        refuse(report.error + " Flows not synced stay pending; sync again to finish.")
        return 1
    return 0


def _conflicts(args: argparse.Namespace, session: Session) -> None:
    print_table(offline_conflicts.list_conflicts(), args.json,
                ("FLOW", "BASE", "MINE", "THEIRS"), lambda c: (
                    c.flow, f"v{c.base.version} r{c.base.revision}" if c.base else "–",
                    f"v{c.mine.version} (offline edit)",
                    f"v{c.theirs.version} r{c.theirs.revision} by {c.theirs.saved_by or '?'}"),
                "No conflicts.")


def _resolve(args: argparse.Namespace, session: Session) -> int:
    side = parse_side(args.keep)
    actor = session.actor()
    done = offline_conflicts.resolve(actor, args.name, side)
    say(f"Resolved '{done.flow}': kept {done.kept}.")
    report = done.sync
    if report is None and done.needs_password and PG_PASSWORD_VARIABLE not in os.environ:
        password = read_password("Password for the team workspace server: ",
                                 PG_PASSWORD_VARIABLE)
        report = offline_sync.sync(actor, password=password, only=done.flow)
    if report is None:
        say(done.notice)
        return 0
    _print_report(report)
    return 1 if report.error else 0
