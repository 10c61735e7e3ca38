"""Member and approval group commands beyond adding: what Workspace → Members and
Settings does.

    flowbench members reactivate EMAIL | reset-password EMAIL | change-password
    flowbench groups rename OLD NEW | remove NAME | remove-member NAME EMAIL
    flowbench settings rename NAME
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import EMAIL, NAME, Subparsers, add_command, argument
from flowbench.cli.output import say
from flowbench.cli.session import (
    NEW_PASSWORD_VARIABLE,
    PASSWORD_VARIABLE,
    Session,
    read_password,
)
from flowbench.services import members, workspace


def register_member_actions(commands: Subparsers) -> None:
    add_command(commands, "reactivate", _reactivate,
                help="let a deactivated member sign in again", arguments=[EMAIL])
    add_command(commands, "reset-password", _reset_password,
                help="give a member a new password",
                description="Set a member's password. The new password comes from "
                f"${NEW_PASSWORD_VARIABLE}, else it is asked for twice.", arguments=[EMAIL])
    add_command(commands, "change-password", _change_password,
                help="change your own password (the member of --as)",
                description="Change the password of the member named by --as (their current "
                f"password as for --as). The new one comes from ${NEW_PASSWORD_VARIABLE}, "
                "else it is asked for twice.")


def register_settings_actions(commands: Subparsers) -> None:
    add_command(commands, "rename", _rename_workspace, help="rename the workspace",
                arguments=[NAME])


def register_group_actions(commands: Subparsers) -> None:
    add_command(commands, "rename", _rename,
                help="rename an approval group (its members and approvals stay)",
                arguments=[argument("name", metavar="OLD"),
                           argument("new_name", metavar="NEW")])
    add_command(commands, "remove", _remove, help="remove an approval group",
                arguments=[NAME])
    add_command(commands, "remove-member", _remove_member,
                help="take a member out of an approval group", arguments=[NAME, EMAIL])


def _reactivate(args: argparse.Namespace, session: Session) -> None:
    info = members.reactivate(session.actor(), args.email)
    say(f"Reactivated {info.email}: they can sign in again.")


def _reset_password(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    password = read_password(f"New password for {args.email}: ", NEW_PASSWORD_VARIABLE,
                             confirm=True)
    members.reset_password(actor, args.email, password)
    say(f"Set a new password for {args.email.strip().lower()}.")


def _change_password(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    current = read_password(f"Current password for {actor.email}: ", PASSWORD_VARIABLE)
    new = read_password("New password: ", NEW_PASSWORD_VARIABLE, confirm=True)
    members.change_own_password(actor, current, new)
    say(f"Changed the password of {actor.email}.")


def _rename_workspace(args: argparse.Namespace, session: Session) -> None:
    info = workspace.rename_workspace(session.actor(), args.name)
    say(f"The workspace is now called '{info.name}'.")


def _rename(args: argparse.Namespace, session: Session) -> None:
    name = members.rename_group(session.actor(), args.name, args.new_name)
    say(f"Renamed the approval group '{args.name.strip()}' to '{name}'.")


def _remove(args: argparse.Namespace, session: Session) -> None:
    members.remove_group(session.actor(), args.name)
    say(f"Removed the approval group '{args.name.strip()}'.")


def _remove_member(args: argparse.Namespace, session: Session) -> None:
    members.remove_group_member(session.actor(), args.name, args.email)
    say(f"Removed {args.email.strip().lower()} from '{args.name.strip()}'.")
