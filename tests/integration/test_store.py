"""Opening workspace files: fresh, migrated with a backup, and refused untouched."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import IntegrityError

from flowbench.domain.errors import WorkspaceUnusable
from flowbench.services import flows, members, workspace
from flowbench.store import migrations, models
from flowbench.store.connection import (
    ENV_WORKSPACE,
    close_workspace,
    current_workspace,
    default_workspace_path,
    open_sqlite,
    open_workspace,
    resolve_location,
)
from flowbench.store.migrations import MigrationStep

DESKTOP = Path(models.__file__).resolve().parents[2]
# the tables as migration step 1 created them; later steps only add
FOUNDATION_TABLES = {"flowbench_meta", "workspace_settings", "member", "approval_group",
                     "group_membership", "flow", "flow_version", "version_editor", "approval",
                     "audit_entry"}
MODEL_TABLES = {model._meta.table_name for model in models.ALL_MODELS}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def meta(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT key, value FROM flowbench_meta").fetchall())
    finally:
        conn.close()


def dump(path: Path, tables: set[str]) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                for t in sorted(tables)}
    finally:
        conn.close()


def schema_of(path: Path) -> set[tuple[str, str, str]]:
    """Every table, index and trigger with its SQL: what the migrations built."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()


def pragma(name: str) -> object:
    return models.database.obj.execute_sql(f"PRAGMA {name}").fetchone()[0]


@pytest.fixture
def closed_after():
    yield
    close_workspace()


@pytest.fixture
def real_workspace(tmp_path: Path, fast_hashing: None) -> Path:
    """A closed workspace file at the latest schema, with an owner and a few flows."""
    path = tmp_path / "real.flowbench"
    open_workspace(path)
    owner = workspace.create_workspace("Production", "olive@example.com", "Olive",
                                       "correct horse battery")
    for number in range(40):
        flows.create_flow(owner, f"Flow {number}")
    close_workspace()
    return path


def assert_refused_untouched(path: Path, says: str) -> None:
    before, listing = sha256(path), folder(path)
    with pytest.raises(WorkspaceUnusable, match=says) as caught:
        open_workspace(path)
    assert sha256(path) == before
    assert folder(path) == listing  # no backup, no -wal/-shm left behind
    assert "left as it is" in str(caught.value) or "not a" in str(caught.value)
    with pytest.raises(WorkspaceUnusable):
        current_workspace()


# --- a fresh workspace ----------------------------------------------------------------------

def test_a_fresh_workspace_is_at_the_latest_schema_with_wal_and_foreign_keys(
        tmp_path: Path, read_tables, closed_after: None) -> None:
    path = tmp_path / "new" / "ws.flowbench"  # the folder is created on demand
    opened = open_workspace(path)
    assert opened.created and opened.backup_path is None
    assert opened.schema_version == migrations.LATEST_SCHEMA
    assert current_workspace() is opened
    assert meta(path) == {"application": "flowbench",
                          "schema_version": str(migrations.LATEST_SCHEMA)}
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert read_tables(path) >= MODEL_TABLES


def test_foreign_keys_are_enforced(empty_ws) -> None:
    with pytest.raises(IntegrityError):
        models.FlowVersion.create(flow=4242, number=1, status="draft", definition="{}",
                                  content_hash="x", created_by=4242)


@pytest.mark.sqlite_only(reason="backup files beside a workspace file")
def test_reopening_the_latest_schema_makes_no_backup(ws_path: Path, closed_after: None) -> None:
    opened = open_workspace(ws_path)
    assert not opened.created and opened.backup_path is None
    assert opened.schema_version == migrations.LATEST_SCHEMA
    assert not [name for name in folder(ws_path) if name.endswith(".bak")]


# --- migrating an older workspace ---------------------------------------------------------

@pytest.mark.parametrize("old_version", [step.version for step in migrations.STEPS[:-1]])
def test_an_older_workspace_is_backed_up_then_migrated_keeping_its_data(
        tmp_path: Path, fast_hashing: None, read_tables, closed_after: None,
        old_version: int) -> None:
    fresh = tmp_path / "fresh.flowbench"
    open_workspace(fresh)
    close_workspace()
    path = tmp_path / "old.flowbench"
    assert open_sqlite(path, until=old_version).schema_version == old_version
    owner = workspace.create_workspace("Production", "olive@example.com", "Olive",
                                       "correct horse battery")
    members.add_member(owner, "ed@example.com", "Ed", "editor", "correct horse battery")
    flows.create_flow(owner, "Welcome series")
    close_workspace()
    old_tables = read_tables(path)
    assert FOUNDATION_TABLES <= old_tables <= read_tables(fresh)  # step 6 adds no table
    assert meta(path)["schema_version"] == str(old_version)
    before = dump(path, old_tables)

    opened = open_workspace(path)

    assert opened.schema_version == migrations.LATEST_SCHEMA
    backup = opened.backup_path
    assert backup is not None and backup.parent == path.parent and backup.exists()
    assert backup.name.startswith(f"old.flowbench.schema{old_version}-")
    assert backup.suffix == ".bak"
    assert read_tables(backup) == old_tables
    assert dump(backup, old_tables) == before  # the old content, as it was
    assert [f.name for f in flows.list_flows()] == ["Welcome series"]
    assert workspace.sign_in("ED@example.com", "correct horse battery").role == "editor"
    close_workspace()
    assert meta(path)["schema_version"] == str(migrations.LATEST_SCHEMA)
    assert schema_of(path) == schema_of(fresh)  # migrated = created fresh
    kept = old_tables - {"flowbench_meta"}
    assert dump(path, kept) == {t: rows for t, rows in before.items() if t in kept}


@pytest.mark.sqlite_only(reason="backup files beside a workspace file")
def test_a_failing_migration_step_leaves_the_workspace_at_its_old_schema(
        ws_path: Path, monkeypatch: pytest.MonkeyPatch, read_tables,
        closed_after: None) -> None:
    def half_done(db, migrator) -> None:
        db.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk on fire")

    latest = migrations.LATEST_SCHEMA
    monkeypatch.setattr(migrations, "STEPS", [
        *migrations.STEPS, MigrationStep(latest + 1, "fails half-way", half_done)])
    monkeypatch.setattr(migrations, "LATEST_SCHEMA", latest + 1)
    with pytest.raises(WorkspaceUnusable, match="could not be upgraded.*disk on fire"):
        open_workspace(ws_path)
    with pytest.raises(WorkspaceUnusable):
        current_workspace()
    assert meta(ws_path)["schema_version"] == str(latest)
    assert "half_done" not in read_tables(ws_path)
    backups = [name for name in folder(ws_path) if name.endswith(".bak")]
    assert len(backups) == 1  # taken before the attempt


# --- files that are refused, untouched -------------------------------------------------------

def test_a_newer_schema_is_refused_untouched(real_workspace: Path) -> None:
    conn = sqlite3.connect(real_workspace)
    conn.execute("UPDATE flowbench_meta SET value = ? WHERE key = 'schema_version'",
                 (str(migrations.LATEST_SCHEMA + 1),))
    conn.commit()
    conn.close()
    assert_refused_untouched(real_workspace, "newer Flowbench")


def test_a_sqlite_file_of_another_application_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO note (text) VALUES ('buy milk')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "not a Flowbench workspace")


def test_a_flowbench_meta_of_another_application_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE flowbench_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO flowbench_meta VALUES ('application', 'someone-else')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "not a Flowbench workspace")


@pytest.mark.parametrize("text", ["Dear diary,\nnothing happened today.\n", "hi",
                                  "SQLite format 2\x00" + "x" * 200])
def test_a_text_file_is_refused_untouched(tmp_path: Path, text: str) -> None:
    path = tmp_path / "diary.flowbench"
    path.write_text(text)
    assert_refused_untouched(path, "not a database file")


def test_a_corrupt_workspace_is_refused_untouched(real_workspace: Path) -> None:
    data = bytearray(real_workspace.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = b"\xde\xad\xbe\xef" * 2048
    real_workspace.write_bytes(bytes(data))
    assert_refused_untouched(real_workspace, "damaged")


def test_a_truncated_workspace_is_refused_untouched(real_workspace: Path) -> None:
    data = real_workspace.read_bytes()
    real_workspace.write_bytes(data[: len(data) // 3])
    assert_refused_untouched(real_workspace, "damaged")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "folder.flowbench"
    path.mkdir()
    (path / "x").write_text("x")
    with pytest.raises(WorkspaceUnusable, match="folder"):
        open_workspace(path)


def test_awkward_characters_in_the_path_do_not_bypass_the_checks(tmp_path: Path) -> None:
    path = tmp_path / "notes #1?.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "not a Flowbench workspace")


def test_awkward_characters_in_the_path_open_fine(tmp_path: Path, closed_after: None) -> None:
    path = tmp_path / "my work #1?.flowbench"
    open_workspace(path)
    close_workspace()
    assert open_workspace(path).schema_version == migrations.LATEST_SCHEMA


def test_a_server_that_cannot_be_reached_is_refused_clearly() -> None:
    with pytest.raises(WorkspaceUnusable, match="server .*127.0.0.1:9/flowbench cannot be "
                                                "reached.*Check the address"):
        open_workspace("postgresql://nobody@127.0.0.1:9/flowbench")


# --- where the workspace lives, and nothing at import time ------------------------------

def test_location_comes_from_the_option_then_the_variable_then_the_default(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_WORKSPACE, raising=False)
    assert resolve_location(None) == str(default_workspace_path())
    assert default_workspace_path().name == "workspace.flowbench"
    monkeypatch.setenv(ENV_WORKSPACE, str(tmp_path / "env.flowbench"))
    assert resolve_location(None) == str(tmp_path / "env.flowbench")
    assert resolve_location(tmp_path / "explicit.flowbench") == str(
        tmp_path / "explicit.flowbench")
    assert not default_workspace_path().exists()


def test_nothing_touches_disk_at_import_time(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    work.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "PYTHONPATH": str(DESKTOP), "PYTHONDONTWRITEBYTECODE": "1"}
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                     "XDG_RUNTIME_DIR"):
        env[variable] = str(home / variable.lower())
    script = (
        "import json, sys\n"
        "import flowbench.store, flowbench.store.connection, flowbench.store.models\n"
        "import flowbench.store.migrations\n"
        "import flowbench.services.workspace, flowbench.services.members\n"
        "import flowbench.services.flows, flowbench.services.drafts\n"
        "import flowbench.services.approvals, flowbench.services.publishing\n"
        "from flowbench.store.connection import default_workspace_path, resolve_location\n"
        "print(json.dumps([str(default_workspace_path()), resolve_location(None)]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=work, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    default, resolved = json.loads(result.stdout)
    assert default.startswith(str(home)) and resolved == default
    assert list(home.iterdir()) == [] and list(work.iterdir()) == []
