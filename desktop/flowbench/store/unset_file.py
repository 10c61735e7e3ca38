"""Taking back a workspace file that was created and never set up.

Opening a workspace file that is not there creates it (the first run, File → New
Workspace…, ``--workspace`` naming a new file) so that the welcome dialog can set it up.
When the member closes that dialog instead, the file would stay behind: an empty
workspace, under a name File → New Workspace… then refuses ("a new workspace never
replaces a file"). ``discard_unset_file`` removes it — but only a file nobody set up and
nobody else has open, since another Flowbench may have opened the same new file
meanwhile.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path

log = logging.getLogger(__name__)

# what setting a workspace up writes (services/workspace.create_workspace); a file with
# either is somebody's workspace
SET_UP = "SELECT EXISTS (SELECT 1 FROM workspace_settings) OR EXISTS (SELECT 1 FROM member)"


def discard_unset_file(path: Path) -> bool:
    """Remove the SQLite workspace file ``path`` (closed by this process) if it is still
    not set up and no other connection has it open; True when it is gone.

    Leaving WAL mode needs every other connection gone — SQLite refuses while one is
    open, which is the test — and once in rollback mode an exclusive lock keeps every
    other process out while the file is checked (again: one may have set it up and closed
    it meanwhile) and removed. A file that is kept is put back in WAL mode."""
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(str(path), timeout=0, isolation_level=None)) as conn:
            mode = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
            if mode.lower() != "delete":
                return False
            conn.execute("BEGIN EXCLUSIVE")
            if conn.execute(SET_UP).fetchone()[0]:
                conn.execute("ROLLBACK")
                conn.execute("PRAGMA journal_mode = WAL")
                return False
            if os.name != "nt":  # under the lock: whoever opens it next finds no file
                path.unlink()
            conn.execute("ROLLBACK")
    except (sqlite3.Error, OSError) as error:  # open elsewhere, or not ours to judge
        log.info("kept the workspace file %s: %s", path, error)
        return False
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(OSError):
            path.with_name(path.name + suffix).unlink()
    log.info("removed the workspace file %s: it was created and never set up", path)
    return True
