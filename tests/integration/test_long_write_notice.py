"""A long write's notice beside the workspace file: what a busy refusal and a waiting
window say about it, and the hook the window shows its wait with."""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowbench.domain.errors import WorkspaceBusy
from flowbench.store import long_writes
from flowbench.store.long_writes import LongWrite, announced, waiting_for_lock, what_holds_the_lock

WORK = LongWrite("publishing Version 9 of 'Onboarding'", rows=2_000_000)  # 20 s


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


def test_the_sentence_puts_how_much_longer_before_the_details(tmp_path: Path) -> None:
    """A narrow status bar cuts the sentence's end: who, what and how much longer come
    first; a write past its expected time says so instead of a time left."""
    workspace = tmp_path / "ws.flowbench"
    with announced(workspace, WORK):
        on_time = what_holds_the_lock(workspace)
        notice = long_writes.notice_path(workspace)
        fields = json.loads(notice.read_text())
        started = datetime.datetime.fromisoformat(fields["started"])
        earlier = started - datetime.timedelta(minutes=3)
        notice.write_text(json.dumps({**fields, "started": earlier.isoformat()}))
        late = what_holds_the_lock(workspace)
    assert re.fullmatch(r"This Flowbench is publishing Version 9 of 'Onboarding': about "
                        r"(19|20) seconds more \(since \d\d:\d\d:\d\d; about 20 seconds "
                        r"in all\)\.", on_time), on_time
    assert late == ("This Flowbench is publishing Version 9 of 'Onboarding': longer than "
                    f"the 20 seconds expected (since {earlier:%H:%M:%S}).")


@pytest.fixture
def shown() -> Iterator[list[str]]:
    """The waits a hook on this thread was asked to show (the hook unset afterwards)."""
    seen: list[str] = []

    @contextlib.contextmanager
    def hook(sentence: str) -> Iterator[None]:
        seen.append(sentence)
        yield

    long_writes.when_waiting(hook)
    try:
        yield seen
    finally:
        long_writes.when_waiting(None)


def test_the_hook_wraps_only_a_wait_for_an_announced_write(
        tmp_path: Path, shown: list[str]) -> None:
    workspace = tmp_path / "ws.flowbench"
    with waiting_for_lock(workspace):  # nothing announced: no wait to show
        pass
    with announced(workspace, WORK), waiting_for_lock(workspace):
        pass
    with announced(workspace, WORK), waiting_for_lock(None):  # a team workspace
        pass
    assert len(shown) == 1 and shown[0].startswith("This Flowbench is publishing Version 9")


def test_a_wait_that_cannot_succeed_is_refused_at_once_on_the_hook_thread_only(
        tmp_path: Path, shown: list[str]) -> None:
    """The window's thread does not freeze for a busy timeout when the long write is
    expected to hold the lock for longer than twice that: the write is refused at once,
    naming it. Other threads (a worker's publish, say) wait as before, unshown."""
    workspace = tmp_path / "ws.flowbench"
    outcome: list[object] = []

    def elsewhere() -> None:
        with waiting_for_lock(workspace, busy_timeout_s=5):
            outcome.append("waited")

    with announced(workspace, WORK):  # 20 s expected
        with waiting_for_lock(workspace, busy_timeout_s=15):  # 20 s < 2 × 15 s: waits
            pass
        with pytest.raises(WorkspaceBusy) as refused:  # 20 s > 2 × 5 s: hopeless
            waiting_for_lock(workspace, busy_timeout_s=5)
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert str(refused.value).startswith(WorkspaceBusy.MESSAGE + " This Flowbench is "
                                         "publishing Version 9 of 'Onboarding': about ")
    assert len(shown) == 1 and outcome == ["waited"]
