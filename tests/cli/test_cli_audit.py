"""The command line: ``flowbench audit`` reads the audit log, filtered, as the service
allows (Owners, Admins and Publishers), and changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def history(run, flow_file, monkeypatch):
    """Two flows imported by the editor, one published; a member added by the owner."""
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "another good password")
    assert run("flows", "import", str(flow_file()), as_="editor").code == 0
    assert run("flows", "import", str(flow_file(name="Renewals")), as_="editor").code == 0
    assert run("publish", "Welcome series", as_="publisher").code == 0
    assert run("members", "add", "--email", "new@example.com", "--name", "Nia", "--role", "viewer",
               as_="owner").code == 0


def entries(outcome):
    assert outcome.code == 0, outcome
    return outcome.json()


def test_the_log_newest_first_as_a_table(run, history):
    outcome = run("audit", as_="owner")
    assert outcome.code == 0, outcome
    lines = outcome.out.splitlines()
    assert lines[0].split() == ["WHEN", "(UTC)", "MEMBER", "ACTION", "FLOW", "WHAT"]
    assert "member.add" in lines[1] and "olive@example.com" in lines[1]
    assert "Added new@example.com" in lines[1]
    assert any("flow.publish" in line and "Welcome series" in line for line in lines)


def test_filters_by_flow_member_and_action(run, history):
    by_flow = entries(run("audit", "--flow", "renewals", "--json", as_="admin"))
    assert by_flow and {entry["flow"] for entry in by_flow} == {"Renewals"}
    by_member = entries(run("audit", "--member", "PAT@example.com", "--json",
                            as_="publisher"))
    assert by_member and {entry["member"] for entry in by_member} == {"pat@example.com"}
    assert any(entry["flow"] == "Welcome series" for entry in by_member)
    members_only = entries(run("audit", "--action", "member.*", "--json", as_="owner"))
    assert {entry["action"].split(".")[0] for entry in members_only} == {"member"}
    assert "new@example.com" in members_only[0]["summary"]  # the newest first
    assert len(members_only) < len(entries(run("audit", "--json", as_="owner")))
    # (an imported flow's one entry is its import: no flow.create beside it)
    exact = entries(run("audit", "--action", "flow.import", "--json", as_="owner"))
    assert sorted(entry["flow"] for entry in exact) == ["Renewals", "Welcome series"]
    assert entries(run("audit", "--action", "flow.create", "--json", as_="owner")) == []
    both = entries(run("audit", "--flow", "Welcome series", "--action", "flow.import",
                       "--json", as_="owner"))
    assert [(entry["flow"], entry["member"]) for entry in both] == [
        ("Welcome series", "ed@example.com")]


def test_limit_keeps_the_newest_and_says_there_is_more(run, history):
    everything = entries(run("audit", "--json", as_="owner"))
    assert len(everything) > 2
    two = entries(run("audit", "--limit", "2", "--json", as_="owner"))
    assert two == everything[:2]
    outcome = run("audit", "--limit", "1", as_="owner")
    assert outcome.code == 0
    assert len(outcome.out.splitlines()) == 3  # header, the newest entry, the note
    assert "only the newest 1 shown" in outcome.out


def test_nothing_matching_says_so(run, history):
    outcome = run("audit", "--action", "flow.nothing_like_this", as_="owner")
    assert outcome.code == 0
    assert outcome.out.strip() == "No audit entries match."


def test_editors_and_viewers_are_refused_by_the_service(run, history, refused, db_rows):
    before = db_rows()
    for role in ("editor", "viewer"):
        outcome = run("audit", as_=role)
        refused(outcome)
        assert outcome.out == ""
    assert db_rows() == before  # reading (or being refused) writes nothing


def test_unknown_flow_or_member_and_bad_limit_are_refused(run, history, refused):
    refused(run("audit", "--flow", "Nope", as_="owner"), "Nope")
    refused(run("audit", "--member", "nobody@example.com", as_="owner"),
            "nobody@example.com")
    refused(run("audit", "--limit", "0", as_="owner"), "1 to 2,000")


def test_without_as_it_is_a_usage_error(run, history):
    outcome = run("audit")
    assert outcome.code == 2
    assert "--as EMAIL" in outcome.err
