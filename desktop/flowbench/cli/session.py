"""What a command works in: the open workspace, the signed-in member, passwords."""

from __future__ import annotations

import argparse
import datetime
import getpass
import os
import sys
from pathlib import Path

from flowbench.domain.errors import InvalidInput, PasswordRequired, WorkspaceUnusable
from flowbench.domain.safe_text import printable
from flowbench.services import workspace as workspace_service
from flowbench.services.context import Actor
from flowbench.services.opening import (
    Workspace,
    close_workspace,
    is_server_location,
    open_workspace,
    resolve_location,
    split_password,
)

PASSWORD_VARIABLE = "FLOWBENCH_PASSWORD"
NEW_PASSWORD_VARIABLE = "FLOWBENCH_NEW_PASSWORD"
PG_PASSWORD_VARIABLE = "PGPASSWORD"  # a team workspace server's password (else asked for)


READ_ONLY_NOTE = ("This command changes nothing, so it runs without --as on a workspace "
                  "file. An --as given is checked all the same: a wrong password, an "
                  "unknown email or a deactivated account is refused.")


def read_only(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Mark a command that changes nothing: its help says it needs no --as."""
    parser.epilog = READ_ONLY_NOTE
    return parser


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


def read_password(prompt: str, variable: str, *, confirm: bool = False) -> str:
    """The password in ``$variable``, else asked for without echo (twice if ``confirm``)."""
    from_env = os.environ.get(variable)
    if from_env is not None:
        return from_env
    try:
        password = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat it: ") != password:
            raise InvalidInput("The two passwords differ; nothing was changed.")
    except EOFError:
        raise InvalidInput(f"No password given: set {variable} or type it when "
                           "asked.") from None
    return password


class Session:
    """One command's workspace and member; closed by ``cli.main``."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        # a password in a team workspace's address is used, never printed or logged
        self.location, self._address_password = split_password(
            resolve_location(getattr(args, "workspace", None)))
        self.workspace: Workspace | None = None
        self._actor: Actor | None = None
        self._new_file: Path | None = None

    def open(self, *, create: bool = False) -> Workspace:
        """Open the workspace; only ``init`` may create a missing file."""
        if self.workspace is None:
            path = Path(self.location).expanduser()
            if not create and not is_server_location(self.location) and not path.exists():
                raise WorkspaceUnusable(f"There is no workspace at {path}; create one with "
                                        "'flowbench init' or name another with --workspace.")
            if create and not is_server_location(self.location) and not path.exists():
                self._new_file = path
            self.workspace = self._open_maybe_with_password(create)
            if self.workspace.notice:
                print(f"flowbench: {printable(self.workspace.notice)}", file=sys.stderr)
        return self.workspace

    def _open_maybe_with_password(self, create: bool) -> Workspace:
        """A team workspace without a password in $PGPASSWORD or the keyring asks for it."""
        try:
            return open_workspace(self.location, password=self._address_password,
                                  create=create)
        except PasswordRequired:
            if not is_server_location(self.location) or PG_PASSWORD_VARIABLE in os.environ:
                raise
        password = read_password(f"Password for the team workspace {printable(self.location)}: ",
                                 PG_PASSWORD_VARIABLE)
        return open_workspace(self.location, password=password)

    def actor(self) -> Actor:
        """The member named by ``--as``, signed in with their password."""
        if self._actor is None:
            email = getattr(self.args, "as_email", None)
            if not email:
                command = getattr(self.args, "command", "this command")
                raise UsageError(f"'{command}' changes the workspace: say who you are with "
                                 "--as EMAIL.")
            password = read_password(f"Password for {printable(email)}: ", PASSWORD_VARIABLE)
            self._actor = workspace_service.sign_in(email, password)
        return self._actor

    def close(self, *, succeeded: bool = True) -> None:
        """Close the workspace; a file this command created is removed if it failed."""
        if self.workspace is not None:
            close_workspace()
            self.workspace = None
        if not succeeded and self._new_file is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                self._new_file.with_name(self._new_file.name + suffix).unlink(missing_ok=True)
        self._new_file = None
