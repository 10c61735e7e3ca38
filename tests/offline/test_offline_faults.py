"""Faults during a sync, with real processes on the real server: the server ending the
sync's connection, the syncing process killed, and two members syncing the same draft."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from offline_world import EMAILS, PASSWORD, cli, definition, edit, opened
from workspaces import POSTGRES_URL

from flowbench.services import drafts, offline_conflicts

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")
DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
WAIT_LIMIT = 120  # seconds: only a hung run ever gets near this


def start_sync(copy: Path, who: str) -> subprocess.Popen[str]:
    """``flowbench --workspace COPY --as WHO offline sync --json`` as its own process."""
    environment = {**os.environ, "FLOWBENCH_PASSWORD": PASSWORD,
                   "PYTHONPATH": os.pathsep.join(filter(None, [
                       str(DESKTOP), os.environ.get("PYTHONPATH")]))}
    environment.pop("FLOWBENCH_WORKSPACE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flowbench", "--workspace", str(copy), "--as", EMAILS[who],
         "offline", "sync", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=environment)


@contextmanager
def flow_row_held(team: str, flow: str) -> Iterator[psycopg.Connection[Any]]:
    """Another session holds the team's flow row (as a member's save in progress would):
    a sync reaching that flow waits until the block ends."""
    holder = psycopg.connect(team)
    holder.execute("SELECT id FROM flow WHERE name_key = %s FOR UPDATE", (flow.lower(),))
    try:
        yield holder
    finally:
        holder.rollback()
        holder.close()


def syncs_waiting(team: str, count: int) -> list[int]:
    """Wait until ``count`` sync processes wait for a row lock; their server pids."""
    database = team.rsplit("/", 1)[1]
    with psycopg.connect(team, autocommit=True) as admin:
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            pids = [row[0] for row in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name "
                "= 'flowbench' AND wait_event_type = 'Lock'", (database,)).fetchall()]
            if len(pids) >= count:
                return pids
            time.sleep(0.1)
    raise AssertionError(f"{count} syncs never reached the locked flow")


def offline_edits(team: str, copy: Path) -> None:
    assert cli("--workspace", team, "offline", "copy", str(copy)).code == 0
    with opened(copy, "ed") as ed:
        edit(ed, "Alpha", definition("Alpha offline"))
        edit(ed, "Beta", definition("Beta offline"))


@pytest.mark.parametrize("fault", ["server ends the connection", "sync process killed"])
def test_a_sync_cut_off_halfway_leaves_each_flow_synced_or_pending_and_the_next_finishes(
        team: str, tmp_path: Path, fault: str) -> None:
    copy = tmp_path / "offline.flowbench"
    offline_edits(team, copy)
    with flow_row_held(team, "Beta"):
        child = start_sync(copy, "ed")
        try:
            [pid] = syncs_waiting(team, 1)  # Alpha is sent; the sync waits at Beta
            if fault == "server ends the connection":
                with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            else:
                child.send_signal(signal.SIGKILL)
            out, err = child.communicate(timeout=WAIT_LIMIT)
        finally:
            if child.poll() is None:
                child.kill()
    if fault == "server ends the connection":
        assert child.returncode == 1 and "connection" in err and "pending" in err
        report = json.loads(out)
        assert [(f["flow"], f["outcome"]) for f in report["flows"]] == [("Alpha", "sent")]
        assert report["refreshed"] is False
    else:
        assert child.returncode == -signal.SIGKILL
    with opened(team, "eve"):
        assert drafts.open_flow("Alpha").definition == definition("Alpha offline")
        assert drafts.open_flow("Beta").revision == 1  # nothing half-written
    done = cli("--workspace", str(copy), "offline", "sync", "--json")
    assert done.code == 0, done.err
    assert {f["flow"]: f["outcome"] for f in json.loads(done.out)["flows"]} == {
        "Alpha": "unchanged", "Beta": "sent", "Gamma": "unchanged"}
    with opened(team, "eve"):
        alpha, beta = drafts.open_flow("Alpha"), drafts.open_flow("Beta")
        assert (alpha.revision, beta.revision) == (2, 2)  # each sent exactly once
        assert beta.definition == definition("Beta offline")


def test_two_members_syncing_edits_of_the_same_draft_at_once_one_wins_one_conflicts(
        team: str, tmp_path: Path) -> None:
    copies = {"ed": tmp_path / "ed.flowbench", "eve": tmp_path / "eve.flowbench"}
    for who, copy in copies.items():
        assert cli("--workspace", team, "offline", "copy", str(copy), who=who).code == 0
        with opened(copy, who) as actor:
            edit(actor, "Alpha", definition(f"{who}'s Alpha"))
    with flow_row_held(team, "Alpha"):
        children = {who: start_sync(copy, who) for who, copy in copies.items()}
        try:
            syncs_waiting(team, 2)  # both are at Alpha: released together
        except AssertionError:
            for child in children.values():
                child.kill()
            raise
    outcomes = {}
    for who, child in children.items():
        out, err = child.communicate(timeout=WAIT_LIMIT)
        assert child.returncode == 0, err
        outcomes[who] = {f["flow"]: f["outcome"] for f in json.loads(out)["flows"]}["Alpha"]
    assert sorted(outcomes.values()) == ["conflict", "sent"]
    winner = next(who for who, outcome in outcomes.items() if outcome == "sent")
    loser = next(who for who in outcomes if who != winner)
    with opened(team, "eve"):
        alpha = drafts.open_flow("Alpha")
        assert (alpha.revision, alpha.definition) == (2, definition(f"{winner}'s Alpha"))
    with opened(copies[loser], loser):
        [conflict] = offline_conflicts.list_conflicts()
        assert conflict.mine_definition == definition(f"{loser}'s Alpha")
        assert conflict.theirs_definition == definition(f"{winner}'s Alpha")
