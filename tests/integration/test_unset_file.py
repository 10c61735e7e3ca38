"""A workspace file that opening created and nobody set up goes again when the welcome
dialog is closed — but never a file that is set up, that was there before, or that
another process has open (real processes: the check is SQLite's own)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowbench.services import opening
from flowbench.services import workspace as workspace_service
from flowbench.store.unset_file import discard_unset_file

pytestmark = pytest.mark.sqlite_only
PASSWORD = "correct horse battery"


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def created(path: Path) -> opening.Workspace:
    """Open ``path`` — not there yet, so opening creates it — and close it again."""
    workspace = opening.open_workspace(path)
    assert workspace.made_file
    opening.close_workspace()
    return workspace


@pytest.fixture
def other_process() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def hold_open(path: Path, started: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    """Another Flowbench process with ``path`` open (reading it) until its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom flowbench.services import opening\n"
         "from flowbench.services.workspace import is_initialised\n"
         f"opening.open_workspace({str(path)!r})\n"
         "print('OPEN', is_initialised(), flush=True)\nsys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started.append(process)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "OPEN False", process.stderr
    return process


def test_a_file_opening_created_and_nobody_set_up_goes_with_its_companions(
        tmp_path: Path) -> None:
    path = tmp_path / "new.flowbench"
    workspace = created(path)
    assert path.is_file()
    assert opening.discard_unset_workspace(workspace) is True
    assert sorted(tmp_path.iterdir()) == []  # no -wal, -shm or -journal either


def test_a_file_that_was_set_up_stays_and_stays_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.flowbench"
    workspace = opening.open_workspace(path)
    workspace_service.create_workspace("Kept", "olive@example.com", "Olive", PASSWORD)
    opening.close_workspace()
    assert opening.discard_unset_workspace(workspace) is False
    assert journal_mode(path) == "wal"
    opening.open_workspace(path)
    try:
        assert workspace_service.workspace_info().name == "Kept"
    finally:
        opening.close_workspace()


def test_a_file_that_was_there_before_is_never_removed(tmp_path: Path) -> None:
    path = tmp_path / "old.flowbench"
    created(path)  # made by an earlier start; this one only opens it
    workspace = opening.open_workspace(path)
    opening.close_workspace()
    assert workspace.made_file is False
    assert opening.discard_unset_workspace(workspace) is False
    assert path.is_file()


def test_a_file_another_process_has_open_stays_until_it_lets_go(
        tmp_path: Path, other_process: list[subprocess.Popen[str]]) -> None:
    path = tmp_path / "new.flowbench"
    workspace = created(path)
    holder = hold_open(path, other_process)
    assert opening.discard_unset_workspace(workspace) is False
    assert path.is_file() and journal_mode(path) == "wal"
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0, holder.stderr.read() if holder.stderr else ""
    assert discard_unset_file(path) is True
    assert not path.exists()


def test_a_file_another_process_set_up_meanwhile_stays(tmp_path: Path) -> None:
    """Set up by another process between this one closing it and discarding it: the
    check under the exclusive lock finds the Owner, and the file is kept as it was."""
    path = tmp_path / "new.flowbench"
    workspace = created(path)
    done = subprocess.run(
        [sys.executable, "-c",
         "from flowbench.services import opening, workspace as w\n"
         f"opening.open_workspace({str(path)!r})\n"
         f"w.create_workspace('Theirs', 'tess@example.com', 'Tess', {PASSWORD!r})\n"
         "opening.close_workspace()\n"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert opening.discard_unset_workspace(workspace) is False
    assert journal_mode(path) == "wal"
    opening.open_workspace(path)
    try:
        assert workspace_service.sign_in("tess@example.com", PASSWORD).email \
            == "tess@example.com"
    finally:
        opening.close_workspace()
