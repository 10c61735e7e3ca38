"""Commands for the workspace, its members and settings, flows, validation and approvals."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flowbench.cli import lifecycle, people
from flowbench.cli.commands import (
    EMAIL,
    NAME,
    REVIEWED_REVISION,
    Subparsers,
    add_command,
    add_group,
    argument,
    json_option,
)
from flowbench.cli.output import emit_json, on_off, print_table, refuse, say, table
from flowbench.cli.session import (
    NEW_PASSWORD_VARIABLE,
    PASSWORD_VARIABLE,
    Session,
    UsageError,
    read_password,
)
from flowbench.domain.errors import InvalidInput, NotFound
from flowbench.domain.validation import Problem, has_errors
from flowbench.services import approvals, drafts, flow_files, flows, members, workspace

ON_OFF = ("on", "off")
JSON = json_option("print JSON instead of a table")
GROUP = argument("--group", required=True, metavar="GROUP")


def register(subparsers: Subparsers) -> None:
    _register_workspace(subparsers)
    _register_members(subparsers)
    _register_groups(subparsers)
    _register_settings(subparsers)
    _register_flows(subparsers)
    _register_drafts(subparsers)
    lifecycle.register(subparsers)


# --- init ------------------------------------------------------------------------------

def _register_workspace(subparsers: Subparsers) -> None:
    add_command(subparsers, "init", _init, help="create the workspace and its Owner",
                description="Create the workspace file and its Owner. The Owner's password "
                f"comes from ${PASSWORD_VARIABLE}, else it is asked for twice.",
                arguments=[argument("--workspace-name", required=True, metavar="NAME"),
                           argument("--owner-email", required=True, metavar="EMAIL"),
                           argument("--owner-name", required=True, metavar="NAME")],
                creates_workspace=True)


def _init(args: argparse.Namespace, session: Session) -> None:
    if workspace.is_initialised():
        raise InvalidInput(f"{session.location} is already set up; sign in with --as "
                           "instead.")
    password = read_password(f"Choose a password for {args.owner_email}: ",
                             PASSWORD_VARIABLE, confirm=True)
    owner = workspace.create_workspace(args.workspace_name, args.owner_email,
                                       args.owner_name, password)
    say(f"Created workspace '{args.workspace_name.strip()}' at {session.location} "
        f"with {owner.email} as its Owner.")


# --- members ---------------------------------------------------------------------------

def _register_members(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "members", help="list and manage members")
    add_command(commands, "add", _members_add, help="add a member",
                description="Add a member. The initial password comes from "
                f"${NEW_PASSWORD_VARIABLE}, else it is asked for twice.",
                arguments=[argument("--email", required=True),
                           argument("--name", required=True),
                           argument("--role", required=True,
                                    help="owner, admin, publisher, editor or viewer")])
    add_command(commands, "set-role", _members_set_role, help="change a member's role",
                arguments=[EMAIL, argument("role", metavar="ROLE")])
    add_command(commands, "deactivate", _members_deactivate,
                help="stop a member from signing in", arguments=[EMAIL])
    add_command(commands, "list", _members_list, help="list the members", arguments=[JSON],
                read_only=True)
    people.register_member_actions(commands)


def _members_add(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    password = read_password(f"Initial password for {args.email}: ", NEW_PASSWORD_VARIABLE,
                             confirm=True)
    info = members.add_member(actor, args.email, args.name, args.role, password)
    say(f"Added {info.email} ({info.name}) as {info.role}.")


def _members_set_role(args: argparse.Namespace, session: Session) -> None:
    info = members.set_role(session.actor(), args.email, args.role)
    say(f"{info.email} is now {info.role}.")


def _members_deactivate(args: argparse.Namespace, session: Session) -> None:
    info = members.deactivate(session.actor(), args.email)
    say(f"Deactivated {info.email}: they can no longer sign in.")


def _members_list(args: argparse.Namespace, session: Session) -> None:
    print_table(members.list_members(), args.json, ("EMAIL", "NAME", "ROLE", "ACTIVE", "GROUPS"),
                lambda m: (m.email, m.name, m.role, m.active, m.groups), "No members yet.")


# --- approval groups -------------------------------------------------------------------

def _register_groups(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "groups", help="manage approval groups")
    add_command(commands, "add", _groups_add, help="add an approval group", arguments=[NAME])
    add_command(commands, "add-member", _groups_add_member,
                help="add a member to an approval group", arguments=[NAME, EMAIL])
    add_command(commands, "list", _groups_list,
                help="list the approval groups and their members", arguments=[JSON],
                read_only=True)
    people.register_group_actions(commands)


def _groups_add(args: argparse.Namespace, session: Session) -> None:
    name = members.add_group(session.actor(), args.name)
    say(f"Added the approval group '{name}'.")


def _groups_add_member(args: argparse.Namespace, session: Session) -> None:
    members.add_group_member(session.actor(), args.name, args.email)
    say(f"Added {args.email.strip().lower()} to '{args.name.strip()}'.")


def _groups_list(args: argparse.Namespace, session: Session) -> None:
    found = members.list_groups()
    if args.json:
        emit_json([{"name": name, "members": emails} for name, emails in found.items()])
        return
    table(("GROUP", "MEMBERS"), list(found.items()), "No approval groups yet.")


# --- settings --------------------------------------------------------------------------

def _register_settings(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "settings", help="show or change workspace settings")
    add_command(commands, "set", _settings_set,
                help="switch approvals or self-approval on or off",
                arguments=[argument("setting", choices=("approvals", "self-approval")),
                           argument("value", choices=ON_OFF)])
    add_command(commands, "show", _settings_show, help="show the workspace settings",
                arguments=[JSON], read_only=True)
    people.register_settings_actions(commands)


def _settings_set(args: argparse.Namespace, session: Session) -> None:
    enabled = args.value == "on"
    if args.setting == "approvals":
        workspace.set_approvals(session.actor(), enabled)
        say(f"Approvals are now {on_off(enabled)}.")
    else:
        workspace.set_self_approval(session.actor(), enabled)
        say(f"Self-approval is now {'allowed' if enabled else 'not allowed'}.")


def _settings_show(args: argparse.Namespace, session: Session) -> None:
    info = workspace.workspace_info()
    if args.json:
        emit_json(info.to_dict())
        return
    table(("SETTING", "VALUE"), [
        ("workspace", info.name), ("approvals", on_off(info.approvals_enabled)),
        ("self-approval", on_off(info.allow_self_approval)),
        ("approval groups", info.groups)])


# --- flows -----------------------------------------------------------------------------

def _register_flows(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "flows",
                         help="list, import, export, archive and duplicate flows")
    add_command(commands, "list", _flows_list, help="list the flows",
                arguments=[argument("--archived", action="store_true",
                                    help="include archived flows"), JSON], read_only=True)
    lifecycle.register_flow_actions(commands)
    add_command(commands, "import", _flows_import, help="import a flow file",
                description="Import a flow file: a new name creates the flow as Version 1 "
                "draft; a known name replaces its draft (starting the next version if "
                "needed).", arguments=[argument("file", metavar="FILE",
                                                help="the flow file ('-' reads stdin)")])
    add_command(commands, "export", _flows_export, help="export a flow as a flow file",
                description="Write a version of a flow as a flow file (default: the draft if "
                "there is one, else the live version).", arguments=[
                    NAME, argument("--version", type=int, metavar="N", dest="number"),
                    argument("--revision", type=int, metavar="R",
                             help="a kept revision of the current draft (see 'revisions')"),
                    argument("-o", "--output", metavar="FILE",
                             help="write to FILE, not stdout")], read_only=True)


def _flows_list(args: argparse.Namespace, session: Session) -> None:
    print_table(flows.list_flows(include_archived=args.archived), args.json,
                ("NAME", "LIVE", "DRAFT", "APPROVAL"),
                lambda f: (f.name + (" (archived)" if f.archived else ""), f.live_version,
                           f.draft_version, f.approval_state or None), "No flows yet.")


def _read_flow_file(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise NotFound(f"There is no file {name}.")
        data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text (byte {exc.start}).") from None


def _flows_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    text = _read_flow_file(args.file)
    try:
        replaced = flow_files.replaced_by_import(actor, text)
        summary, created = flow_files.import_flow(actor, text)
    except InvalidInput as exc:
        raise InvalidInput(f"{args.file}: {exc}") from None
    if created:
        say(f"Imported '{summary.name}' as a new flow: Version {summary.draft_version} "
            "(draft).")
    else:
        say(f"Imported '{summary.name}' into its draft: Version {summary.draft_version}.")
    if replaced is not None:
        say(f"The revision it replaced ({replaced.revision}, saved by {replaced.saved_by} "
            f"{replaced.describe_age()}) is kept: see 'flowbench revisions "
            f"\"{summary.name}\"'.")


def _flows_export(args: argparse.Namespace, session: Session) -> None:
    if args.revision is not None and args.number is not None:
        raise UsageError("give --version N (a published version) or --revision R (a kept "
                         "revision of the draft), not both")
    text = flow_files.export_flow(args.name, args.number, revision=args.revision)
    if not args.output:
        sys.stdout.write(text)
        return
    Path(args.output).write_text(text, encoding="utf-8")
    say(f"Wrote '{args.name}' to {args.output}.")


# --- validation, versions and approvals ----------------------------------------------------

def _register_drafts(subparsers: Subparsers) -> None:
    add_command(subparsers, "validate", _validate, help="check a flow for problems",
                description="Check the draft (else the live version) of a flow; exit code 1 "
                "when it has errors.", arguments=[NAME, JSON], read_only=True)
    add_command(subparsers, "versions", _versions, help="list the versions of a flow",
                arguments=[NAME, JSON], read_only=True)
    add_command(subparsers, "approve", _approve, help="approve a draft for an approval group",
                arguments=[NAME, GROUP, REVIEWED_REVISION])
    add_command(subparsers, "reject", _reject, help="reject a draft for an approval group",
                arguments=[NAME, GROUP, argument("--comment", required=True, metavar="TEXT"),
                           REVIEWED_REVISION])


def _problem_line(problem: Problem) -> str:
    where = f"step {problem.step}" if problem.step is not None else "flow"
    return f"{problem.severity:<7}  {where} · {problem.field}: {problem.message}"


def _validate(args: argparse.Namespace, session: Session) -> int:
    content = drafts.open_flow(args.name)
    problems = drafts.problems_of(content.flow_name, content.definition)
    errors = sum(1 for problem in problems if problem.is_error)
    if args.json:
        emit_json([problem.to_dict() for problem in problems])
    else:
        say(f"'{content.flow_name}' Version {content.version} ({content.status}): "
            f"{errors} error{'s' if errors != 1 else ''}, {len(problems) - errors} "
            f"warning{'s' if len(problems) - errors != 1 else ''}.")
        for problem in problems:
            say(_problem_line(problem))
    if has_errors(problems):
        refuse(f"'{content.flow_name}' has {errors} validation "
               f"error{'s' if errors != 1 else ''}.")
        return 1
    return 0


def _versions(args: argparse.Namespace, session: Session) -> None:
    print_table(drafts.version_history(args.name), args.json,
                ("VERSION", "STATUS", "REVISION", "BY", "WHEN"), lambda info: (
                    info.number, info.status, info.revision,
                    info.published_by or info.updated_by or info.created_by,
                    info.published_at or info.updated_at or info.created_at))


def _approval_outcome(view: approvals.ApprovalView) -> str:
    if view.missing:
        return "Still waiting for: " + ", ".join(view.missing) + "."
    return "Every approval group has approved it."


def _approve(args: argparse.Namespace, session: Session) -> None:
    view = approvals.approve(session.actor(), args.name, args.group, args.revision)
    say(f"Approved Version {view.version} of '{args.name}' for {args.group}. "
        + _approval_outcome(view))


def _reject(args: argparse.Namespace, session: Session) -> None:
    view = approvals.reject(session.actor(), args.name, args.group, args.comment,
                            args.revision)
    say(f"Rejected Version {view.version} of '{args.name}' for {args.group}.")
