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
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from flowbench.private_files import FILE_MODE

NOTICE_SUFFIX = "-writing"
# Seconds per row a bulk write touches, from the benchmark's publish of 3,000,000 rows
# (docs/benchmarks.md: 136.6 s on SQLite), rounded up.
SECONDS_PER_ROW = 50e-6


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


def what_holds_the_lock(workspace_file: Path) -> str:
    """The sentence a busy refusal adds: the long write that holds the lock, or ""."""
    try:
        notice = json.loads(notice_path(workspace_file).read_text(encoding="utf-8"))
        started = datetime.datetime.fromisoformat(notice["started"])
        what, pid, expected = str(notice["what"]), int(notice["pid"]), float(
            notice["expected_seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    if not _running(pid):
        return ""
    # a window's write may wait for its own process's publish, run on a worker thread
    who = "This Flowbench" if pid == os.getpid() else "Another Flowbench"
    since = f"since {started:%H:%M:%S}"
    if expected <= 0:
        return f"{who} is {what} ({since})."
    # what a narrow status bar cuts off last: who, what, and how much longer
    left = expected - (datetime.datetime.now() - started).total_seconds()
    if left > 0:
        return (f"{who} is {what}: about {_duration(left)} more ({since}; about "
                f"{_duration(expected)} in all).")
    return f"{who} is {what}: longer than the {_duration(expected)} expected ({since})."


# Whoever shows the wait (the GUI): ``hook(sentence)`` wraps a write that is about to wait
# for an announced long write (another process's, or this one's on a worker thread).
WaitingHook = Callable[[str], AbstractContextManager[None]]
_waiting_hook: WaitingHook | None = None


def when_waiting(hook: WaitingHook | None) -> None:
    """Have ``hook(sentence)`` wrap every write that is about to wait for an announced
    long write (``sentence``: what that is, as ``what_holds_the_lock`` says it); None:
    nobody shows it."""
    global _waiting_hook
    _waiting_hook = hook


def waiting_hook() -> WaitingHook | None:
    return _waiting_hook


def waiting_for_lock(workspace_file: Path | None) -> AbstractContextManager[None]:
    """Around taking the write lock: the hook's context when a long write that holds it
    is announced (a file beside the workspace, read only when a hook is
    set), else nothing."""
    hook = _waiting_hook
    if hook is None or workspace_file is None:
        return contextlib.nullcontext()
    sentence = what_holds_the_lock(workspace_file)
    return hook(sentence) if sentence else contextlib.nullcontext()


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
