"""Publishing across processes: killed mid-way, and two members racing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import PASSWORD, publish_first_version, start_next
from tally_checks import assert_tallies_exact
from workspaces import Location, is_postgres, read_rows

from flowbench.domain.definition import FlowDefinition, Step, Trigger
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


def _worker(ws_path: Path, mode: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(ws_path), "publisher@example.com", PASSWORD,
         "Onboarding", mode, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
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


@pytest.mark.slow
def test_a_publish_keeping_its_tallies_set_based_leaves_other_writers_counted(
        cast, ws_path: Path, tmp_path: Path) -> None:
    """A large publish holds the tally row triggers inside its own transaction (SQLite;
    PostgreSQL keeps its statement triggers). Paused in the middle of starting customers:
    another process sees every trigger in place, and its events import — waiting for the
    write lock on SQLite, side by side on PostgreSQL — is counted once both are done."""
    _large(cast, ws_path)
    open_workspace(ws_path)
    welcome = FlowDefinition(trigger=Trigger("api_event", event="trial.started"),
                             steps=(Step("hello", "send_card", title="Hello", body="Hi"),))
    publish_first_version(cast.owner, "Welcome", welcome)
    close_workspace()
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps({"customer": f"c{n}", "event": "trial.started"})
                              + "\n" for n in range(SIZE + 1, SIZE + 501)))
    go, write = tmp_path / "go", tmp_path / "write"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    writer = subprocess.Popen(  # opened before the publish: opening may write (issue 12)
        [sys.executable, "-c", WRITER, str(ws_path), PASSWORD, str(events), str(write)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    publisher = None
    try:
        assert writer.stdout.readline().strip() == "READY", writer.stderr.read()
        publisher = _worker(ws_path, "pause-at-stage", "Starting", str(go))
        assert publisher.stdout.readline().strip() == "PAUSED", publisher.stderr.read()
        assert _tally_triggers(ws_path) == _all_tally_triggers(ws_path)  # the held ones'
        # absence is not committed
        write.touch()
        time.sleep(1.0)  # the writer waits for the lock (SQLite) or has written (PostgreSQL)
        go.touch()
        assert publisher.wait(timeout=90) == 0, publisher.stderr.read()
        assert writer.wait(timeout=90) == 0, writer.stderr.read()
        assert writer.stdout.read().strip() == "IMPORTED 500"
    finally:
        for process in (publisher, writer):
            if process is not None and process.poll() is None:
                process.kill()
    assert _tally_triggers(ws_path) == _all_tally_triggers(ws_path)
    open_workspace(ws_path)
    assert_tallies_exact("a publish and an events import at once")
    assert models.Instance.select().where(models.Instance.flow == models.Flow.get(
        models.Flow.name == "Welcome").id).count() == 500
    assert models.Instance.select().where(models.Instance.status == "cancelled").count() \
        == SIZE


WRITER = """
import sys, time
from pathlib import Path
from flowbench.services import workspace
from flowbench.services.opening import open_workspace
from flowbench.services.runtime import events as runtime_events
location, password, events, go = sys.argv[1:5]
open_workspace(location)
actor = workspace.sign_in("olive@example.com", password)
print("READY", flush=True)
while not Path(go).exists():
    time.sleep(0.01)
result = runtime_events.import_events_jsonl(actor, Path(events).read_text(), "events.jsonl")
print("IMPORTED", sum(result.started.values()), flush=True)
"""


def _all_tally_triggers(ws_path: Location) -> int:
    """3 each on instance, card and segment_member; SQLite also has schema step 5's trigger
    that moves an instance's counts to its new version (PostgreSQL's statement triggers
    already follow a move)."""
    return 9 if is_postgres(ws_path) else 10


def _tally_triggers(ws_path: Location) -> int:
    """The tally triggers another connection sees (3 each on instance, card, segment_member)."""
    return int(read_rows(ws_path, "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'tally%'"
                         if is_postgres(ws_path) else "SELECT COUNT(*) FROM sqlite_master "
                         "WHERE type = 'trigger' AND name LIKE 'tally%'")[0][0])
