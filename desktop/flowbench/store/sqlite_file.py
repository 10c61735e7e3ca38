"""The workspace file on disk, before SQLite opens it for work: what it is (inspected
read-only, never changed), whether it can be written, and its backups.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from pathlib import Path

from flowbench.domain.errors import WorkspaceUnusable
from flowbench.private_files import private_file

APPLICATION_ID = "flowbench"
SQLITE_HEADER = b"SQLite format 3\x00"
# Opening runs SQLite's full "quick_check" (it reads every page: ~1.5 s for 500 MB) only
# on files up to this size, or when a -wal file shows the last session did not close it;
# larger files get the header, size and schema checks, and SQLite's own errors on a
# damaged page meanwhile.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024


def companion(path: Path, suffix: str) -> Path:
    """SQLite's file beside the workspace: ``-wal``, ``-shm`` or ``-journal``."""
    return path.with_name(path.name + suffix)


def can_write(path: Path) -> bool:
    """The file and its folder can both be written (SQLite needs the folder for its -wal
    and -shm files). As root this still sees read-only mounts and ``chattr +i``."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only_uri(path: Path) -> str:
    """Open for reading only. With no -wal beside it and a folder that cannot be written
    (so no other process can be writing it) the file is also "immutable": SQLite then
    needs no -shm file either."""
    immutable = not os.access(path.parent, os.W_OK) and not companion(path, "-wal").exists()
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def _shorter_than_its_header(header: bytes, size: int) -> bool:
    """A truncated file: smaller than the page size × page count its header states (when
    that count is valid: written by SQLite ≥ 3.7, change counter matching)."""
    if len(header) < 100 or header[24:28] != header[92:96]:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and size < page_size * pages


def inspect_sqlite(path: Path) -> int | None:
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
    in_use = companion(path, "-wal").exists()
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


def backup_sqlite(path: Path, version: int) -> Path:
    """Copy the database (consistently, via SQLite's backup API) beside itself, 0600."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
    private_file(target)
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
