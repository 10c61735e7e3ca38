"""The command line: global options, init, members, groups, settings, exit codes."""

from __future__ import annotations

import sqlite3

import pytest

from flowbench import __version__

# --- global behaviour -------------------------------------------------------------------

def test_version_prints_the_version_and_touches_no_workspace(run, tmp_path):
    outcome = run("--version", workspace=tmp_path / "none.flowbench")
    assert outcome.code == 0
    assert outcome.out.strip() == f"flowbench {__version__}"
    assert not (tmp_path / "none.flowbench").exists()


@pytest.mark.parametrize("argv", [
    (),  # no command
    ("frobnicate",),
    ("members",),  # no action
    ("members", "add", "--email", "x@example.com"),  # required options missing
    ("settings", "set", "approvals", "maybe"),
    ("flows", "export", "Welcome series", "--version", "two"),
    ("flows", "list", "--colour"),
])
def test_usage_errors_exit_with_2(run, argv):
    outcome = run(*argv, as_="owner")
    assert outcome.code == 2
    assert "flowbench: error:" in outcome.err
    assert "Traceback" not in outcome.err


def test_help_exits_with_0(run):
    outcome = run("flows", "--help")
    assert outcome.code == 0
    assert "import" in outcome.out and "export" in outcome.out


def test_a_change_without_as_is_a_usage_error_and_writes_nothing(run, db_rows):
    before = db_rows()
    outcome = run("groups", "add", "Support")
    assert outcome.code == 2
    assert "--as EMAIL" in outcome.err
    assert db_rows() == before


def test_wrong_password_is_refused(run, monkeypatch, db_rows):
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "not the password")
    outcome = run("groups", "add", "Support", as_="owner")
    assert outcome.code == 1
    assert "Wrong email or password" in outcome.err
    assert "support" not in str(db_rows()["approval_group"]).lower()


def test_the_password_is_asked_for_when_the_variable_is_unset(run, monkeypatch):
    monkeypatch.delenv("FLOWBENCH_PASSWORD")
    prompts: list[str] = []
    monkeypatch.setattr("getpass.getpass",
                        lambda prompt="": prompts.append(prompt) or "correct horse battery")
    outcome = run("groups", "add", "Support", as_="owner")
    assert outcome.code == 0, outcome
    assert prompts == ["Password for olive@example.com: "]


def test_a_missing_workspace_is_refused_and_not_created(run, tmp_path, refused):
    missing = tmp_path / "nowhere.flowbench"
    outcome = run("flows", "list", workspace=missing)
    refused(outcome, "There is no workspace at", "flowbench init")
    assert not missing.exists()


def test_the_workspace_variable_is_used_without_the_option(run, ws_path, monkeypatch):
    monkeypatch.setenv("FLOWBENCH_WORKSPACE", str(ws_path))
    outcome = run("settings", "show", "--json", workspace=None)
    assert outcome.code == 0
    assert outcome.json()["name"] == "Production"


@pytest.mark.parametrize("content", [
    b"this is a text file, not a workspace\n" * 20,
    b"SQLite format 3\x00" + b"\x07" * 4000,  # a database header over garbage
])
def test_an_unusable_workspace_file_is_refused_and_left_untouched(run, tmp_path, refused,
                                                                 content):
    path = tmp_path / "broken.flowbench"
    path.write_bytes(content)
    outcome = run("flows", "list", workspace=path)
    refused(outcome, "broken.flowbench")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("broken")) == [
        "broken.flowbench"]


def test_a_database_of_another_application_is_refused_untouched(run, tmp_path, refused):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    refused(run("--as", "olive@example.com", "groups", "add", "X", workspace=path),
            "not a Flowbench workspace")
    assert path.read_bytes() == before


# --- init -------------------------------------------------------------------------------

def test_init_creates_the_workspace_and_its_owner(run, tmp_path):
    path = tmp_path / "new.flowbench"
    outcome = run("init", "--workspace-name", "Staging", "--owner-email", "Boss@Example.com",
                  "--owner-name", "Bo", workspace=path)
    assert outcome.code == 0, outcome
    assert "Staging" in outcome.out and "boss@example.com" in outcome.out
    listed = run("members", "list", "--json", workspace=path).json()
    assert [(m["email"], m["role"]) for m in listed] == [("boss@example.com", "owner")]
    # the owner can sign in with the password given
    assert run("groups", "add", "Legal", as_="boss@example.com", workspace=path).code == 0


def test_init_asks_for_the_owner_password_twice(run, tmp_path, monkeypatch, refused):
    monkeypatch.delenv("FLOWBENCH_PASSWORD")
    answers = iter(["first password", "other password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    path = tmp_path / "new.flowbench"
    argv = ("init", "--workspace-name", "S", "--owner-email", "b@example.com",
            "--owner-name", "Bo")
    refused(run(*argv, workspace=path), "differ")
    answers = iter(["same password", "same password"])
    assert run(*argv, workspace=path).code == 0


def test_a_refused_init_leaves_no_file_behind(run, tmp_path, monkeypatch, refused):
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "short")
    refused(run("init", "--workspace-name", "S", "--owner-email", "b@example.com",
                "--owner-name", "Bo", workspace=tmp_path / "n.flowbench"), "8 characters")
    refused(run("init", "--workspace-name", "S", "--owner-email", "not-an-email",
                "--owner-name", "Bo", workspace=tmp_path / "n.flowbench"), "not an email")
    assert not list(tmp_path.glob("n.flowbench*"))


def test_init_refuses_a_workspace_that_is_set_up(run, db_rows, refused):
    before = db_rows()
    refused(run("init", "--workspace-name", "Again", "--owner-email", "x@example.com",
                "--owner-name", "X"), "already set up")
    assert db_rows() == before


# --- members ----------------------------------------------------------------------------

def test_members_list_as_table_and_json(run):
    table = run("members", "list")
    assert table.code == 0
    assert table.out.splitlines()[0].split() == ["EMAIL", "NAME", "ROLE", "ACTIVE", "GROUPS"]
    assert "ed@example.com" in table.out and "Legal" in table.out
    listed = run("members", "list", "--json").json()
    by_email = {m["email"]: m for m in listed}
    assert by_email["pat@example.com"]["role"] == "publisher"
    assert by_email["pat@example.com"]["groups"] == ["Marketing"]
    assert by_email["vi@example.com"]["active"] is True


def test_members_add_takes_the_new_password_from_the_variable(run, monkeypatch):
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "brand new secret")
    outcome = run("members", "add", "--email", "Nia@Example.com", "--name", "Nia",
                  "--role", "Editor", as_="admin")
    assert outcome.code == 0, outcome
    listed = {m["email"]: m for m in run("members", "list", "--json").json()}
    assert listed["nia@example.com"]["role"] == "editor"
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "brand new secret")
    assert run("groups", "list", as_="nia@example.com").code == 0


def test_members_add_asks_for_the_new_password_twice(run, monkeypatch, refused, db_rows):
    monkeypatch.delenv("FLOWBENCH_NEW_PASSWORD", raising=False)
    answers = iter(["new secret one", "new secret two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    before = db_rows()
    refused(run("members", "add", "--email", "n@example.com", "--name", "N", "--role",
                "viewer", as_="owner"), "differ")
    assert db_rows()["member"] == before["member"]
    answers = iter(["new secret one", "new secret one"])
    assert run("members", "add", "--email", "n@example.com", "--name", "N", "--role",
               "viewer", as_="owner").code == 0


@pytest.mark.parametrize("role", ["editor", "viewer", "publisher"])
def test_members_add_is_refused_without_manage_members(run, monkeypatch, refused, db_rows,
                                                       role):
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "brand new secret")
    before = db_rows()
    refused(run("members", "add", "--email", "n@example.com", "--name", "N", "--role",
                "viewer", as_=role), "does not allow you to manage members")
    assert db_rows()["member"] == before["member"]


def test_members_add_refuses_an_unknown_role_and_a_taken_email(run, monkeypatch, refused):
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "brand new secret")
    refused(run("members", "add", "--email", "n@example.com", "--name", "N", "--role",
                "wizard", as_="owner"), "'wizard' is not a role")
    refused(run("members", "add", "--email", "ED@example.com", "--name", "N", "--role",
                "viewer", as_="owner"), "already exists")


def test_members_set_role_and_deactivate(run, refused):
    outcome = run("members", "set-role", "ed@example.com", "publisher", as_="admin")
    assert outcome.code == 0 and "publisher" in outcome.out
    outcome = run("members", "deactivate", "vi@example.com", as_="admin")
    assert outcome.code == 0
    listed = {m["email"]: m for m in run("members", "list", "--json").json()}
    assert listed["ed@example.com"]["role"] == "publisher"
    assert listed["vi@example.com"]["active"] is False
    refused(run("flows", "import", "x.json", as_="viewer"), "deactivated")


def test_members_refusals(run, refused, db_rows):
    before = db_rows()
    refused(run("members", "set-role", "ed@example.com", "admin", as_="editor"),
            "does not allow you to manage members")
    refused(run("members", "deactivate", "olive@example.com", as_="owner"),
            "last active Owner")
    refused(run("members", "set-role", "olive@example.com", "viewer", as_="owner"),
            "at least one active Owner")
    refused(run("members", "deactivate", "nobody@example.com", as_="owner"),
            "no member with the email")
    assert db_rows()["member"] == before["member"]


# --- groups and settings ----------------------------------------------------------------

def test_groups_add_add_member_and_list(run, refused):
    assert run("groups", "add", "Support", as_="admin").code == 0
    assert run("groups", "add-member", "support", "ED@example.com", as_="admin").code == 0
    listed = run("groups", "list", "--json").json()
    assert {"name": "Support", "members": ["ed@example.com"]} in listed
    assert "Support" in run("groups", "list").out
    refused(run("groups", "add", "Support", as_="admin"), "already exists")
    refused(run("groups", "add-member", "Support", "ed@example.com", as_="admin"),
            "already in")
    refused(run("groups", "add-member", "Nope", "ed@example.com", as_="admin"),
            "no approval group named 'Nope'")
    refused(run("groups", "add", "Ops", as_="publisher"),
            "does not allow you to change workspace settings")


def test_settings_show_and_set(run):
    shown = run("settings", "show", "--json").json()
    assert shown == {"name": "Production", "approvals": False, "self_approval": False,
                     "approval_groups": ["Legal", "Marketing"]}
    assert run("settings", "set", "approvals", "on", as_="owner").code == 0
    assert run("settings", "set", "self-approval", "on", as_="admin").code == 0
    shown = run("settings", "show", "--json").json()
    assert shown["approvals"] is True and shown["self_approval"] is True
    table = run("settings", "show").out
    assert "approvals" in table and "Legal, Marketing" in table
    assert run("settings", "set", "approvals", "off", as_="owner").code == 0
    assert run("settings", "show", "--json").json()["approvals"] is False


@pytest.mark.parametrize("role", ["publisher", "editor", "viewer"])
def test_settings_set_is_refused_without_manage_settings(run, refused, db_rows, role):
    before = db_rows()
    refused(run("settings", "set", "approvals", "on", as_=role),
            "does not allow you to change workspace settings")
    assert db_rows() == before

