"""What a failed write means to a person: the workspace is busy, the disk is full, or the
file cannot be written. Anything else is left as it is (a real bug, or a damaged file).

SQLite reports the cause as an error code on the exception (``sqlite_errorcode``); when
SQLite rolled the transaction back itself (a full disk), peewee's own rollback then fails
with "no transaction is active" and the real cause is that error's context. Both are
looked through.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

from flowbench.domain.errors import DiskFull, FlowbenchError, WorkspaceBusy, WorkspaceReadOnly

SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL = 5, 6, 8, 13
POSTGRES_DISK_FULL = "53100"
STORAGE_FAULTS = (WorkspaceBusy, DiskFull, WorkspaceReadOnly)


def disk_full(where: str) -> DiskFull:
    return DiskFull(f"There is no space left on the disk that holds {where}. "
                    "Nothing was saved.")


def read_only(where: str) -> WorkspaceReadOnly:
    return WorkspaceReadOnly(f"{where} is read-only (the file or its folder cannot be "
                             "written): it was opened for reading only, and nothing was "
                             "changed.")


def _links(error: BaseException) -> Iterator[BaseException]:
    """The error, the errors it wraps (peewee keeps the driver's as its first argument),
    and the errors it was raised while handling."""
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        link = todo.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        todo.extend(arg for arg in link.args if isinstance(arg, BaseException))
        todo.extend(e for e in (link.__cause__, link.__context__) if e is not None)


def _code(link: BaseException) -> int | None:
    code = getattr(link, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # the primary code


def storage_fault(error: BaseException, where: str) -> FlowbenchError | None:
    """The person-readable fault behind ``error``, or None when it is none of these."""
    for link in _links(error):
        if isinstance(link, STORAGE_FAULTS):
            return link
        code = _code(link)
        text = str(link).lower()
        if code == SQLITE_FULL or "database or disk is full" in text \
                or getattr(link, "pgcode", None) == POSTGRES_DISK_FULL \
                or (isinstance(link, OSError) and link.errno == errno.ENOSPC):
            return disk_full(where)
        if code == SQLITE_READONLY or "readonly database" in text \
                or (isinstance(link, OSError) and link.errno == errno.EROFS):
            return read_only(where)
        if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
            return WorkspaceBusy()
    return None
