"""First run, signing in, members, approval groups and settings through the services."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.errors import Conflict, InvalidInput, NotFound, SignInFailed
from flowbench.services import flows, members, passwords, workspace
from flowbench.store import models


def audit_actions() -> list[str]:
    return [e.action for e in models.AuditEntry.select().order_by(models.AuditEntry.id)]


def last_audit() -> models.AuditEntry:
    return models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()


# --- first run -------------------------------------------------------------------------------

def test_first_run_creates_the_workspace_and_its_owner(empty_ws, snapshot) -> None:
    assert not workspace.is_initialised()
    owner = workspace.create_workspace(" Production ", "Olive@Example.com ", "Olive",
                                       "correct horse battery")
    assert (owner.email, owner.name, owner.role) == ("olive@example.com", "Olive", "owner")
    assert workspace.is_initialised()
    info = workspace.workspace_info()
    assert (info.name, info.approvals_enabled, info.allow_self_approval, info.groups) == (
        "Production", False, False, [])
    stored = models.Member.get_by_id(owner.member_id).password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert audit_actions() == ["workspace.create"]
    before = snapshot()
    with pytest.raises(Conflict, match="already set up"):
        workspace.create_workspace("Again", "eve@example.com", "Eve", "correct horse battery")
    assert snapshot() == before


@pytest.mark.parametrize("name, email, owner_name, password, says", [
    ("", "olive@example.com", "Olive", "correct horse battery", "workspace needs a name"),
    ("Production", "not-an-email", "Olive", "correct horse battery", "not an email"),
    ("Production", "olive@example.com", " ", "correct horse battery", "owner needs a name"),
    ("Production", "olive@example.com", "Olive", "short", "at least 8 characters"),
])
def test_first_run_refuses_bad_input_and_writes_nothing(empty_ws, name: str, email: str,
                                                        owner_name: str, password: str,
                                                        says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        workspace.create_workspace(name, email, owner_name, password)
    assert not workspace.is_initialised()
    assert models.Member.select().count() == 0


# --- signing in ------------------------------------------------------------------------------

def test_sign_in_with_the_right_password(cast, password: str) -> None:
    actor = workspace.sign_in("  ED@example.com", password)
    assert actor == cast.editor


@pytest.mark.parametrize("email, attempt", [("ed@example.com", "wrong password"),
                                            ("nobody@example.com", "correct horse battery")])
def test_wrong_password_or_unknown_email_get_the_same_answer(cast, email: str,
                                                             attempt: str) -> None:
    with pytest.raises(SignInFailed) as caught:
        workspace.sign_in(email, attempt)
    assert str(caught.value) == "Wrong email or password."


def test_repeated_failures_lock_the_account_for_a_while(cast, password: str) -> None:
    for _ in range(passwords.FREE_ATTEMPTS):
        with pytest.raises(SignInFailed, match="Wrong email or password"):
            workspace.sign_in("ed@example.com", "guess")
    with pytest.raises(SignInFailed, match=r"Too many failed sign-ins\. Try again in \d+ "
                                           r"seconds\."):
        workspace.sign_in("ed@example.com", password)  # even the right password waits
    assert audit_actions().count("member.sign_in_failed") == passwords.FREE_ATTEMPTS
    # once the wait is over the right password works and the count starts again
    models.Member.update(last_failed_at=models.utcnow().replace(year=2000)).where(
        models.Member.email == "ed@example.com").execute()
    assert workspace.sign_in("ed@example.com", password) == cast.editor
    assert models.Member.get(models.Member.email == "ed@example.com").failed_sign_ins == 0


def test_the_lock_grows_with_each_failure_up_to_a_limit() -> None:
    waits = [passwords.lock_seconds(n) for n in range(12)]
    assert waits[:passwords.FREE_ATTEMPTS] == [0] * passwords.FREE_ATTEMPTS
    assert all(a <= b for a, b in zip(waits, waits[1:], strict=False))
    assert waits[-1] == passwords.MAX_LOCK_SECONDS


def test_a_deactivated_member_cannot_sign_in_nor_act(cast, password: str) -> None:
    members.deactivate(cast.owner, "pat@example.com")
    with pytest.raises(SignInFailed, match="deactivated"):
        workspace.sign_in("pat@example.com", password)
    with pytest.raises(SignInFailed, match="no longer active"):
        flows.create_flow(cast.publisher, "Made after leaving")


# --- members ---------------------------------------------------------------------------------

def test_add_member(cast, fast_hashing: None, password: str) -> None:
    info = members.add_member(cast.admin, " New@Example.com", "Nina", "Publisher", password)
    assert (info.email, info.name, info.role, info.active, info.groups) == (
        "new@example.com", "Nina", "publisher", True, [])
    assert workspace.sign_in("new@example.com", password).member_id == info.id
    entry = last_audit()
    assert (entry.action, entry.member_id) == ("member.add", cast.admin.member_id)
    assert json.loads(entry.details) == {"email": "new@example.com", "role": "publisher"}


@pytest.mark.parametrize("email, role, error, says", [
    ("ED@example.com", "editor", Conflict, "already exists"),
    ("new@example.com", "boss", InvalidInput, "choose one of owner, admin"),
    ("new@", "editor", InvalidInput, "not an email"),
])
def test_add_member_refusals_write_nothing(cast, fast_hashing: None, snapshot, password: str,
                                           email: str, role: str, error: type,
                                           says: str) -> None:
    before = snapshot()
    with pytest.raises(error, match=says):
        members.add_member(cast.owner, email, "New", role, password)
    assert snapshot() == before


def test_only_an_owner_makes_owners(cast, fast_hashing: None, snapshot,
                                    password: str) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="Only an Owner"):
        members.add_member(cast.admin, "boss@example.com", "Boss", "owner", password)
    with pytest.raises(Conflict, match="Only an Owner"):
        members.set_role(cast.admin, "ed@example.com", "owner")
    with pytest.raises(Conflict, match="Only an Owner"):
        members.set_role(cast.admin, "olive@example.com", "viewer")
    with pytest.raises(Conflict, match="Only an Owner"):
        members.deactivate(cast.admin, "olive@example.com")
    assert snapshot() == before
    assert members.add_member(cast.owner, "boss@example.com", "Boss", "owner",
                              password).role == "owner"


def test_change_role_takes_effect_on_the_next_call(cast) -> None:
    info = members.set_role(cast.owner, "vi@example.com", "EDITOR")
    assert info.role == "editor"
    assert last_audit().action == "member.role"
    # the viewer's stale Actor still says "viewer", but the service reads the database
    assert flows.create_flow(cast.viewer, "Made by a former viewer").draft_version == 1


def test_the_last_active_owner_can_never_be_demoted_or_deactivated(cast, snapshot) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="at least one active Owner"):
        members.set_role(cast.owner, "olive@example.com", "admin")
    with pytest.raises(Conflict, match="last active Owner"):
        members.deactivate(cast.owner, "olive@example.com")
    assert snapshot() == before


def test_with_a_second_owner_one_may_step_down_but_not_both(cast) -> None:
    members.set_role(cast.owner, "ada@example.com", "owner")
    members.set_role(cast.admin, "olive@example.com", "admin")  # Ada, now an Owner
    with pytest.raises(Conflict, match="at least one active Owner"):
        members.set_role(cast.admin, "ada@example.com", "admin")


def test_a_deactivated_owner_does_not_count_as_the_remaining_owner(cast) -> None:
    members.set_role(cast.owner, "ada@example.com", "owner")
    members.deactivate(cast.owner, "ada@example.com")
    with pytest.raises(Conflict, match="at least one active Owner"):
        members.set_role(cast.owner, "olive@example.com", "admin")
    with pytest.raises(Conflict, match="last active Owner"):
        members.deactivate(cast.owner, "olive@example.com")


def test_deactivate_and_reactivate(cast, password: str) -> None:
    assert members.deactivate(cast.admin, "ed@example.com").active is False
    with pytest.raises(Conflict, match="already deactivated"):
        members.deactivate(cast.admin, "ed@example.com")
    assert members.reactivate(cast.admin, "ed@example.com").active is True
    assert workspace.sign_in("ed@example.com", password) == cast.editor


def test_unknown_member(cast) -> None:
    with pytest.raises(NotFound, match="no member with the email 'ghost@example.com'"):
        members.set_role(cast.owner, "ghost@example.com", "editor")


def test_list_members(cast) -> None:
    listed = {m.email: (m.role, m.groups) for m in members.list_members()}
    assert listed == {
        "olive@example.com": ("owner", []), "ada@example.com": ("admin", []),
        "pat@example.com": ("publisher", ["Marketing"]), "ed@example.com": ("editor", ["Legal"]),
        "vi@example.com": ("viewer", ["Legal"])}


# --- approval groups ---------------------------------------------------------------------------

def test_groups_and_their_members(cast) -> None:
    assert members.add_group(cast.admin, "  Security ") == "Security"
    members.add_group_member(cast.admin, "security", "ADA@example.com")
    members.add_group_member(cast.admin, "Security", "pat@example.com")
    assert members.list_groups()["Security"] == ["ada@example.com", "pat@example.com"]
    assert members.get_member("pat@example.com").groups == ["Marketing", "Security"]
    members.remove_group_member(cast.admin, "Security", "pat@example.com")
    assert members.list_groups()["Security"] == ["ada@example.com"]
    members.remove_group(cast.admin, "Security")
    assert set(members.list_groups()) == {"Legal", "Marketing"}
    assert audit_actions()[-5:] == ["group.add", "group.add_member", "group.add_member",
                                    "group.remove_member", "group.remove"]


@pytest.mark.parametrize("call, error, says", [
    (lambda a: members.add_group(a, "LEGAL"), Conflict, "already exists"),
    (lambda a: members.add_group(a, " "), InvalidInput, "1 to 100 characters"),
    (lambda a: members.add_group(a, "x" * 101), InvalidInput, "1 to 100 characters"),
    (lambda a: members.add_group_member(a, "Legal", "ed@example.com"), Conflict,
     "already in 'Legal'"),
    (lambda a: members.add_group_member(a, "Security", "ed@example.com"), NotFound,
     "no approval group named 'Security'"),
    (lambda a: members.remove_group_member(a, "Marketing", "ed@example.com"), NotFound,
     "not in 'Marketing'"),
])
def test_group_refusals_write_nothing(cast, snapshot, call, error: type, says: str) -> None:
    before = snapshot()
    with pytest.raises(error, match=says):
        call(cast.owner)
    assert snapshot() == before


def test_with_approvals_on_the_last_group_stays(approvals_on) -> None:
    owner = approvals_on.owner
    members.remove_group(owner, "Legal")
    with pytest.raises(Conflict, match="keep at least one approval group"):
        members.remove_group(owner, "Marketing")


# --- settings -----------------------------------------------------------------------------------

def test_settings(cast) -> None:
    info = workspace.set_approvals(cast.admin, True)
    assert info.approvals_enabled and info.groups == ["Legal", "Marketing"]
    assert workspace.set_self_approval(cast.admin, True).allow_self_approval
    assert workspace.rename_workspace(cast.owner, " Staging ").name == "Staging"
    assert not workspace.set_approvals(cast.owner, False).approvals_enabled
    assert audit_actions()[-4:] == ["settings.approvals", "settings.self_approval",
                                    "settings.rename", "settings.approvals"]
    assert workspace.workspace_info().to_dict() == {
        "name": "Staging", "approvals": False, "self_approval": True,
        "approval_groups": ["Legal", "Marketing"]}


def test_approvals_need_a_group_first(cast, snapshot) -> None:
    members.remove_group(cast.owner, "Legal")
    members.remove_group(cast.owner, "Marketing")
    before = snapshot()
    with pytest.raises(InvalidInput, match="Add an approval group"):
        workspace.set_approvals(cast.owner, True)
    assert snapshot() == before
