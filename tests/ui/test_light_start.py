"""The first window comes before the heavy work: when the main window is first exposed,
the start has imported none of the database library, the services, the engine, the
password hashing, the keyring, the PostgreSQL driver or QtNetwork, built none of the
flow's tabs, nor PySide6's ``Qt`` namespace. A fresh process (this one has imported
everything already) starts the GUI as ``run_gui`` does and reports what it holds at that
moment; then, once the rest has started, that the workspace opened and the sign-in
dialog is up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.ui
OWNER_EMAIL, PASSWORD = "owner@example.com", "correct horse 1"  # made_workspace's owner

HEAVY = ("peewee", "playhouse", "argon2", "keyring", "psycopg", "PySide6.QtNetwork",
         "flowbench.services", "flowbench.store", "flowbench.runtime",
         "flowbench.ui.startup", "flowbench.ui.edit", "flowbench.ui.publish",
         "flowbench.ui.admin", "flowbench.ui.runtime", "flowbench.ui.activity",
         "flowbench.ui.flow_page")
# light on purpose, though in those packages: reading the remembered workspaces (a team
# address kept without its password) and naming the default workspace file need them
# before the first windows
LIGHT = ("flowbench.services", "flowbench.services.addresses", "flowbench.store",
         "flowbench.store.team_address", "flowbench.store.default_location")


def heavy(modules: list[str]) -> list[str]:
    """The heavy modules among ``modules``."""
    return [name for name in modules if name not in LIGHT
            and any(name == heavy or name.startswith(heavy + ".") for heavy in HEAVY)]


PROBE = Path(__file__).resolve().parents[1] / "support" / "start_probe.py"


def run_probe(tmp_path: Path, mode: str, *args: str) -> dict[str, Any]:
    """Run ``start_probe.py MODE ARGS`` in a fresh process with settings of its own; its
    report."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "FLOWBENCH_WORKSPACE"))}
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name)
    env["QT_QPA_PLATFORM"] = "offscreen"
    temp = tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(temp)
    done = subprocess.run([sys.executable, str(PROBE), mode, *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # a Flowbench that quits takes its single-instance lock and socket with it
    assert sorted(p.name for p in temp.glob("flowbench-*")) == []
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_main_window_is_on_screen_before_the_database_and_the_services_load(
        tmp_path: Path) -> None:
    """A team workspace has no dialog to show before it opens: the main window is the
    first window."""
    report = run_probe(tmp_path, "first", "postgresql://nobody@127.0.0.1:1/flowbench")
    assert report["first"] == "Flowbench"  # the main window, first
    assert heavy(report["modules"]) == []
    # nor PySide6's Qt namespace (~95 enum classes built at once, ~13 ms): the window's
    # modules reach Qt.* only after the first paint
    assert report["qt_namespace"] is False
    # the menu bar is all there; its menus get their actions once the first windows are up
    assert report["menu_titles"] == ["&File", "&Edit", "View", "&Workspace", "&Runtime",
                                     "&Help"]
    assert report["menus_complete"] is False
    assert "ctypes" not in report["modules"]  # the binding guard comes after, too
    assert report["menus_complete_later"] is True  # the rest followed
    assert report["guarded_later"] is True
    assert report["file_menu"][0] == "&New Flow…" and report["file_menu"][-1] == "&Quit"
    assert report["tabs_built"] is False  # nobody signed in: no flow page yet



# the main window, exposed after the first dialog: the dialog still over it (its
# transient: stacked above it; modal: the window takes no input until it is answered),
# the window furnished
BEHIND = {"dialog_shown": True, "transient_of_window": True, "modal": True,
          "menu_titles": ["&File", "&Edit", "View", "&Workspace", "&Runtime", "&Help"],
          "signed_out_page": True}


def test_the_sign_in_dialog_comes_before_the_services_and_keeps_what_is_typed_meanwhile(
        tmp_path: Path, made_workspace) -> None:
    """For a workspace file that is there, the sign-in dialog is on screen before the
    database library and the services load; Sign In pressed before the workspace is
    open says so, then signs in once it is."""
    workspace = made_workspace()
    report = run_probe(tmp_path, "sign-in", str(workspace), OWNER_EMAIL, PASSWORD)
    assert heavy(report["signin"]) == []
    assert report["qt_namespace"] is False
    assert report["exposed"][:2] == ["Sign In to Flowbench", "Flowbench"]
    assert report["behind"] == BEHIND  # the window came behind it, furnished
    assert report["note"] == "Opening the workspace…"
    assert report["signed_in"] is True
    assert report["dialog"] is None  # the dialog closed on signing in



def test_on_wayland_the_window_comes_first_and_the_dialog_over_it_at_once(
        tmp_path: Path, made_workspace) -> None:
    """A Wayland compositor ties a dialog to its parent only when the parent is on screen
    as the dialog comes: there the window is shown first and the dialog over it in the
    same turn, still before the services load."""
    workspace = made_workspace()
    report = run_probe(tmp_path, "sign-in-on-wayland", str(workspace), OWNER_EMAIL,
                       PASSWORD)
    assert report["exposed"][:2] == ["Flowbench", "Sign In to Flowbench"]
    assert heavy(report["signin"]) == []
    assert report["note"] == "Opening the workspace…"
    assert report["signed_in"] is True


def test_started_without_a_workspace_the_most_recent_one_signs_in_as_early(
        tmp_path: Path, made_workspace) -> None:
    """Started from the desktop (no workspace named), the sign-in dialog of the most
    recent workspace comes as early, even with a team address among the remembered
    ones (reading them loads no database library)."""
    workspace = made_workspace()
    team = "postgresql://ana@db.example.com:5432/flowbench"
    remembered = run_probe(tmp_path, "remember", team, str(workspace))
    assert remembered["recent"] == [str(workspace), team]
    report = run_probe(tmp_path, "sign-in", "", OWNER_EMAIL, PASSWORD)
    assert heavy(report["signin"]) == []
    assert report["qt_namespace"] is False
    assert report["signed_in"] is True


def test_the_sign_in_dialog_names_the_workspace_from_the_start_once_it_was_open(
        tmp_path: Path, made_workspace) -> None:
    """The first start names the file (the workspace is not open yet) and remembers the
    workspace's name; the next start's dialog names it before it opens, as it will once
    open — no text changing under the member's eyes."""
    workspace = made_workspace()
    first = run_probe(tmp_path, "sign-in", str(workspace), OWNER_EMAIL, PASSWORD)
    assert first["where"] == f"Workspace: {workspace.name}"
    assert first["where_later"] == "Acme Production"
    again = run_probe(tmp_path, "sign-in", str(workspace), OWNER_EMAIL, PASSWORD)
    assert again["where"] == f"Workspace: Acme Production — {workspace.name}"
    assert heavy(again["signin"]) == []



def test_on_a_first_run_the_welcome_dialog_comes_before_the_services_and_creates_later(
        tmp_path: Path) -> None:
    """No workspace named or remembered and none at the default place: the welcome
    dialog is on screen before the database library and the services load; Create
    Workspace pressed before the file is open says so, then creates it and signs the
    Owner in once it is."""
    report = run_probe(tmp_path, "first-run")
    assert heavy(report["welcome"]) == []
    assert report["qt_namespace"] is False
    assert report["exposed"][:2] == ["Welcome to Flowbench", "Flowbench"]
    assert report["behind"] == BEHIND
    assert report["where"].endswith("workspace.flowbench")
    assert report["where"].startswith(str(tmp_path / "XDG_DATA_HOME"))
    assert report["note"] == "Opening the workspace…"
    assert report["signed_in"] is True
    assert report["member"] == "olivia@example.com"
    assert report["workspace"] == "First Light"
    assert report["location"] == report["where"]


def test_a_workspace_file_named_but_not_there_yet_is_welcomed_as_early(
        tmp_path: Path) -> None:
    """``flowbench --workspace new.flowbench``: the file is created, so the welcome
    dialog for it is the first window, and what is typed early creates it."""
    where = tmp_path / "folder" / "new.flowbench"
    (tmp_path / "folder").mkdir()
    report = run_probe(tmp_path, "first-run", str(where))
    assert report["exposed"][0] == "Welcome to Flowbench"
    assert heavy(report["welcome"]) == []
    assert report["where"] == str(where)
    assert report["signed_in"] is True
    assert report["workspace"] == "First Light"
    assert report["location"] == str(where)


def test_the_welcome_dialog_cancelled_early_leaves_no_file_behind(tmp_path: Path) -> None:
    """Cancel pressed on the first-run welcome dialog before the workspace file is open:
    the dialog stays closed once the file opens, and the file — created only so that it
    could be set up — goes again; the window offers to create, open or explore one."""
    report = run_probe(tmp_path, "welcome-early", "cancel")
    assert report["dialog_shown_after"] is False
    assert report["window_shown"] is True and report["signed_out_page"] is True
    assert report["dialog"] is None  # not shown again by itself
    assert report["location"] is None and report["signed_in"] is False
    assert report["file_left"] is False and report["recent"] == []
    assert report["status"].startswith("No workspace is open. Create one, open a workspace")
    assert report["buttons"] == ["&New Workspace…", "&Open Workspace…",
                                 "Explore a S&ample Workspace"]


def test_quitting_at_the_first_run_welcome_leaves_no_file_or_recent_workspace(
        tmp_path: Path) -> None:
    """Flowbench quit while its first-run welcome dialog is up: the workspace file it
    created for the dialog goes, and so does its place in Recent Workspaces — the next
    start is a first run again, not the sign-in dialog of an empty workspace."""
    report = run_probe(tmp_path, "quit-at-welcome")
    assert report["file_there"] is True  # while the dialog was up
    assert not Path(report["where"]).exists()
    assert run_probe(tmp_path, "remember")["recent"] == []


def test_the_sample_chosen_early_opens_once_the_services_are_up(tmp_path: Path) -> None:
    """Explore a sample workspace pressed on the first-run welcome dialog before the
    workspace file is open: the sample is prepared once the rest has started, and its
    accounts dialog comes up."""
    report = run_probe(tmp_path, "welcome-early", "sample")
    assert report["dialog_shown_after"] is False
    assert report["dialog"] == "Sample Workspace"
    assert report["location"].endswith("sample.flowbench")
    assert "Preparing the sample workspace" in report["exposed"]


def test_the_window_finds_the_default_workspace_where_the_store_makes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first run's welcome dialog names the default file before the store is loaded
    (Qt's data folder); it is the file the store then opens (platformdirs)."""
    from PySide6.QtCore import QSettings

    from flowbench.store.default_location import WORKSPACE_SUFFIX, default_workspace_path
    from flowbench.ui import launch
    from flowbench.ui.app_settings import AppSettings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(launch.ENV_WORKSPACE, raising=False)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert launch.new_workspace_file(None, settings) == default_workspace_path()
    assert launch.WORKSPACE_SUFFIX == WORKSPACE_SUFFIX
    default_workspace_path().parent.mkdir(parents=True)
    default_workspace_path().write_bytes(b"")
    assert launch.new_workspace_file(None, settings) is None  # there already: opened as is
