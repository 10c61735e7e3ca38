"""A publish that moves running instances onto the new version, killed with SIGKILL in a
real process: all of it or none of it (SQLite and PostgreSQL)."""

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


def _large(cast) -> None:
    """Version 1 live with SIZE running instances waiting at "wait" (the draft, Version 2,
    has it too: every one of them can move), half of a segment of 2×SIZE."""
    flow_id = publish_first_version(cast.owner)
    first, last = add_customers(2 * SIZE)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, last)
    add_running_instances(flow_id, version_id(flow_id, 1), first, first + SIZE - 1)
    start_next(cast.owner, flow_id, "Welcome, v2")
    close_workspace()


def _worker(ws_path: Location, stage: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), FLOWBENCH_WORKER_MIGRATE="1")
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(ws_path), "publisher@example.com", PASSWORD,
         "Onboarding", "hang-at-stage", stage], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env)


def _state(ws_path: Location) -> tuple[object, ...]:
    if not is_postgres(ws_path):
        assert read_rows(ws_path, "PRAGMA integrity_check")[0][0] == "ok"
    live = [n for n, s in read_rows(ws_path, "SELECT number, status FROM flow_version "
                                              "ORDER BY number") if s == "live"]
    by_version = read_rows(ws_path, "SELECT v.number, i.status, COUNT(*) FROM instance i "
                                    "JOIN flow_version v ON v.id = i.version_id "
                                    "GROUP BY v.number, i.status ORDER BY v.number, i.status")
    tallies = read_rows(ws_path, "SELECT v.number, t.status, t.n FROM runtime_tally t "
                                 "JOIN flow_version v ON v.id = t.version_id WHERE "
                                 "t.kind = 'instance' AND t.n <> 0 "
                                 "ORDER BY v.number, t.status")
    audits = read_rows(ws_path, "SELECT COUNT(*) FROM audit_entry WHERE action = "
                                "'flow.publish'")[0][0]
    return live, [tuple(r) for r in by_version], [tuple(r) for r in tallies], int(audits)


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["Moving", "Saving"])
def test_killed_while_migrating_leaves_the_workspace_untouched(cast, ws_path: Location,
                                                               stage: str) -> None:
    _large(cast)
    before = _state(ws_path)
    worker = _worker(ws_path, stage)
    try:
        line = worker.stdout.readline().strip()
        assert line == "HANGING", worker.stderr.read()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _state(ws_path) == before
    open_workspace(ws_path)  # and it still opens and works


DONE = ([2], [(2, "running", 2 * SIZE)], [(2, "running", 2 * SIZE)], 2)


@pytest.mark.slow
def test_left_to_finish_it_moves_all_of_them(cast, ws_path: Location) -> None:
    _large(cast)
    worker = _worker(ws_path, "never")
    out, err = worker.communicate(timeout=300)
    assert out.strip() == "PUBLISHED", err
    # all SIZE moved onto Version 2 (nothing left to cancel), the other SIZE started
    assert _state(ws_path) == DONE


@pytest.mark.slow
def test_killed_at_a_random_moment_moves_all_or_nothing(cast, ws_path: Location) -> None:
    _large(cast)
    before = _state(ws_path)
    worker = _worker(ws_path, "never")
    time.sleep(1.2)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    after = _state(ws_path)
    assert after in (before, DONE), after
