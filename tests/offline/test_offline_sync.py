"""Taking Acme offline, editing there, and syncing back while a colleague edits too."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from offline_world import EMAILS, cli, definition, edit, opened
from workspaces import POSTGRES_URL, read_rows

from flowbench.domain.offline_merge import Side
from flowbench.services import (
    approvals,
    drafts,
    flows,
    members,
    offline_conflicts,
    offline_sync,
    workspace,
)
from flowbench.store.team import address_without_password

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")


def take_offline(team: str, copy: Path) -> None:
    done = cli("--workspace", team, "offline", "copy", str(copy))
    assert done.code == 0, done.err
    assert "is now an offline copy of Acme" in done.out


def meta(copy: Path) -> dict[str, str]:
    return dict(read_rows(copy, "SELECT key, value FROM flowbench_meta"))  # type: ignore[arg-type]


def test_the_copy_is_private_remembers_its_team_and_carries_flows_members_and_revisions(
        team: str, tmp_path: Path) -> None:
    copy = tmp_path / "acme-offline.flowbench"
    take_offline(team, copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not copy.with_name(copy.name + ".partial").exists()
    facts = meta(copy)
    assert facts["offline.copy_of"] == team
    base = json.loads(facts["offline.base.1"])["base"]
    assert (base["version"], base["revision"], base["status"]) == (1, 1, "draft")
    # The same sign-in works offline; flows, versions and members are there, no runtime.
    with opened(copy, "eve"):
        assert [f.name for f in flows.list_flows()] == ["Alpha", "Beta", "Gamma"]
        assert drafts.open_flow("Gamma").status == "live"
    assert read_rows(copy, "SELECT count(*) FROM customer") == [(0,)]


def test_the_remembered_address_never_holds_a_password() -> None:
    assert address_without_password("postgresql://ana:s3cret@db.example:5432/acme"
                                     "?sslmode=require&password=other") \
        == "postgresql://ana@db.example:5432/acme?sslmode=require"


def test_an_edit_is_sent_a_moved_on_draft_is_a_conflict_and_a_new_flow_is_created(
        team: str, tmp_path: Path) -> None:
    copy = tmp_path / "offline.flowbench"
    take_offline(team, copy)
    with opened(copy, "ed") as ed:
        edit(ed, "Alpha", definition("Alpha, edited offline"))
        edit(ed, "Beta", definition("Beta, edited offline"))
        edit(ed, "Gamma", definition("Gamma, next version offline"))
        flows.create_flow(ed, "Delta", definition("Made on the train"))
    with opened(team, "eve") as eve:  # meanwhile, on the server
        edit(eve, "Beta", definition("Beta, Eve's edit"))
        flows.create_flow(eve, "Epsilon", definition("Eve's new flow"))

    done = cli("--workspace", str(copy), "offline", "sync", "--json")
    assert done.code == 0, done.err
    outcomes = {row["flow"]: row["outcome"] for row in json.loads(done.out)["flows"]}
    assert outcomes == {"Alpha": "sent", "Beta": "conflict", "Gamma": "sent",
                        "Delta": "created"}
    with opened(team, "eve"):
        alpha, beta = drafts.open_flow("Alpha"), drafts.open_flow("Beta")
        assert (alpha.revision, alpha.definition) == (2, definition("Alpha, edited offline"))
        assert (beta.revision, beta.definition) == (2, definition("Beta, Eve's edit"))
        gamma = drafts.open_flow("Gamma")
        assert (gamma.version, gamma.status) == (2, "draft")  # the next version's draft
        assert drafts.open_flow("Delta").definition == definition("Made on the train")
    told = cli("--workspace", team, "audit", "--flow", "Delta", "--json", who="owner")
    assert [e["action"] for e in json.loads(told.out)] == ["offline.sync"]  # one entry
    with opened(copy, "ed"):  # refreshed from the team, the conflicting edit kept
        assert [f.name for f in flows.list_flows()] == [
            "Alpha", "Beta", "Delta", "Epsilon", "Gamma"]
        assert drafts.open_flow("Beta").definition == definition("Beta, edited offline")
        [conflict] = offline_conflicts.list_conflicts()
        assert conflict.flow == "Beta"
        assert conflict.base is not None and conflict.base.revision == 1
        assert conflict.theirs.revision == 2 and conflict.theirs.saved_by == "Eve"
        assert conflict.mine_definition == definition("Beta, edited offline")

    listed = cli("--workspace", str(copy), "offline", "conflicts", "--json", who=None)
    assert [c["flow"] for c in json.loads(listed.out)] == ["Beta"]
    # A second sync changes nothing and still reports the conflict: never resolved silently.
    again = cli("--workspace", str(copy), "offline", "sync", "--json")
    assert {r["flow"]: r["outcome"] for r in json.loads(again.out)["flows"]}["Beta"] \
        == "conflict"

    kept = cli("--workspace", str(copy), "offline", "resolve", "Beta", "--keep", "mine")
    assert kept.code == 0, kept.err
    assert "Beta" in kept.out and "sent" in kept.out
    with opened(team, "eve"):
        beta = drafts.open_flow("Beta")
        assert (beta.revision, beta.definition) == (3, definition("Beta, edited offline"))
    assert cli("--workspace", str(copy), "offline", "conflicts", who=None).out.strip() \
        == "No conflicts."


def conflict_on_beta(team: str, copy: Path) -> None:
    take_offline(team, copy)
    with opened(copy, "ed") as ed:
        edit(ed, "Beta", definition("Ed's title", wait="P5D"))
    with opened(team, "eve") as eve:
        edit(eve, "Beta", definition("Eve's title", wait="P1D",
                                     steps=[{"id": "nudge", "kind": "send_push",
                                             "parent": "welcome", "title": "Psst",
                                             "body": "Look", "card": "welcome"}]))
    done = cli("--workspace", str(copy), "offline", "sync")
    assert done.code == 0 and "conflict" in done.out


def test_taking_theirs_keeps_the_team_draft_and_the_copy_follows(
        team: str, tmp_path: Path) -> None:
    copy = tmp_path / "offline.flowbench"
    conflict_on_beta(team, copy)
    done = cli("--workspace", str(copy), "offline", "resolve", "Beta", "--keep", "theirs")
    assert done.code == 0, done.err
    with opened(team, "eve"):
        beta = drafts.open_flow("Beta")
        assert beta.revision == 2 and beta.definition.step("welcome").title == "Eve's title"
    with opened(copy, "ed"):
        assert drafts.open_flow("Beta").definition.step("nudge") is not None
        assert offline_conflicts.list_conflicts() == []


def test_taking_a_side_per_step_sends_the_mix_as_a_new_revision(
        team: str, tmp_path: Path) -> None:
    copy = tmp_path / "offline.flowbench"
    conflict_on_beta(team, copy)
    with opened(copy, "ed") as ed:
        done = offline_conflicts.resolve(ed, "Beta", {"welcome": Side.MINE,
                                                      "later": Side.THEIRS})
        assert done.sync is not None
        assert [(f.flow, str(f.outcome)) for f in done.sync.flows] == [("Beta", "sent")]
    with opened(team, "eve"):
        beta = drafts.open_flow("Beta")
        assert beta.revision == 3
        assert beta.definition.step("welcome").title == "Ed's title"   # mine
        assert beta.definition.step("later").duration == "P1D"         # theirs
        assert beta.definition.step("nudge") is not None               # theirs by default


def test_a_resolution_made_while_the_server_is_away_is_sent_by_the_next_sync(
        team: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "offline.flowbench"
    conflict_on_beta(team, copy)
    facts = meta(copy)
    unreachable = "postgresql://ed@127.0.0.1:1/nowhere"
    import sqlite3

    from workspaces import read_rows as _  # noqa: F401  (the copy is edited below)

    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE flowbench_meta SET value = ? WHERE key = 'offline.copy_of'",
                     (unreachable,))
    done = cli("--workspace", str(copy), "offline", "resolve", "Beta", "--keep", "mine")
    assert done.code == 0, done.err
    assert "sent by the next sync" in done.out
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE flowbench_meta SET value = ? WHERE key = 'offline.copy_of'",
                     (facts["offline.copy_of"],))
    synced = cli("--workspace", str(copy), "offline", "sync", "--json")
    assert {r["flow"]: r["outcome"] for r in json.loads(synced.out)["flows"]}["Beta"] == "sent"
    with opened(team, "eve"):
        assert drafts.open_flow("Beta").definition.step("welcome").title == "Ed's title"


def test_a_sync_when_nothing_was_edited_only_refreshes(team: str, tmp_path: Path) -> None:
    copy = tmp_path / "offline.flowbench"
    take_offline(team, copy)
    with opened(team, "eve") as eve:
        edit(eve, "Alpha", definition("Eve again"))
    done = cli("--workspace", str(copy), "offline", "sync", "--json")
    report = json.loads(done.out)
    assert {r["outcome"] for r in report["flows"]} == {"unchanged"} and report["refreshed"]
    with opened(copy, "ed"):
        assert drafts.open_flow("Alpha").definition == definition("Eve again")
        assert offline_sync.local_flows()[0].edited is False
    assert EMAILS  # the cast is the template's


def test_approvals_on_the_team_draft_are_withdrawn_only_when_the_sent_content_changed(
        team: str, tmp_path: Path) -> None:
    with opened(team, "owner") as owner:
        members.add_group_member(owner, "Legal", EMAILS["pat"])
        workspace.set_approvals(owner, True)
    with opened(team, "pat") as pat:
        for flow in ("Alpha", "Beta"):
            approvals.approve(pat, flow, "Legal")
    copy = tmp_path / "offline.flowbench"
    take_offline(team, copy)
    with opened(copy, "ed") as ed:
        edit(ed, "Alpha", definition("Alpha, changed offline"))
        edit(ed, "Beta", definition("Beta card"))  # the same content: nothing changes
    done = cli("--workspace", str(copy), "offline", "sync", "--json")
    assert {r["flow"]: r["outcome"] for r in json.loads(done.out)["flows"]} == {
        "Alpha": "sent", "Beta": "unchanged", "Gamma": "unchanged"}
    with opened(team, "eve"):
        assert approvals.approval_view("Alpha").missing == ["Legal"]
        assert approvals.approval_view("Beta").missing == []


def test_test_sends_run_in_the_copy_for_its_own_test_accounts(
        team: str, tmp_path: Path) -> None:
    copy = tmp_path / "offline.flowbench"
    take_offline(team, copy)
    accounts = tmp_path / "testers.csv"
    accounts.write_text("id,test\nqa1,yes\n")
    assert cli("--workspace", str(copy), "customers", "import", str(accounts)).code == 0
    sent = cli("--workspace", str(copy), "test-send", "Alpha", "--to", "qa1")
    assert sent.code == 0, sent.err
    inbox = cli("--workspace", str(copy), "test-inbox", "qa1", "--json", who=None)
    assert "Alpha card" in inbox.out
    assert read_rows(team, "SELECT count(*) FROM customer") == [(0,)]  # the team's untouched


def test_the_copy_carries_every_kept_revision_of_a_draft(team: str, tmp_path: Path) -> None:
    from flowbench.services import revisions

    with opened(team, "eve") as eve:
        edit(eve, "Alpha", definition("Second"))
        edit(eve, "Alpha", definition("Third"))
    copy = tmp_path / "offline.flowbench"
    take_offline(team, copy)
    with opened(copy, "ed"):
        kept = revisions.list_revisions("Alpha")
        assert [r.revision for r in kept] == [1, 2, 3]
        assert drafts.revision_content("Alpha", 2).definition == definition("Second")
