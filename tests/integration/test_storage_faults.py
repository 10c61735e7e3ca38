"""Storage faults say what happened and change nothing: a full disk, a read-only file or
folder, an empty file named as a workspace.

The full disk is real where the test may mount a small tmpfs (as root, in a container
that allows ``mount``), and is always also injected through SQLite's own page limit
(``PRAGMA max_page_count``: SQLite then fails exactly as on a full disk, SQLITE_FULL).
The read-only file is made with ``chattr +i`` and the read-only folder with a read-only
bind mount (root ignores file modes); each test is skipped where its tool is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowbench.cli import main
from flowbench.domain.errors import DiskFull, WorkspaceReadOnly, WorkspaceUnusable
from flowbench.services import drafts, flows, workspace
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace

pytestmark = pytest.mark.sqlite_only
PASSWORD = "correct horse battery"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tool(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    if not _tool("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("mount is not allowed here (the injected SQLITE_FULL test still runs)")
    try:
        yield folder
    finally:
        close_workspace()
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(disk: Path) -> Path:
    """Write a file until the disk has no space left."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    out.write(b"\0" * chunk)
    return filler


def _flow_names(location: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [name for (name,) in conn.execute("SELECT name FROM flow ORDER BY name")]
    finally:
        conn.close()


def test_a_full_disk_says_so_and_saves_nothing(template, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        location = disk / "full.flowbench"
        shutil.copyfile(template[0], location)
        open_workspace(location)
        owner = workspace.sign_in("olive@example.com", PASSWORD)
        before = [f.name for f in flows.list_flows()]
        filler = _fill(disk)
        with pytest.raises(DiskFull) as refused:
            flows.create_flow(owner, "Written on a full disk")
        assert str(refused.value) == ("There is no space left on the disk that holds "
                                      "full.flowbench. Nothing was saved.")
        assert [f.name for f in flows.list_flows()] == before  # reads still work
        close_workspace()
        filler.unlink()
        assert _flow_names(location) == sorted(before)  # nothing was saved, nothing broke
        open_workspace(location)
        flows.create_flow(owner, "Written after space was freed")


def test_an_injected_sqlite_full_says_so_and_saves_nothing(ws_path: Path) -> None:
    open_workspace(ws_path)
    owner = workspace.sign_in("olive@example.com", PASSWORD)
    before = [f.name for f in flows.list_flows()]
    db = models.database.obj
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")  # this connection can grow no more
    with pytest.raises(DiskFull, match="^There is no space left on the disk that holds "):
        for number in range(200):  # until a page must be added
            flows.create_flow(owner, f"Filler {number}", None)
    close_workspace()
    names = _flow_names(ws_path)
    assert set(before) <= set(names)
    open_workspace(ws_path)  # still a healthy workspace


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    if not _tool("chattr", "+i", str(path)):
        pytest.skip("chattr +i is not allowed on this file system")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


@contextlib.contextmanager
def _read_only_view(folder: Path, view: Path) -> Iterator[Path]:
    view.mkdir()
    if not (_tool("mount", "--bind", str(folder), str(view))
            and _tool("mount", "-o", "remount,bind,ro", str(view))):
        subprocess.run(["umount", str(view)], check=False)
        pytest.skip("read-only bind mounts are not allowed here")
    try:
        yield view
    finally:
        close_workspace()
        subprocess.run(["umount", "-l", str(view)], check=False)


def _reads_work_and_writes_refuse(location: Path, capsys) -> None:
    opened = open_workspace(location)
    assert opened.read_only
    names = [f.name for f in flows.list_flows()]
    assert names and drafts.open_flow(names[0]).flow_name == names[0]
    owner = workspace.sign_in("olive@example.com", PASSWORD)  # signing in works too
    with pytest.raises(WorkspaceReadOnly, match=f"^{location.name} is read-only"):
        flows.create_flow(owner, "Never written")
    close_workspace()
    capsys.readouterr()
    assert main(["--workspace", str(location), "flows", "list"]) == 0
    assert names[0] in capsys.readouterr().out
    code = main(["--workspace", str(location), "--as", "olive@example.com", "groups", "add",
                 "Compliance"])
    assert (code, capsys.readouterr().err.startswith(
        f"flowbench: {location.name} is read-only")) == (1, True)


def _with_a_flow(location: Path) -> None:
    open_workspace(location)
    flows.create_flow(workspace.sign_in("olive@example.com", PASSWORD), "Welcome")
    close_workspace()


def test_an_immutable_file_opens_read_only(ws_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    _with_a_flow(ws_path)
    before = sha256(ws_path)
    with _immutable(ws_path):
        _reads_work_and_writes_refuse(ws_path, capsys)
    assert sha256(ws_path) == before


def test_a_read_only_folder_opens_read_only(ws_path: Path, tmp_path: Path, capsys,
                                            monkeypatch) -> None:
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    _with_a_flow(ws_path)
    before = sha256(ws_path)
    with _read_only_view(ws_path.parent, tmp_path / "view") as view:
        _reads_work_and_writes_refuse(view / ws_path.name, capsys)
    assert sha256(ws_path) == before


def _empty_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("DROP TABLE scratch")
    conn.close()


@pytest.mark.parametrize("kind", ["zero-length", "empty SQLite"])
def test_an_empty_file_is_not_a_workspace_and_stays_byte_identical(tmp_path: Path, kind,
                                                                     capsys) -> None:
    path = tmp_path / "blank.flowbench"
    path.touch() if kind == "zero-length" else _empty_sqlite(path)
    before = sha256(path)
    with pytest.raises(WorkspaceUnusable, match="is not a Flowbench workspace"):
        open_workspace(path)
    assert main(["--workspace", str(path), "flows", "list"]) == 1
    assert "blank.flowbench is not a Flowbench workspace" in capsys.readouterr().err
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank.flowbench"]


def test_init_may_use_an_empty_file(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "blank.flowbench"
    path.touch()
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    assert main(["--workspace", str(path), "init", "--workspace-name", "Production",
                 "--owner-email", "olive@example.com", "--owner-name", "Olive"]) == 0
    assert main(["--workspace", str(path), "flows", "list"]) == 0
