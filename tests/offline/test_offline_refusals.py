"""In an offline copy, drafts are editable and everything that needs the team refuses
with one sentence (exit code 1), whoever asks and however (command or service)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import assert_refused
from offline_world import cli, definition, edit, opened
from workspaces import POSTGRES_URL, read_rows

from flowbench.domain.errors import OfflineRefused
from flowbench.domain.roles import Permission
from flowbench.services import approvals, drafts, flows, members, publishing, workspace

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")
REFUSAL = "This is an offline copy of Acme: approve/publish when back online"


@pytest.fixture
def copy(team: str, tmp_path: Path) -> Path:
    path = tmp_path / "offline.flowbench"
    assert cli("--workspace", team, "offline", "copy", str(path)).code == 0
    return path


@pytest.mark.parametrize("command, who", [
    (("approve", "Alpha", "--group", "Legal"), "pat"),
    (("publish", "Alpha"), "pat"),
    (("cancel", "Gamma"), "pat"),
    (("members", "set-role", "ed@example.com", "viewer"), "owner"),
    (("settings", "set", "approvals", "on"), "owner"),
    (("groups", "add", "Finance"), "owner"),
])
def test_what_needs_the_team_is_refused_in_the_copy_and_changes_nothing(
        copy: Path, command: tuple[str, ...], who: str) -> None:
    before = read_rows(copy, "SELECT * FROM flow_version ORDER BY id") + read_rows(
        copy, "SELECT id, role FROM member ORDER BY id")
    done = cli("--workspace", str(copy), *command, who=who)
    assert_refused(done, REFUSAL)
    after = read_rows(copy, "SELECT * FROM flow_version ORDER BY id") + read_rows(
        copy, "SELECT id, role FROM member ORDER BY id")
    assert after == before


def test_editing_validating_exporting_and_looking_work_offline(
        copy: Path, tmp_path: Path) -> None:
    with opened(copy, "ed") as ed:
        saved = edit(ed, "Alpha", definition("Edited on the plane"))
        assert saved.revision == 2
    assert cli("--workspace", str(copy), "validate", "Alpha", who=None).code == 0
    exported = tmp_path / "alpha.json"
    assert cli("--workspace", str(copy), "flows", "export", "Alpha", "-o", str(exported),
               who=None).code == 0
    assert "Edited on the plane" in exported.read_text()
    assert cli("--workspace", str(copy), "versions", "Gamma", who=None).code == 0


def test_a_service_call_that_bypasses_the_window_is_refused_too(copy: Path) -> None:
    with opened(copy, "owner") as owner:
        assert owner.offline_copy_of == "Acme"
        assert not owner.can(Permission.PUBLISH) and owner.can(Permission.EDIT_DRAFT)
        assert owner.refusal(Permission.APPROVE) == REFUSAL
        for attempt in (lambda: publishing.publish_draft(owner, "Alpha"),
                        lambda: approvals.approve(owner, "Alpha", "Legal"),
                        lambda: members.set_role(owner, "ed@example.com", "viewer"),
                        lambda: workspace.set_approvals(owner, True)):
            with pytest.raises(OfflineRefused, match=REFUSAL):
                attempt()
        assert drafts.open_flow("Alpha").status == "draft"


def test_the_copy_never_holds_the_server_password_given_in_the_address(
        team: str, tmp_path: Path) -> None:
    scheme, _, rest = team.partition("://")
    user, _, where = rest.partition("@")
    with_password = f"{scheme}://{user}:Hunter2-secret@{where}"  # the test server trusts
    copy = tmp_path / "offline.flowbench"
    done = cli("--workspace", with_password, "offline", "copy", str(copy))
    assert done.code == 0, done.err
    assert b"Hunter2-secret" not in copy.read_bytes()
    assert read_rows(copy, "SELECT value FROM flowbench_meta WHERE key = 'offline.copy_of'") \
        == [(team,)]


def test_copying_onto_an_existing_file_or_from_a_file_and_syncing_a_plain_file_are_refused(
        team: str, copy: Path, tmp_path: Path) -> None:
    before = copy.read_bytes()
    assert_refused(cli("--workspace", team, "offline", "copy", str(copy)), "already exists")
    assert copy.read_bytes() == before
    assert_refused(cli("--workspace", str(copy), "offline", "copy",
                       str(tmp_path / "again.flowbench")), "Only a team workspace")
    assert not (tmp_path / "again.flowbench").exists()
    plain = tmp_path / "plain.flowbench"
    made = cli("--workspace", str(plain), "init", "--workspace-name", "Solo",
               "--owner-email", "olive@example.com", "--owner-name", "Olive", who=None)
    assert made.code == 0, made.err
    assert_refused(cli("--workspace", str(plain), "offline", "sync", who="owner"),
                   "not an offline copy")


def test_changes_a_sync_cannot_carry_back_are_refused_rather_than_lost(copy: Path) -> None:
    with opened(copy, "owner") as owner:
        for attempt in (lambda: flows.rename_flow(owner, "Alpha", "Alpha renamed"),
                        lambda: drafts.discard_draft(owner, "Alpha", 1),
                        lambda: flows.set_archived(owner, "Beta", True)):
            with pytest.raises(OfflineRefused, match=REFUSAL):
                attempt()
        assert [f.name for f in flows.list_flows()] == ["Alpha", "Beta", "Gamma"]
