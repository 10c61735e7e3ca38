"""Opening a workspace writes nothing unless it creates or upgrades it: reads work while
another process holds the write lock, and an upgrade waits for that lock like any write
(then says the workspace is busy). Upgrading keeps each draft as its first revision."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flowbench.cli import main
from flowbench.domain.errors import WorkspaceBusy, WorkspaceUnusable
from flowbench.services import flows, revisions, workspace
from flowbench.store import migrations
from flowbench.store.connection import (
    ENV_BUSY_TIMEOUT,
    close_workspace,
    open_sqlite,
    open_workspace,
)

pytestmark = pytest.mark.sqlite_only
PASSWORD = "correct horse battery"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def lock_holder() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """Another process that holds the write lock of a file until the test ends."""
    started: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys\n"
             f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
             "db.execute('BEGIN IMMEDIATE')\nprint('HOLDING', flush=True)\nsys.stdin.read()\n"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append(holder)
        assert holder.stdout.readline().strip() == "HOLDING", holder.stderr.read()
        return holder

    yield hold
    for holder in started:
        holder.kill()
        holder.wait()


def test_a_read_command_leaves_the_file_byte_identical(ws_path: Path, capsys) -> None:
    before = sha256(ws_path)
    assert main(["--workspace", str(ws_path), "flows", "list"]) == 0
    assert main(["--workspace", str(ws_path), "members", "list", "--json"]) == 0
    assert sha256(ws_path) == before
    assert sorted(p.name for p in ws_path.parent.iterdir()) == [ws_path.name]


def test_opening_and_reading_work_while_another_process_writes(
        ws_path: Path, lock_holder, monkeypatch, capsys) -> None:
    monkeypatch.setenv(ENV_BUSY_TIMEOUT, "200")  # any write would be refused at once
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    lock_holder(ws_path)
    for _ in range(5):
        opened = open_workspace(ws_path)
        assert not opened.read_only
        assert workspace.workspace_info().name == "Production"
        close_workspace()
    assert main(["--workspace", str(ws_path), "members", "list"]) == 0
    assert "olive@example.com" in capsys.readouterr().out
    assert main(["--workspace", str(ws_path), "--as", "olive@example.com", "groups", "add",
                 "Compliance"]) == 1
    assert capsys.readouterr().err == f"flowbench: {WorkspaceBusy.MESSAGE}\n"


def _schema_3_with_a_draft(path: Path) -> None:
    """A workspace as Flowbench wrote it before schema step 4, with a draft at revision 2."""
    open_sqlite(path, until=3)
    workspace.create_workspace("Production", "olive@example.com", "Olive", PASSWORD)
    close_workspace()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO flow (name, name_key, archived, created_by_id, created_at) "
               "VALUES ('Welcome', 'welcome', 0, 1, '2026-01-02 03:04:05')")
    db.execute("INSERT INTO flow_version (flow_id, number, status, definition, content_hash,"
               " revision, created_by_id, created_at, updated_by_id, updated_at) VALUES "
               "(1, 1, 'draft', '{\"trigger\": {\"kind\": \"manual\"}, \"steps\": []}', "
               "'abc', 2, 1, '2026-01-02 03:04:05', 1, '2026-01-03 04:05:06')")
    db.commit()
    db.close()


def test_an_upgrade_waits_for_the_write_lock_and_says_busy_past_the_timeout(
        tmp_path: Path, lock_holder, monkeypatch) -> None:
    path = tmp_path / "old.flowbench"
    _schema_3_with_a_draft(path)
    monkeypatch.setenv(ENV_BUSY_TIMEOUT, "200")
    holder = lock_holder(path)
    with pytest.raises(WorkspaceUnusable) as refused:
        open_workspace(path)
    assert str(refused.value) == WorkspaceBusy.MESSAGE
    holder.kill()
    holder.wait()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("SELECT value FROM flowbench_meta WHERE key = 'schema_version'"
                        ).fetchone() == ("3",)
    conn.close()
    upgraded = open_workspace(path)
    try:
        assert upgraded.schema_version == migrations.LATEST_SCHEMA
        kept = revisions.list_revisions("Welcome")
        assert [(r.version, r.revision, r.saved_by, str(r.saved_at), r.content_hash)
                for r in kept] == [(1, 2, "Olive", "2026-01-03 04:05:06", "abc")]
        flows.list_flows()
    finally:
        close_workspace()


def test_two_processes_upgrading_at_once_both_open_it(tmp_path: Path) -> None:
    path = tmp_path / "old.flowbench"
    _schema_3_with_a_draft(path)
    code = ("import sys\nfrom flowbench.store.connection import open_workspace\n"
            "print(open_workspace(sys.argv[1]).schema_version)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    both = [subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outcomes = [process.communicate(timeout=60) for process in both]
    assert [out.strip() for out, _err in outcomes] == [str(migrations.LATEST_SCHEMA)] * 2, \
        outcomes
    open_workspace(path)
    try:
        assert len(revisions.list_revisions("Welcome")) == 1
    finally:
        close_workspace()
