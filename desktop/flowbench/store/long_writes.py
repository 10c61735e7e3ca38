"""Long writes say what they are doing, so that a write refused as busy can say what it
waited for and how long that is expected to take.

A publish to a million customers holds a SQLite workspace's write lock for minutes (it
is all or nothing, so it cannot let go between stages). While it runs, a small notice
file beside the workspace (``NAME.flowbench-writing``, 0600, removed at the end) names
the work, when it started and how long it is expected to take; another process whose
write waited out the busy timeout adds that to its refusal. PostgreSQL workspaces need
no notice: their writers do not share one lock.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from flowbench.domain.errors import WorkspaceBusy
from flowbench.private_files import FILE_MODE

NOTICE_SUFFIX = "-writing"
# Seconds per row a bulk write touches, from the benchmark's publish of 3,000,000 rows on
# SQLite (docs/benchmarks-postgresql.md: 16.4 s on a quiet machine, 26 s under load —
# 5.5–8.7 µs a row), rounded up for slower disks.
SECONDS_PER_ROW = 10e-6


@dataclass(frozen=True)
class LongWrite:
    """What a long write does (``publishing Version 11 of 'Onboarding'``) and how many
    rows it touches (0: not known)."""

    what: str
    rows: int = 0

    @property
    def expected_seconds(self) -> float:
        return self.rows * SECONDS_PER_ROW


def notice_path(workspace_file: Path) -> Path:
    return workspace_file.with_name(workspace_file.name + NOTICE_SUFFIX)


@contextlib.contextmanager
def announced(workspace_file: Path | None, work: LongWrite | None) -> Iterator[None]:
    """Keep the notice beside the workspace while the block runs (never fails the work)."""
    if workspace_file is None or work is None:
        yield
        return
    path = notice_path(workspace_file)
    text = json.dumps({"what": work.what, "pid": os.getpid(),
                       "started": datetime.datetime.now().isoformat(timespec="seconds"),
                       "expected_seconds": round(work.expected_seconds)})
    written = False
    with contextlib.suppress(OSError):
        handle = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        written = True
    try:
        yield
    finally:
        if written:
            with contextlib.suppress(OSError):
                path.unlink()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes"
    return f"{seconds / 3600:.1f} hours"


@dataclass(frozen=True)
class _Notice:
    """A long write announced beside a workspace file, by a process still running."""

    who: str  # "This Flowbench" or "Another Flowbench"
    what: str
    started: datetime.datetime
    expected: float  # seconds in all; 0: not known

    def seconds_left(self) -> float:
        if self.expected <= 0:
            return 0.0
        return self.expected - (datetime.datetime.now() - self.started).total_seconds()

    def sentence(self) -> str:
        since = f"since {self.started:%H:%M:%S}"
        if self.expected <= 0:
            return f"{self.who} is {self.what} ({since})."
        # what a narrow status bar cuts off last: who, what, and how much longer
        left = self.seconds_left()
        if left > 0:
            return (f"{self.who} is {self.what}: about {_duration(left)} more ({since}; "
                    f"about {_duration(self.expected)} in all).")
        return (f"{self.who} is {self.what}: longer than the {_duration(self.expected)} "
                f"expected ({since}).")


def _read_notice(workspace_file: Path) -> _Notice | None:
    try:
        notice = json.loads(notice_path(workspace_file).read_text(encoding="utf-8"))
        started = datetime.datetime.fromisoformat(notice["started"])
        what, pid, expected = str(notice["what"]), int(notice["pid"]), float(
            notice["expected_seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _running(pid):
        return None
    # a window's write may wait for its own process's publish, run on a worker thread
    who = "This Flowbench" if pid == os.getpid() else "Another Flowbench"
    return _Notice(who, what, started, expected)


def what_holds_the_lock(workspace_file: Path) -> str:
    """The sentence a busy refusal adds: the long write that holds the lock, or ""."""
    notice = _read_notice(workspace_file)
    return notice.sentence() if notice is not None else ""


# Whoever shows the wait (the GUI): ``hook(sentence)`` wraps a write of its thread that is
# about to wait for an announced long write (another process's, or this one's on a worker
# thread).
WaitingHook = Callable[[str], AbstractContextManager[None]]
_waiting: tuple[WaitingHook, threading.Thread] | None = None
# A wait on the hook's thread for a long write expected to hold the lock longer than this
# many busy timeouts is refused at once: it could only end in the same refusal, after
# the window had frozen for the whole timeout. (Twice: the estimate is rough.)
HOPELESS_WAIT = 2


def when_waiting(hook: WaitingHook | None, thread: threading.Thread | None = None) -> None:
    """Have ``hook(sentence)`` wrap every write on ``thread`` (default: this one — the
    window's) that is about to wait for an announced long write (``sentence``: what that
    is, as ``what_holds_the_lock`` says it), and refuse a write there at once when the
    long write is expected to outlast the wait (``HOPELESS_WAIT``); None: neither."""
    global _waiting
    _waiting = None if hook is None else (hook, thread or threading.current_thread())


def waiting_hook() -> WaitingHook | None:
    return _waiting[0] if _waiting is not None else None


def waiting_for_lock(workspace_file: Path | None,
                     busy_timeout_s: float = 0) -> AbstractContextManager[None]:
    """Around taking the write lock: on the hook's thread, when a long write that holds
    it is announced (a file beside the workspace, read only then), the hook's context —
    or WorkspaceBusy at once, naming it, when it is expected to hold the lock for more
    than ``HOPELESS_WAIT`` × ``busy_timeout_s``; else nothing."""
    waiting = _waiting
    if waiting is None or workspace_file is None \
            or threading.current_thread() is not waiting[1]:
        return contextlib.nullcontext()
    notice = _read_notice(workspace_file)
    if notice is None:
        return contextlib.nullcontext()
    if busy_timeout_s > 0 and notice.seconds_left() > HOPELESS_WAIT * busy_timeout_s:
        raise WorkspaceBusy(f"{WorkspaceBusy.MESSAGE} {notice.sentence()}")
    return waiting[0](notice.sentence())


def _running(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill would end the process there; the notice is removed anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True
