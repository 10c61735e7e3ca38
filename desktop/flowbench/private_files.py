"""Files only their owner may read: workspaces hold password hashes and customer data.

Everything Flowbench creates on disk — the workspace file (and so SQLite's -wal/-shm,
which take its mode), backups, recovery files, the log and the settings file — is
created through these functions: files 0600, folders 0700, whatever the umask.
Existing files and folders keep the mode their owner gave them.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> Path:
    """Create ``folder`` and any missing parents, each new one 0700."""
    missing: list[Path] = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            level.mkdir(mode=FOLDER_MODE)
            os.chmod(level, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return folder


def private_file(path: Path) -> bool:
    """Create ``path`` empty and 0600 if it does not exist; True if this call made it."""
    private_folder(path.parent)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows has no such modes to set
            os.fchmod(handle, FILE_MODE)
    finally:
        os.close(handle)
    return True


def make_private(path: Path) -> None:
    """Narrow an existing file Flowbench wrote (e.g. by a library) to 0600."""
    with contextlib.suppress(OSError):
        if path.exists() and path.stat().st_mode & 0o077:
            os.chmod(path, FILE_MODE)
