"""A long write's notice beside the workspace file: what a busy refusal and a waiting
window say about it, and the hook the window shows its wait with."""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

from flowbench.store import long_writes
from flowbench.store.long_writes import LongWrite, announced, waiting_for_lock, what_holds_the_lock

WORK = LongWrite("publishing Version 9 of 'Onboarding'", rows=400_000)


def test_a_write_of_this_process_is_named_as_this_flowbench(tmp_path: Path) -> None:
    """A window's save may wait for its own publish, run on a worker thread."""
    workspace = tmp_path / "ws.flowbench"
    with announced(workspace, WORK):
        sentence = what_holds_the_lock(workspace)
    assert sentence.startswith("This Flowbench is publishing Version 9 of 'Onboarding'")
    assert "about 20 seconds in all" in sentence
    assert what_holds_the_lock(workspace) == ""  # the notice went with the write


def test_another_process_is_named_as_another_flowbench(tmp_path: Path) -> None:
    workspace = tmp_path / "ws.flowbench"
    other = subprocess.Popen(["sleep", "30"])
    try:
        with announced(workspace, WORK):
            notice = long_writes.notice_path(workspace)
            fields = json.loads(notice.read_text())
            notice.write_text(json.dumps({**fields, "pid": other.pid}))
            assert what_holds_the_lock(workspace).startswith(
                "Another Flowbench is publishing Version 9")
    finally:
        other.kill()
        other.wait()


def test_the_hook_wraps_only_a_wait_for_an_announced_write(tmp_path: Path) -> None:
    workspace = tmp_path / "ws.flowbench"
    seen: list[str] = []

    @contextlib.contextmanager
    def hook(sentence: str) -> Iterator[None]:
        seen.append(sentence)
        yield

    long_writes.when_waiting(hook)
    try:
        with waiting_for_lock(workspace):  # nothing announced: no wait to show
            pass
        with announced(workspace, WORK), waiting_for_lock(workspace):
            pass
        with announced(workspace, WORK), waiting_for_lock(None):  # a team workspace
            pass
    finally:
        long_writes.when_waiting(None)
    assert len(seen) == 1 and seen[0].startswith("This Flowbench is publishing Version 9")
