"""What the window does beyond drafting, from the command line: restore, discard,
archive, unarchive, duplicate; members reactivate and reset-password; groups rename,
remove and remove-member."""

from __future__ import annotations

import pytest

from flowbench.domain.flow_file import parse_flow_file


@pytest.fixture
def two_versions(run, flow_file):
    """'Welcome series': Version 1 ("Welcome!") previous, Version 2 ("Hello v2") live,
    Version 3 ("Draft v3") the draft."""
    for title in ("Welcome!", "Hello v2", "Draft v3"):
        assert run("flows", "import", str(flow_file(title=title)), as_="editor").code == 0
        if title != "Draft v3":
            assert run("publish", "Welcome series", as_="publisher").code == 0
    return "Welcome series"


def titles(run, *args: str) -> str:
    exported = parse_flow_file(run("flows", "export", *args).out)
    return exported.definition.steps[0].title or ""


def test_restore_puts_a_published_version_into_the_draft(run, two_versions, refused,
                                                         db_rows) -> None:
    done = run("restore", two_versions, "--version", "1", as_="editor")
    assert done.code == 0, done
    assert "Restored Version 1 of 'Welcome series' into the draft Version 3" in done.out
    assert titles(run, two_versions) == "Welcome!"
    before = db_rows()
    refused(run("restore", two_versions, "--version", "7", as_="editor"), "no Version 7")
    refused(run("restore", two_versions, "--version", "2", "--revision", "1",
                as_="editor"), "changed since you looked")
    refused(run("restore", two_versions, "--version", "2", as_="viewer"),
            "does not allow you to restore versions")
    assert db_rows() == before


def test_restore_without_a_draft_starts_one(run, two_versions) -> None:
    assert run("discard", two_versions, as_="editor").code == 0
    done = run("restore", two_versions, "--version", "1", as_="editor")
    assert done.code == 0, done
    assert "draft Version 3" in done.out
    assert titles(run, two_versions) == "Welcome!"


def test_discard_drops_the_draft(run, two_versions, refused) -> None:
    done = run("discard", two_versions, as_="editor")
    assert done.code == 0, done
    assert done.out.strip() == ("Discarded the draft Version 3 of 'Welcome series'; "
                                "Version 2 is live.")
    assert titles(run, two_versions) == "Hello v2"
    refused(run("discard", two_versions, as_="editor"), "has no draft to discard")


def test_archive_and_unarchive(run, two_versions, refused) -> None:
    refused(run("flows", "archive", two_versions, as_="editor"),
            "does not allow you to archive flows")
    assert run("flows", "archive", two_versions, as_="publisher").code == 0
    assert [f["name"] for f in run("flows", "list", "--json").json()] == []
    listed = run("flows", "list", "--archived", "--json").json()
    assert [(f["name"], f["archived"]) for f in listed] == [(two_versions, True)]
    assert "(archived)" in run("flows", "list", "--archived").out
    refused(run("discard", two_versions, as_="editor"), "archived")
    done = run("flows", "unarchive", two_versions, as_="editor")
    assert done.out.strip() == "Unarchived 'Welcome series'."
    assert [f["name"] for f in run("flows", "list", "--json").json()] == [two_versions]


def test_duplicate_copies_the_live_version_or_the_draft(run, two_versions, refused) -> None:
    done = run("flows", "duplicate", two_versions, "--name", "Copy", "--json",
               as_="editor")
    assert done.code == 0, done
    assert {k: done.json()[k] for k in ("name", "live_version", "draft_version")} == {
        "name": "Copy", "live_version": None, "draft_version": 1}
    assert titles(run, "Copy") == "Hello v2"
    assert run("flows", "duplicate", two_versions, "--name", "Copy 2", "--draft",
               as_="editor").code == 0
    assert titles(run, "Copy 2") == "Draft v3"
    refused(run("flows", "duplicate", two_versions, "--name", "copy", as_="editor"),
            "already exists")
    refused(run("flows", "duplicate", two_versions, "--name", "X", as_="viewer"),
            "does not allow you to duplicate flows")


def test_duplicating_writes_one_audit_entry_naming_source_and_copy(run, two_versions
                                                                  ) -> None:
    assert run("flows", "duplicate", two_versions, "--name", "Copy", as_="editor").code == 0
    entries = run("audit", "--flow", "Copy", "--json", as_="publisher").json()
    assert [(e["action"], e["member"], e["summary"]) for e in entries] == [
        ("flow.duplicate", "ed@example.com",
         "Duplicated 'Welcome series' (Version 2) as 'Copy' (Version 1 draft)")]
    assert entries[0]["details"] == {"source": "Welcome series", "source_version": 2}
    shown = run("audit", "--flow", "Copy", as_="publisher").out
    assert shown.count("flow.duplicate") == 1 and "flow.create" not in shown


def test_members_reactivate_and_reset_password(run, monkeypatch, refused) -> None:
    assert run("members", "deactivate", "ed@example.com", as_="admin").code == 0
    refused(run("validate", "none", as_="editor"))
    done = run("members", "reactivate", "ed@example.com", as_="admin")
    assert done.out.strip() == "Reactivated ed@example.com: they can sign in again."
    refused(run("members", "reactivate", "ed@example.com", as_="admin"), "already active")
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "a brand new secret")
    refused(run("members", "reset-password", "ed@example.com", as_="editor"),
            "does not allow you to reset passwords")
    done = run("members", "reset-password", "ed@example.com", as_="admin")
    assert done.code == 0, done
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "a brand new secret")
    refused(run("groups", "add", "X", as_="editor"),  # signed in with the new one
            "does not allow you to change workspace settings")


def test_reset_password_asks_twice_without_the_variable(run, monkeypatch, refused) -> None:
    monkeypatch.delenv("FLOWBENCH_NEW_PASSWORD", raising=False)
    answers = iter(["one secret phrase", "another phrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    refused(run("members", "reset-password", "ed@example.com", as_="admin"), "differ")


def test_groups_rename_remove_member_and_remove(run, refused, db_rows) -> None:
    done = run("groups", "rename", "Legal", "Compliance", as_="admin")
    assert done.out.strip() == "Renamed the approval group 'Legal' to 'Compliance'."
    groups = {g["name"]: g["members"] for g in run("groups", "list", "--json").json()}
    assert sorted(groups["Compliance"]) == ["ed@example.com", "vi@example.com"]
    assert run("groups", "remove-member", "Compliance", "vi@example.com",
               as_="admin").code == 0
    groups = {g["name"]: g["members"] for g in run("groups", "list", "--json").json()}
    assert groups["Compliance"] == ["ed@example.com"]
    refused(run("groups", "remove-member", "Compliance", "vi@example.com", as_="admin"),
            "is not in")
    before = db_rows()
    refused(run("groups", "remove", "Compliance", as_="editor"))
    assert db_rows() == before
    assert run("groups", "remove", "Compliance", as_="admin").code == 0
    assert "Compliance" not in run("groups", "list").out


def test_flows_new_draft_starts_the_next_version(run, two_versions, refused) -> None:
    refused(run("flows", "new-draft", two_versions, as_="editor"), "already has a draft")
    assert run("discard", two_versions, as_="editor").code == 0
    done = run("flows", "new-draft", two_versions, as_="editor")
    assert done.out.strip() == ("Started Version 3 of 'Welcome series' as a draft, from "
                                "Version 2.")
    assert titles(run, two_versions) == "Hello v2"


def test_settings_rename_and_change_own_password(run, monkeypatch, refused) -> None:
    refused(run("settings", "rename", "Staging", as_="editor"),
            "does not allow you to change workspace settings")
    assert run("settings", "rename", "Staging", as_="admin").out.strip() == \
        "The workspace is now called 'Staging'."
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "my own new secret")
    assert run("members", "change-password", as_="editor").code == 0
    refused(run("settings", "rename", "X", as_="editor"), "Wrong email or password")
    monkeypatch.setenv("FLOWBENCH_PASSWORD", "my own new secret")
    refused(run("settings", "rename", "X", as_="editor"), "does not allow you to change")
