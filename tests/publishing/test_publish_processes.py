"""Publishing across processes: killed mid-way, and two members racing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import PASSWORD, publish_first_version, start_next
from workspaces import Location, is_postgres, read_rows

from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace

WORKER = Path(__file__).parents[1] / "support" / "publish_worker.py"
SIZE = 20_000


def _large(cast, ws_path: Path) -> int:
    """Version 1 live with SIZE running instances and cards; a segment of 2×SIZE."""
    flow_id = publish_first_version(cast.owner)
    first, last = add_customers(2 * SIZE)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, last)
    add_running_instances(flow_id, version_id(flow_id, 1), first, first + SIZE - 1)
    start_next(cast.owner, flow_id, "Welcome, v2")
    close_workspace()
    return flow_id


def _worker(ws_path: Path, mode: str, arg: str = "") -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(ws_path), "publisher@example.com", PASSWORD,
         "Onboarding", mode, arg], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env)


def _state(ws_path: Location) -> tuple[str, tuple[int, ...]]:
    if not is_postgres(ws_path):
        assert read_rows(ws_path, "PRAGMA integrity_check")[0][0] == "ok"
    statuses = read_rows(ws_path, "SELECT number, status FROM flow_version ORDER BY number")
    live = [n for n, s in statuses if s == "live"]
    counts = read_rows(
        ws_path,
        "SELECT (SELECT COUNT(*) FROM instance WHERE status = 'running'),"
        " (SELECT COUNT(*) FROM instance WHERE status = 'cancelled'),"
        " (SELECT COUNT(*) FROM card WHERE status = 'cancelled'),"
        " (SELECT COUNT(*) FROM audit_entry WHERE action = 'flow.publish')")[0]
    return f"live {live}", tuple(int(n) for n in counts)


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["Starting", "Saving"])
def test_killed_mid_publish_leaves_the_workspace_intact(cast, ws_path: Path, stage) -> None:
    _large(cast, ws_path)
    before = _state(ws_path)
    worker = _worker(ws_path, "hang-at-stage", stage)
    try:
        line = worker.stdout.readline().strip()
        assert line == "HANGING", worker.stderr.read()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _state(ws_path) == before  # entirely untouched
    open_workspace(ws_path)  # and it still opens and works


@pytest.mark.slow
def test_killed_at_a_random_moment_is_all_or_nothing(cast, ws_path: Path) -> None:
    _large(cast, ws_path)
    before = _state(ws_path)
    worker = _worker(ws_path, "hang-at-stage", "never")
    time.sleep(1.2)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    after = _state(ws_path)
    published = ("live [2]", (2 * SIZE, SIZE, SIZE, 2))
    assert after in (before, published)


@pytest.mark.slow
def test_two_members_publishing_at_once_exactly_one_wins(cast, ws_path: Path,
                                                         tmp_path: Path) -> None:
    _large(cast, ws_path)
    go = tmp_path / "go"
    racers = [_worker(ws_path, "race", str(go)) for _ in range(2)]
    try:
        for racer in racers:
            assert racer.stdout.readline().strip() == "READY", racer.stderr.read()
        go.touch()
        outcomes = sorted((racer.wait(timeout=90), racer.stdout.read().strip())
                          for racer in racers)
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
    assert [code for code, _ in outcomes] == [0, 1]
    assert outcomes[0][1] == "PUBLISHED"
    assert outcomes[1][1].startswith("REFUSED:") and "review it again" in outcomes[1][1]
    assert _state(ws_path)[0] == "live [2]"
    assert _state(ws_path)[1][3] == 2  # one publish of Version 1, one of Version 2
