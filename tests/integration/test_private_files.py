"""Every file Flowbench creates is its owner's alone (0600, folders 0700), whatever the
umask: the workspace holds password hashes and customer data, and the log, the settings
and the recovery files name workspaces and hold drafts."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from flowbench.domain.definition import FlowDefinition, Trigger
from flowbench.services import flows, workspace
from flowbench.store.connection import close_workspace, open_sqlite, open_workspace
from flowbench.ui.app_log import setup_logging
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.edit.recovery import RecoveryStore

pytestmark = pytest.mark.sqlite_only
PASSWORD = "correct horse battery"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_workspace_its_wal_and_shm_and_its_new_folder_are_private(
        tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "new folder" / "deeper" / "team.flowbench"
    open_workspace(path)
    try:
        owner = workspace.create_workspace("Production", "olive@example.com", "Olive",
                                           PASSWORD)
        flows.create_flow(owner, "Welcome")
        files = sorted(p.name for p in path.parent.iterdir())
        assert files == ["team.flowbench", "team.flowbench-shm", "team.flowbench-wal"]
        assert {name: mode(path.parent / name) for name in files} == dict.fromkeys(files,
                                                                                  0o600)
        assert (mode(path.parent), mode(path.parent.parent)) == (0o700, 0o700)
    finally:
        close_workspace()


def test_the_backup_made_before_an_upgrade_is_private(tmp_path: Path,
                                                      umask_022: None) -> None:
    path = tmp_path / "old.flowbench"
    open_sqlite(path, until=3).close()
    upgraded = open_workspace(path)
    try:
        assert upgraded.backup_path is not None
        assert mode(upgraded.backup_path) == 0o600
    finally:
        close_workspace()


def test_the_log_the_settings_and_the_recovery_files_are_private(
        tmp_path: Path, umask_022: None) -> None:
    root = logging.getLogger()
    handlers = list(root.handlers)
    log_file = setup_logging(tmp_path / "logs")
    try:
        assert log_file is not None
        logging.getLogger("flowbench").warning("a line that creates the log file")
        assert (mode(log_file), mode(log_file.parent)) == (0o600, 0o700)
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    settings_file = tmp_path / "config" / "Flowbench.conf"
    settings = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    settings.last_email = "olive@example.com"
    settings.sync()
    assert (mode(settings_file), mode(settings_file.parent)) == (0o600, 0o700)
    store = RecoveryStore(str(tmp_path / "team.flowbench"), tmp_path / "recovery")
    kept = store.write(1, "Welcome", FlowDefinition(Trigger("manual"), ()), 1, 1)
    assert (mode(kept), mode(kept.parent)) == (0o600, 0o700)
