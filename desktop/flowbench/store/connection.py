"""Opening a workspace: the one place that connects, checks, backs up and migrates.

Nothing here runs at import time. ``open_workspace`` refuses, with a clear message and
without touching the file, anything that is not a healthy Flowbench workspace of a
schema this version understands.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from peewee import Database, SqliteDatabase

from flowbench.domain.errors import WorkspaceUnusable
from flowbench.store import migrations, models
from flowbench.store.team import TeamDatabase, open_team_database
from flowbench.store.team_address import split_password

APPLICATION_ID = "flowbench"
WORKSPACE_SUFFIX = ".flowbench"
ENV_WORKSPACE = "FLOWBENCH_WORKSPACE"
SQLITE_HEADER = b"SQLite format 3\x00"
# Opening runs SQLite's full "quick_check" (it reads every page: ~1.5 s for 500 MB) only
# on files up to this size, or when a -wal file shows the last session did not close it;
# larger files get the header, size and schema checks, and SQLite's own errors on a
# damaged page meanwhile.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 15000,
    "synchronous": "normal",
    "cache_size": -32000,
}


def default_workspace_path() -> Path:
    """The embedded workspace in the platform's user data folder (not created here)."""
    return platformdirs.user_data_path("Flowbench", appauthor=False) / (
        "workspace" + WORKSPACE_SUFFIX)


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

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


_current: Workspace | None = None


def current_workspace() -> Workspace:
    if _current is None:
        raise WorkspaceUnusable("No workspace is open.")
    return _current


def _shorter_than_its_header(header: bytes, size: int) -> bool:
    """A truncated file: smaller than the page size × page count its header states (when
    that count is valid: written by SQLite ≥ 3.7, change counter matching)."""
    if len(header) < 100 or header[24:28] != header[92:96]:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and size < page_size * pages


def _inspect_sqlite(path: Path) -> int | None:
    """The schema version of an existing file; None when the file is new or empty.

    Raises WorkspaceUnusable, leaving the file as it was, for anything else.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise WorkspaceUnusable(f"{path} is a folder, not a Flowbench workspace file.")
    with path.open("rb") as handle:
        first = handle.read(100)  # the database header
    if first[:len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise WorkspaceUnusable(
            f"{path.name} is not a Flowbench workspace (it is not a database file).")
    # Read only, and when no other connection has the file open (no -wal beside it) also
    # "immutable", so that a refused file gets no -wal/-shm companions left next to it.
    in_use = path.with_name(path.name + "-wal").exists()
    full_check = in_use or path.stat().st_size <= FULL_CHECK_MAX_BYTES
    if not full_check and _shorter_than_its_header(first, path.stat().st_size):
        raise WorkspaceUnusable(
            f"{path.name} is damaged (the file is shorter than the database it holds); it "
            "was left as it is. Restore it from a backup.")
    uri = path.resolve().as_uri() + ("?mode=ro" if in_use else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise WorkspaceUnusable(f"{path.name} cannot be opened: {exc}.") from exc
    try:
        check = conn.execute("PRAGMA quick_check").fetchone() if full_check else ("ok",)
        if not check or check[0] != "ok":
            raise WorkspaceUnusable(
                f"{path.name} is damaged (the database check failed); it was left as it is. "
                "Restore it from a backup.")
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "flowbench_meta" not in tables:
            raise WorkspaceUnusable(
                f"{path.name} is a database, but not a Flowbench workspace; it was left as it is.")
        facts = dict(conn.execute("SELECT key, value FROM flowbench_meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise WorkspaceUnusable(
            f"{path.name} is damaged or not a database ({exc}); it was left as it is.") from exc
    finally:
        conn.close()
    if facts.get("application") != APPLICATION_ID:
        raise WorkspaceUnusable(f"{path.name} is not a Flowbench workspace.")
    try:
        return int(facts.get("schema_version", "0"))
    except ValueError as exc:
        raise WorkspaceUnusable(f"{path.name} has an unreadable schema version.") from exc


def _refuse_newer(version: int, where: str) -> None:
    if version > migrations.LATEST_SCHEMA:
        raise WorkspaceUnusable(
            f"{where} was saved by a newer Flowbench (schema {version}; this version "
            f"understands up to {migrations.LATEST_SCHEMA}). Update Flowbench to open it; "
            "the workspace was left as it is.")


def backup_sqlite(path: Path, version: int) -> Path:
    """Copy the database (consistently, via SQLite's backup API) beside itself."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def open_sqlite(path: Path, *, until: int | None = None) -> Workspace:
    """Open (creating if needed) a SQLite workspace; migrate after a backup."""
    path = path.expanduser()
    version = _inspect_sqlite(path)
    if version is not None:
        _refuse_newer(version, path.name)
    created = version is None
    backup = None
    if version is not None and version < migrations.LATEST_SCHEMA:
        backup = backup_sqlite(path, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    workspace = Workspace(str(path), db, version or 0, backup, created)
    try:
        _activate(workspace, until)
    except WorkspaceUnusable:
        workspace.close()
        raise
    except Exception as exc:  # a failed migration step: refuse clearly, leave nothing open
        workspace.close()
        copy = f" The copy made before the upgrade is {backup.name}." if backup else ""
        raise WorkspaceUnusable(f"{path.name} could not be upgraded to this version of "
                                f"Flowbench ({exc}).{copy}") from exc
    return workspace


def _activate(workspace: Workspace, until: int | None) -> None:
    global _current
    if _current is not None and _current is not workspace:
        _current.close()
    db = workspace.db
    models.database.initialize(db)
    db.connect(reuse_if_open=True)
    with _schema_lock(db):
        with db.atomic():
            db.create_tables([models.Meta])
            models.Meta.insert(key="application",
                               value=APPLICATION_ID).on_conflict_ignore().execute()
            row = models.Meta.get_or_none(models.Meta.key == "schema_version")
            current = int(row.value) if row else 0
        _refuse_newer(current, workspace.display_name)
        workspace.schema_version = migrations.migrate(
            db, current, until if until is not None else migrations.LATEST_SCHEMA)
    _current = workspace


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
                   password: str | None = None) -> Workspace:
    """Open the workspace at ``location`` (see ``resolve_location``).

    A ``postgresql://USER@HOST:PORT/DB`` location opens a team workspace; ``password``
    is used for it (and then kept in the system keyring). A password in the address is
    taken out and used the same way: the workspace's location never holds it.
    """
    resolved = resolve_location(location)
    if is_server_location(resolved):
        address, in_address = split_password(resolved)
        return open_postgres(address, password=password or in_address)
    return open_sqlite(Path(resolved))


def close_workspace() -> None:
    global _current
    if _current is not None:
        _current.close()
        _current = None


@contextmanager
def write_transaction() -> Iterator[None]:
    """One unit of work that writes: takes the write lock up front on SQLite.

    On PostgreSQL many members write at once: a unit of work that changes a flow locks
    its row first (``lock_rows``), so conflicting changes queue instead of interleaving.
    """
    db = models.database.obj
    if isinstance(db, SqliteDatabase):
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield


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
