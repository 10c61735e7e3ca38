"""Opening a large workspace skips SQLite's full-file check (it reads every page) but
still refuses a truncated file untouched; a small one, or one left with a -wal file,
gets the full check (tests/integration/test_store.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flowbench.domain.errors import WorkspaceUnusable
from flowbench.services import flows, workspace
from flowbench.store import sqlite_file
from flowbench.store.connection import close_workspace, open_workspace


@pytest.fixture
def large_workspace(tmp_path: Path, fast_hashing: None,
                    monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed workspace that counts as large (the size limit lowered to 0)."""
    path = tmp_path / "large.flowbench"
    open_workspace(path)
    owner = workspace.create_workspace("Production", "olive@example.com", "Olive",
                                       "correct horse battery")
    for number in range(40):
        flows.create_flow(owner, f"Flow {number}")
    close_workspace()
    monkeypatch.setattr(sqlite_file, "FULL_CHECK_MAX_BYTES", 0)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_large_workspace_opens_without_the_full_check(large_workspace: Path) -> None:
    open_workspace(large_workspace)
    try:
        assert len(flows.list_flows()) == 40
    finally:
        close_workspace()


def test_a_truncated_large_workspace_is_refused_untouched(large_workspace: Path) -> None:
    data = large_workspace.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    large_workspace.write_bytes(data[:-page])  # the last page lost; the schema still reads
    before, listing = _digest(large_workspace), sorted(large_workspace.parent.iterdir())
    with pytest.raises(WorkspaceUnusable, match="damaged.*left as it is"):
        open_workspace(large_workspace)
    assert _digest(large_workspace) == before
    assert sorted(large_workspace.parent.iterdir()) == listing  # no -wal/-shm, no backup
