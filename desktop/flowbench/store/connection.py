"""Opening a workspace: the one place that connects, checks, backs up and migrates.

Nothing here runs at import time. ``open_workspace`` refuses, with a clear message and
without touching the file, anything that is not a healthy Flowbench workspace of a
schema this version understands.

Many processes share one workspace file. Opening a current workspace writes nothing;
only creating one (``init``, the welcome window) or migrating writes, and a migration
takes the write lock and waits for it like any write. In WAL mode readers never wait for
the writer; every write transaction starts with ``BEGIN IMMEDIATE`` so that it waits for
the lock (up to the busy timeout) at its start instead of failing at its commit. A file
or folder that cannot be written opens read-only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase

from flowbench.domain.errors import FlowbenchError, WorkspaceBusy, WorkspaceUnusable
from flowbench.private_files import private_file
from flowbench.store import migrations, models
from flowbench.store.default_location import WORKSPACE_SUFFIX as WORKSPACE_SUFFIX
from flowbench.store.default_location import default_workspace_path
from flowbench.store.faults import read_only, storage_fault
from flowbench.store.long_writes import (
    LongWrite,
    announced,
    waiting_for_lock,
    what_holds_the_lock,
)
from flowbench.store.sqlite_file import (
    APPLICATION_ID,
    backup_sqlite,
    can_write,
    inspect_sqlite,
    read_only_uri,
)
from flowbench.store.team import TeamDatabase, open_team_database
from flowbench.store.team_address import split_password

ENV_WORKSPACE = "FLOWBENCH_WORKSPACE"
# How long a write waits for another process's write to finish before it is refused as
# busy. At least 15 s; tests that need a refusal quickly lower it through this variable.
BUSY_TIMEOUT_MS = 15_000
ENV_BUSY_TIMEOUT = "FLOWBENCH_BUSY_TIMEOUT_MS"

# Set on every connection (none of these writes to the file).
CONNECTION_PRAGMAS = {
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32000,
}
# What a workspace file is set to when created (WAL is then kept in the file itself).
SQLITE_PRAGMAS = {"journal_mode": "wal", **CONNECTION_PRAGMAS, "busy_timeout": BUSY_TIMEOUT_MS}


def busy_timeout_ms() -> int:
    value = os.environ.get(ENV_BUSY_TIMEOUT, "")
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS


def resolve_location(explicit: str | os.PathLike[str] | None) -> str:
    """``--workspace`` if given, else ``$FLOWBENCH_WORKSPACE``, else the default file."""
    if explicit:
        return str(explicit)
    from_env = os.environ.get(ENV_WORKSPACE)
    if from_env:
        return from_env
    return str(default_workspace_path())


def is_server_location(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


@dataclass
class Workspace:
    """An open workspace database."""

    location: str
    db: Database
    schema_version: int
    backup_path: Path | None = None
    created: bool = False

    @property
    def is_sqlite(self) -> bool:
        return isinstance(self.db, SqliteDatabase)

    @property
    def is_team(self) -> bool:
        """A team workspace on a PostgreSQL server (shared with other desktops)."""
        return isinstance(self.db, TeamDatabase)

    @property
    def display_name(self) -> str:
        if isinstance(self.db, TeamDatabase):
            return self.db.display_name
        return self.location if not self.is_sqlite else Path(self.location).name

    notice: str = ""  # something the member should know (e.g. the keyring was unavailable)
    read_only: bool = False  # the file or its folder cannot be written: reads only
    made_file: bool = False  # opening created the file (see store/unset_file.py)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


_current: Workspace | None = None


def read_only_reason() -> str:
    """"" when the open workspace can be written, else why it cannot (for the window)."""
    if _current is None or not _current.read_only:
        return ""
    return (f"Read-only workspace: {_current.display_name} cannot be written (the file or "
            "its folder is read-only), so nothing can be changed here.")


def schema_has(version: int) -> bool:
    """The open workspace's schema includes step ``version`` (always, unless it was
    opened with ``until`` an older step, as the upgrade tests do)."""
    return _current is None or _current.schema_version >= version


def current_workspace() -> Workspace:
    if _current is None:
        raise WorkspaceUnusable("No workspace is open.")
    return _current


def _refuse_newer(version: int, where: str) -> None:
    if version > migrations.LATEST_SCHEMA:
        raise WorkspaceUnusable(
            f"{where} was saved by a newer Flowbench (schema {version}; this version "
            f"understands up to {migrations.LATEST_SCHEMA}). Update Flowbench to open it; "
            "the workspace was left as it is.")


def open_sqlite(path: Path, *, until: int | None = None, create: bool = False) -> Workspace:
    """Open a SQLite workspace; a missing file is created (0600). An empty file (zero
    bytes, or a database without tables) is used only when ``create`` (``init``, the
    welcome window); otherwise it is refused and left as it is."""
    path = path.expanduser()
    missing = not path.exists()
    version = None if missing else inspect_sqlite(path)
    if version is None and not missing and not create:
        raise WorkspaceUnusable(
            f"{path.name} is not a Flowbench workspace (it is empty); it was left as it is. "
            "Create a workspace with 'flowbench init' or Flowbench's welcome window.")
    if version is not None:
        _refuse_newer(version, path.name)
    target = until if until is not None else migrations.LATEST_SCHEMA
    writable = missing or can_write(path)
    if not writable and (version or 0) < target:
        raise WorkspaceUnusable(
            f"{path.name} is read-only, and this version of Flowbench must upgrade it before "
            "it can open it; it was left as it is. Open it with a Flowbench of its own "
            "version, or make it writable.")
    if missing:
        private_file(path)
    backup = backup_sqlite(path, version) if version is not None and version < target \
        else None
    db = SqliteDatabase(read_only_uri(path) if not writable else str(path),
                        pragmas={**CONNECTION_PRAGMAS, "busy_timeout": busy_timeout_ms()},
                        timeout=busy_timeout_ms() / 1000, lock_type="IMMEDIATE",
                        check_same_thread=False, uri=not writable)
    workspace = Workspace(str(path), db, version or 0, backup, version is None,
                          read_only=not writable, made_file=missing)
    try:
        _activate(workspace, until)
    except WorkspaceUnusable:
        workspace.close()
        _remove_if_made(path, missing)
        raise
    except Exception as exc:  # a failed migration step: refuse clearly, leave nothing open
        workspace.close()
        _remove_if_made(path, missing)
        fault = storage_fault(exc, path.name)
        if fault is not None:
            raise WorkspaceUnusable(str(fault)) from exc
        copy = f" The copy made before the upgrade is {backup.name}." if backup else ""
        raise WorkspaceUnusable(f"{path.name} could not be upgraded to this version of "
                                f"Flowbench ({exc}).{copy}") from exc
    return workspace


def _remove_if_made(path: Path, made: bool) -> None:
    """A workspace this call created but could not set up leaves no file behind."""
    if made:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(OSError):
                path.with_name(path.name + suffix).unlink()


def _activate(workspace: Workspace, until: int | None) -> None:
    """Connect and bring the schema up to date. A workspace already up to date is only
    read; creating and migrating take the write lock (and wait for it)."""
    global _current
    if _current is not None and _current is not workspace:
        _current.close()
    db = workspace.db
    models.database.initialize(db)
    db.connect(reuse_if_open=True)
    target = until if until is not None else migrations.LATEST_SCHEMA
    if workspace.created or workspace.schema_version < target:
        if workspace.is_sqlite:
            db.execute_sql("PRAGMA journal_mode = wal")  # type: ignore[no-untyped-call]
        with _schema_lock(db):
            with db.atomic():
                current = _stamp_schema(db)
            _refuse_newer(current, workspace.display_name)
            workspace.schema_version = migrations.migrate(db, current, target)
    _current = workspace


def _stamp_schema(db: Database) -> int:
    """Inside the write lock: mark the database as a Flowbench workspace (a new one gets
    its first table here) and return its schema version as it is now."""
    db.create_tables([models.Meta])
    models.Meta.insert(key="application", value=APPLICATION_ID).on_conflict_ignore().execute()
    row = models.Meta.get_or_none(models.Meta.key == "schema_version")
    return int(row.value) if row else 0


SCHEMA_LOCK_KEY = 0x466C6F77  # "Flow": the advisory lock of a team workspace's schema


@contextmanager
def _schema_lock(db: Database) -> Iterator[None]:
    """Two members opening a new or older team workspace at once: one creates or migrates
    the schema, the other waits and then finds it done. SQLite: the file's write lock."""
    if isinstance(db, SqliteDatabase):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        with suppress(Exception):  # a lost connection releases it anyway
            db.execute_sql(  # type: ignore[no-untyped-call]
                "SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def open_postgres(url: str, *, password: str | None = None,
                  until: int | None = None) -> Workspace:
    """Open (creating the schema in an empty database) a team workspace on PostgreSQL.

    The password comes from ``password``, the URL, ``$PGPASSWORD`` or the system keyring;
    without one the server's refusal raises PasswordRequired (callers ask and retry).
    """
    db, notice = open_team_database(url, password)
    try:
        version = db.inspect_schema()
        if version is not None:
            _refuse_newer(version, db.display_name)
        workspace = Workspace(url, db, version or 0, None, version is None, notice)
        _activate(workspace, until)
    except WorkspaceUnusable:
        db.close_quietly()
        raise
    except Exception as exc:
        db.close_quietly()
        raise WorkspaceUnusable(f"The team workspace {db.display_name} could not be "
                                f"upgraded to this version of Flowbench ({exc}).") from exc
    return workspace


def open_workspace(location: str | os.PathLike[str] | None = None, *,
                   password: str | None = None, create: bool = False) -> Workspace:
    """Open the workspace at ``location`` (see ``resolve_location``).

    A ``postgresql://USER@HOST:PORT/DB`` location opens a team workspace; ``password``
    is used for it (and then kept in the system keyring). A password in the address is
    taken out and used the same way: the workspace's location never holds it. ``create``:
    an empty file may become the new workspace (``init``, the welcome window).
    """
    resolved = resolve_location(location)
    if is_server_location(resolved):
        address, in_address = split_password(resolved)
        return open_postgres(address, password=password or in_address)
    return open_sqlite(Path(resolved), create=create)


def close_workspace() -> None:
    global _current
    if _current is not None:
        _current.close()
        _current = None


@contextmanager
def write_transaction(work: LongWrite | None = None) -> Iterator[None]:
    """One unit of work that writes: takes the write lock up front on SQLite.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE``: it waits (up to the busy
    timeout) for another process's write to finish, then runs. A busy workspace, a full
    disk or a file that cannot be written raises the matching FlowbenchError (busy,
    disk full, read-only) with everything rolled back. ``work`` names a long write
    (store/long_writes.py): a write that waits for it in vain then says what it waited for.

    On PostgreSQL many members write at once: a unit of work that changes a flow locks
    its row first (``lock_rows``), so conflicting changes queue instead of interleaving.
    """
    db = models.database.obj
    where = _current.display_name if _current is not None else "The workspace"
    if _current is not None and _current.read_only and db is _current.db:
        raise read_only(where)
    sqlite_file = Path(_current.location) if _current is not None and _current.is_sqlite \
        and db is _current.db else None
    try:
        with ExitStack() as stack:
            # the lock is waited for here: shown (the GUI) when a long write holds it
            with waiting_for_lock(sqlite_file if db.transaction_depth() == 0 else None,
                                  busy_timeout_ms() / 1000):
                stack.enter_context(db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase)
                                    else db.atomic())
            stack.enter_context(
                announced(sqlite_file if db.transaction_depth() == 1 else None, work))
            yield
    except FlowbenchError:
        raise
    except Exception as exc:  # also peewee's failed rollback after SQLite rolled back itself
        fault = storage_fault(exc, where)
        if fault is None:
            raise
        if isinstance(fault, WorkspaceBusy) and sqlite_file is not None:
            fault = WorkspaceBusy(" ".join(filter(None, (
                WorkspaceBusy.MESSAGE, what_holds_the_lock(sqlite_file)))))
        raise fault from exc


def lock_for_update(query: Any) -> Any:
    """``query … FOR UPDATE`` inside a write transaction on PostgreSQL; else ``query``."""
    db = models.database.obj
    if isinstance(db, SqliteDatabase) or not db.in_transaction():
        return query
    return query.for_update()


def lock_rows(model: type[models.BaseModel], *ids: int) -> None:
    """Inside ``write_transaction``: lock these rows until it ends (``SELECT … FOR UPDATE``).

    Another member's transaction that locks the same rows waits for this one to commit
    and then sees what it wrote. SQLite needs nothing: its write lock is taken up front.
    """
    db = models.database.obj
    if isinstance(db, SqliteDatabase) or not ids:
        return
    key: Any = model._meta.primary_key
    list(model.select(key).where(key.in_(sorted(ids))).order_by(key).for_update().tuples())
