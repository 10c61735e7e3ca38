"""Opening and closing a workspace: the one door the window and the command line use.

The store does the work (``store/connection.py``: where a workspace is, its pragmas and
migrations, the checks that refuse a damaged or newer file, the team server's password
in the keyring); this module is that work under its service name, so that ``ui/`` and
``cli/`` never import ``flowbench.store`` (``tests/unit/test_layers.py`` keeps the rule).
"""

from __future__ import annotations

import logging
import os
import threading

from flowbench.store import connection, long_writes, models
from flowbench.store.connection import (
    ENV_WORKSPACE,
    WORKSPACE_SUFFIX,
    Workspace,
    is_server_location,
    resolve_location,
)
from flowbench.store.long_writes import WaitingHook
from flowbench.store.team_address import split_password, without_password

__all__ = ["ENV_WORKSPACE", "WORKSPACE_SUFFIX", "Workspace", "close_workspace", "current_workspace",
           "discard_unset_workspace", "is_server_location", "open_workspace",
           "release_thread_connection", "resolve_location", "show_waits_with", "split_password",
           "stop_showing_waits", "without_password"]

log = logging.getLogger(__name__)


def open_workspace(location: str | os.PathLike[str] | None = None, *,
                   password: str | None = None, create: bool = False) -> Workspace:
    """Open the workspace at ``location`` (a file, or a ``postgresql://`` address with
    ``password`` for its server) and make it the one every service works on. ``create``:
    an empty file may become the new workspace (``init``, the welcome window)."""
    return connection.open_workspace(location, password=password, create=create)


def close_workspace() -> None:
    """Close the open workspace, if any."""
    connection.close_workspace()


def current_workspace() -> Workspace:
    """The open workspace (WorkspaceUnusable when none is open)."""
    return connection.current_workspace()


def release_thread_connection() -> None:
    """Close this thread's own database connection (peewee keeps one per thread): a
    worker thread calls it when its work is done, so no connection outlives its thread."""
    try:
        if models.database.obj is not None and not models.database.is_closed():
            models.database.close()
    except Exception:  # pragma: no cover - closing must never hide the real outcome
        log.exception("closing a worker thread's database connection failed")


def show_waits_with(hook: WaitingHook | None, thread: threading.Thread | None = None) -> None:
    """Have ``hook(sentence)`` wrap every write on ``thread`` (default: this one) that
    must wait for an announced long write (another process's, or this one's on a worker
    thread: a publish to many customers holds a workspace file's write lock for as long
    as it runs), so the GUI can say what it waits for (``sentence``) while it does — and
    refuse such a write there at once when the long write is expected to outlast the
    wait (``long_writes.HOPELESS_WAIT``); None: neither."""
    long_writes.when_waiting(hook, thread)


def stop_showing_waits(hook: WaitingHook) -> None:
    """Undo ``show_waits_with(hook)`` (if it is still the one set)."""
    if long_writes.waiting_hook() == hook:
        long_writes.when_waiting(None)


def discard_unset_workspace(workspace: Workspace) -> bool:
    """Remove the file of ``workspace`` — closed already — when opening it created the
    file and nobody has set it up (the welcome dialog was closed): True when it is gone.
    Anything else is kept: a file that was there, a team workspace, a file another
    Flowbench has open or has set up meanwhile (``store/unset_file.py``)."""
    from pathlib import Path

    from flowbench.store.unset_file import discard_unset_file

    workspace.close()
    if not workspace.made_file or not workspace.is_sqlite:
        return False
    return discard_unset_file(Path(workspace.location))
