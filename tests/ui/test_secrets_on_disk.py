"""No secret is written anywhere: a scripted run with known secrets — a member's password,
its hash, a server password given inside a workspace address, a secret in the keyring —
then the log, the settings file and the workspace folder are searched for each."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from workspaces import POSTGRES_URL, create_database, drop_database

from flowbench.cli import main
from flowbench.services import members, workspace
from flowbench.store import models, team
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.app_log import setup_logging

pytestmark = pytest.mark.ui

MEMBER_PASSWORD = "Member-Pass-7731"
SERVER_PASSWORD = "S3rver-Pass-5150"
KEYRING_SECRET = "Keyring-Secret-4242"
UNREACHABLE = f"postgresql://ana:{SERVER_PASSWORD}@127.0.0.1:9/flowbench"
SHOWN = "postgresql://ana@127.0.0.1:9/flowbench"


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "log"
    target = setup_logging(folder, logging.DEBUG)
    root = logging.getLogger()
    try:
        yield folder
    finally:
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(target):
                handler.close()
                root.removeHandler(handler)


@pytest.fixture
def keyring_store(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """A keyring in memory that already holds a secret of another workspace."""
    import keyring

    kept = {(team.KEYRING_SERVICE, "olga@db.example.com:5432/other"): KEYRING_SECRET}
    monkeypatch.setattr(keyring, "set_password",
                        lambda service, key, secret: kept.__setitem__((service, key), secret))
    monkeypatch.setattr(keyring, "get_password", lambda service, key: kept.get((service, key)))
    monkeypatch.setattr(keyring, "delete_password",
                        lambda service, key: kept.pop((service, key), None))
    return kept


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def _holding(secret: str, paths: list[Path]) -> list[str]:
    needle = secret.encode("utf-8")
    return [str(path) for path in paths if path.exists() and needle in path.read_bytes()]


def test_a_password_in_an_unreachable_address_is_not_logged_remembered_or_shown(
        shell, log_folder: Path, keyring_store) -> None:
    shell.start(UNREACHABLE)
    shell.qtbot.waitUntil(lambda: bool(shell.prompts.errors), timeout=30_000)
    shell.settings.sync()

    shown = " ".join(text for pair in shell.prompts.errors + shell.prompts.asked
                     for text in pair) + shell.window.windowTitle()
    assert "cannot be reached" in shown
    assert SERVER_PASSWORD not in shown
    log_text = "".join(path.read_text() for path in _files_under(log_folder))
    assert f"opening workspace {SHOWN}" in log_text  # the address is logged, without it
    settings_file = Path(shell.settings.store.fileName())
    assert _holding(SERVER_PASSWORD, [*_files_under(log_folder), settings_file]) == []
    assert SERVER_PASSWORD not in keyring_store.values()  # it never worked


def test_a_scripted_run_leaves_no_secret_in_the_log_settings_or_workspace_folder(
        shell, tmp_path: Path, log_folder: Path, keyring_store, monkeypatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "workspace"
    folder.mkdir()
    path = folder / "team.flowbench"
    # the command line: set up, add a member, import a flow, a failed sign-in
    monkeypatch.setenv("FLOWBENCH_PASSWORD", MEMBER_PASSWORD)
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", MEMBER_PASSWORD + "-new")
    assert main(["--workspace", str(path), "init", "--workspace-name", "Acme",
                 "--owner-email", "olive@example.com", "--owner-name", "Olive"]) == 0
    assert main(["--workspace", str(path), "--as", "olive@example.com", "members", "add",
                 "--email", "ed@example.com", "--name", "Ed", "--role", "editor"]) == 0
    flow = tmp_path / "welcome.flowbench.json"
    flow.write_text(json.dumps({"format": "flowbench.flow", "format_version": 1,
                                "name": "Welcome", "trigger": {"kind": "manual"},
                                "steps": [{"id": "w", "kind": "wait_duration",
                                           "duration": "P1D"}]}))
    assert main(["--workspace", str(path), "--as", "ed@example.com", "flows", "import",
                 str(flow)]) == 1  # ed's password is the new one
    monkeypatch.setenv("FLOWBENCH_PASSWORD", MEMBER_PASSWORD + "-new")
    assert main(["--workspace", str(path), "--as", "ed@example.com", "flows", "import",
                 str(flow)]) == 0
    assert main(["--workspace", UNREACHABLE, "flows", "list"]) == 1
    printed = capsys.readouterr()
    # the window: open the file, sign in, then try the server address with its password
    shell.start(path)
    shell.sign_in("olive@example.com", MEMBER_PASSWORD)
    shell.controller.open_location(UNREACHABLE)
    shell.settings.sync()
    close_workspace()

    open_workspace(path)
    try:
        hashes = [member.password_hash for member in models.Member.select()]
    finally:
        close_workspace()
    assert len(hashes) == 2
    log_and_settings = [*_files_under(log_folder), Path(shell.settings.store.fileName())]
    everything = [*log_and_settings, *_files_under(folder)]
    assert _files_under(log_folder) and _files_under(folder)
    for secret in (MEMBER_PASSWORD, MEMBER_PASSWORD + "-new", SERVER_PASSWORD,
                   KEYRING_SECRET):
        assert _holding(secret, everything) == [], secret
        assert secret not in printed.out + printed.err
    for password_hash in hashes:  # the workspace holds the hashes; nothing else may
        assert _holding(password_hash, log_and_settings) == []
        assert _holding(password_hash.split("$")[-1], log_and_settings) == []
    assert "ana@127.0.0.1:9/flowbench cannot be reached" in printed.err


needs_server = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")


def _with_password(url: str, password: str) -> str:
    scheme, _, rest = url.partition("://")
    user, _, where = rest.partition("@")
    return f"{scheme}://{user}:{password}@{where}"


@needs_server
def test_a_password_in_a_server_address_goes_to_the_keyring_and_nowhere_else(
        shell, log_folder: Path, keyring_store, capsys: pytest.CaptureFixture[str]) -> None:
    url = create_database()
    try:
        open_workspace(url)
        try:
            owner = workspace.create_workspace("Team", "olive@example.com", "Olive",
                                               MEMBER_PASSWORD)
            members.add_group(owner, "Legal")
        finally:
            close_workspace()
        address = _with_password(url, SERVER_PASSWORD)

        assert main(["--workspace", address, "settings", "show"]) == 0
        printed = capsys.readouterr()
        assert "Legal" in printed.out and SERVER_PASSWORD not in printed.out + printed.err

        shell.start(address)
        shell.sign_in("olive@example.com", MEMBER_PASSWORD)
        shell.settings.sync()
        assert shell.session.location == url
        assert SERVER_PASSWORD not in shell.window.windowTitle()
        assert shell.settings.recent_workspaces()[0] == url
        assert SERVER_PASSWORD in keyring_store.values()  # kept like a typed one
        log_and_settings = [*_files_under(log_folder), Path(shell.settings.store.fileName())]
        for secret in (SERVER_PASSWORD, MEMBER_PASSWORD, KEYRING_SECRET):
            assert _holding(secret, log_and_settings) == [], secret
    finally:
        shell.session.close_workspace()
        close_workspace()
        drop_database(url)


def test_recent_workspaces_remembered_with_a_password_are_cleaned(ui_settings) -> None:
    ui_settings.store.setValue("workspaces/recent", [UNREACHABLE, "/tmp/a.flowbench"])
    assert ui_settings.recent_workspaces() == [SHOWN, "/tmp/a.flowbench"]
    ui_settings.sync()
    assert _holding(SERVER_PASSWORD, [Path(ui_settings.store.fileName())]) == []
