"""Many processes on one workspace: reads never fail, writes wait their turn.

A real publisher process publishes Onboarding to a 20,000-member segment and holds its
write transaction open at the last stage; meanwhile reader processes read 200 times and
writer processes try 20 writes. Every read succeeds; every write succeeds after the
publish commits, or (only past the busy timeout) refuses with the busy message.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bulk_data import add_customers, add_running_instances, add_segment_members, version_id
from publishing_world import PASSWORD, publish_first_version, start_next
from workspaces import Location, is_postgres, read_rows

from flowbench.domain.errors import WorkspaceBusy
from flowbench.store import models
from flowbench.store.connection import ENV_BUSY_TIMEOUT, close_workspace, open_workspace

SUPPORT = Path(__file__).parents[1] / "support"
SEGMENT_SIZE = 20_000
READERS, READS_EACH = 4, 50  # 200 reads
WRITERS, WRITES_EACH = 2, 10  # 20 writes
BUSY = WorkspaceBusy.MESSAGE


def _segment_of_20000(cast) -> int:
    """Version 1 live with 20,000 running instances; its segment has 20,000 customers."""
    flow_id = publish_first_version(cast.owner)
    first, last = add_customers(SEGMENT_SIZE)
    segment = models.Segment.get(models.Segment.name == "Trial users").id
    add_segment_members(segment, first, last)
    add_running_instances(flow_id, version_id(flow_id, 1), first, last)
    start_next(cast.owner, flow_id, "Welcome, v2")
    close_workspace()
    return flow_id


def _process(script: str, *args: str, env: dict[str, str] | None = None
             ) -> subprocess.Popen[str]:
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), **(env or {}))
    return subprocess.Popen([sys.executable, str(SUPPORT / script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment)


def _holding_publisher(ws_path: Location, go: Path) -> subprocess.Popen[str]:
    publisher = _process("publish_worker.py", ws_path, "publisher@example.com", PASSWORD,
                         "Onboarding", "hold-at-stage", "Saving", go)
    line = publisher.stdout.readline().strip()
    assert line == "HOLDING", publisher.stderr.read()
    return publisher


def _tally(worker: subprocess.Popen[str]) -> dict:
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "READY", out
    return json.loads(lines[-1])


def _kill_all(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def _live_and_side_flows(ws_path: Location) -> tuple[list[int], int]:
    live = [n for (n,) in read_rows(ws_path, "SELECT number FROM flow_version v JOIN flow f "
                                    "ON f.id = v.flow_id WHERE f.name = 'Onboarding' AND "
                                    "v.status = 'live'")]
    side = read_rows(ws_path, "SELECT COUNT(*) FROM flow WHERE name LIKE 'Side flow %'")
    return live, int(side[0][0])


@pytest.mark.slow
def test_reads_never_fail_and_writes_wait_while_another_process_publishes(
        cast, ws_path: Location, tmp_path: Path) -> None:
    _segment_of_20000(cast)
    go = tmp_path / "go"
    processes: list[subprocess.Popen[str]] = []
    try:
        publisher = _holding_publisher(ws_path, go)  # its write transaction is open now
        processes.append(publisher)
        writers = [_process("workspace_worker.py", ws_path, "writes", WRITES_EACH,
                            "editor@example.com", PASSWORD) for _ in range(WRITERS)]
        readers = [_process("workspace_worker.py", ws_path, "reads", READS_EACH)
                   for _ in range(READERS)]
        processes += writers + readers
        reads = [_tally(reader) for reader in readers]  # all while the publish is open
        assert publisher.poll() is None  # still holding the write lock
        go.touch()
        out, err = publisher.communicate(timeout=120)
        writes = [_tally(writer) for writer in writers]
    finally:
        _kill_all(processes)
    assert out.strip() == "PUBLISHED", err
    assert sum(r["ok"] for r in reads) == READERS * READS_EACH
    assert [r["other"] + [r["busy"]] for r in reads] == [[0]] * READERS
    assert [w["other"] for w in writes] == [[]] * WRITERS  # nothing but success or busy
    succeeded = sum(w["ok"] for w in writes)
    refused_busy = sum(w["busy"] for w in writes)
    assert succeeded + refused_busy == WRITERS * WRITES_EACH
    live, side_flows = _live_and_side_flows(ws_path)
    assert live == [2]
    assert side_flows == succeeded  # a busy refusal wrote nothing
    print(f"\nreads ok {READERS * READS_EACH}/{READERS * READS_EACH}; writes ok "
          f"{succeeded}, busy {refused_busy} of {WRITERS * WRITES_EACH}")


@pytest.mark.slow
def test_a_write_past_the_busy_timeout_refuses_with_the_busy_message(
        cast, ws_path: Location, tmp_path: Path) -> None:
    if is_postgres(ws_path):
        pytest.skip("PostgreSQL writers do not share one lock: other rows never wait")
    _segment_of_20000(cast)
    go = tmp_path / "go"
    processes: list[subprocess.Popen[str]] = []
    try:
        processes.append(_holding_publisher(ws_path, go))
        impatient = _process("workspace_worker.py", ws_path, "writes", 3,
                             "editor@example.com", PASSWORD, env={ENV_BUSY_TIMEOUT: "200"})
        processes.append(impatient)
        outcome = _tally(impatient)
        command = subprocess.run(
            [sys.executable, "-m", "flowbench", "--workspace", str(ws_path), "--as",
             "olive@example.com", "groups", "add", "Compliance"],
            capture_output=True, text=True, timeout=120,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path),
                     FLOWBENCH_PASSWORD=PASSWORD, **{ENV_BUSY_TIMEOUT: "200"}))
        go.touch()
        processes[0].communicate(timeout=120)
    finally:
        _kill_all(processes)
    assert outcome == {"ok": 0, "busy": 3, "other": []}
    assert command.returncode == 1
    assert command.stderr.startswith(f"flowbench: {BUSY} Another Flowbench is publishing "
                                      "Version 2 of 'Onboarding': "), command.stderr
    assert re.search(r": (about .+ more \(since .+; about .+ in all\)|longer than the .+ "
                     r"expected \(since .+\))\.$", command.stderr.strip()), command.stderr
    assert _live_and_side_flows(ws_path) == ([2], 0)
    assert read_rows(ws_path, "SELECT COUNT(*) FROM approval_group WHERE name = 'Compliance'") \
        == [(0,)]


def _cli(ws_path: Location, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flowbench", "--workspace", str(ws_path), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path),
                 FLOWBENCH_PASSWORD=PASSWORD))


@pytest.mark.slow
def test_two_publish_commands_at_once_the_loser_is_told_the_truth(
        cast, ws_path: Location) -> None:
    flow_id = _segment_of_20000(cast)
    for version in (2, 3):
        if version == 3:
            open_workspace(ws_path)
            start_next(cast.owner, flow_id, "Welcome, v3")
            close_workspace()
        racers = [_cli(ws_path, "--as", email, "publish", "Onboarding",
                       "--cancel-previous-instances", "--cancel-previous-cards",
                       "--start-existing-segment-members")
                  for email in ("publisher@example.com", "olive@example.com")]
        try:
            outcomes = sorted((racer.wait(timeout=120), racer.stderr.read())
                              for racer in racers)
        finally:
            _kill_all(racers)
        assert [code for code, _ in outcomes] == [0, 1], outcomes
        assert outcomes[1][1].startswith(
            f"flowbench: Someone else published Version {version} of 'Onboarding' — review "
            "it again"), outcomes[1][1]
        published = read_rows(ws_path, "SELECT COUNT(*) FROM audit_entry "
                                       "WHERE action = 'flow.publish'")
        assert published == [(version,)]  # one publish per version: the loser wrote nothing
    assert _live_and_side_flows(ws_path)[0] == [3]
