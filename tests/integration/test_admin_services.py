"""Administration services added for the Members and Settings window and the Audit Log:
renaming groups, the extra member guards, suggested passwords and reading the audit log."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from flowbench.services import audit_log, flows, members, workspace
from flowbench.services.audit_log import AuditFilter
from flowbench.store import models


def last_audit() -> models.AuditEntry:
    return models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()


# --- members and groups ----------------------------------------------------------------------

def test_suggested_passwords_are_long_random_and_accepted(cast, fast_hashing: None) -> None:
    suggested = {members.suggest_password() for _ in range(50)}
    assert len(suggested) == 50
    sample = suggested.pop()
    assert len(sample) == 14 and sample.count("-") == 2
    assert not set(sample) & set("0O1lI")
    members.add_member(cast.owner, "new@example.com", "New", "editor", sample)
    assert workspace.sign_in("new@example.com", sample).email == "new@example.com"


def test_rename_group_keeps_its_members_and_is_audited(cast) -> None:
    assert members.rename_group(cast.admin, "legal", "Legal & Compliance") == \
        "Legal & Compliance"
    assert members.list_groups()["Legal & Compliance"] == ["ed@example.com", "vi@example.com"]
    assert "Legal" not in members.list_groups()
    entry = last_audit()
    assert (entry.action, entry.member_id) == ("group.rename", cast.admin.member_id)
    assert json.loads(entry.details) == {"old": "Legal", "new": "Legal & Compliance"}
    members.rename_group(cast.owner, "Legal & Compliance", "legal & compliance")  # case only
    assert "legal & compliance" in members.list_groups()


@pytest.mark.parametrize("who, group, new, error, says", [
    ("owner", "Legal", "marketing", Conflict, "already exists"),
    ("owner", "Legal", "  ", InvalidInput, "1 to 100 characters"),
    ("owner", "Nope", "Other", NotFound, "no approval group named 'Nope'"),
    ("publisher", "Legal", "Other", PermissionDenied, "Publisher"),
    ("viewer", "Legal", "Other", PermissionDenied, "change workspace settings"),
])
def test_rename_group_refusals_write_nothing(cast, snapshot, who: str, group: str, new: str,
                                             error: type, says: str) -> None:
    before = snapshot()
    with pytest.raises(error, match=says):
        members.rename_group(cast.by_role(who), group, new)
    assert snapshot() == before


def test_member_guards_write_nothing(cast, snapshot, password: str) -> None:
    members.set_role(cast.owner, "ada@example.com", "owner")
    members.set_role(cast.owner, "pat@example.com", "admin")
    before = snapshot()
    with pytest.raises(Conflict, match="cannot deactivate yourself"):
        members.deactivate(cast.owner, "olive@example.com")
    with pytest.raises(Conflict, match="already active"):
        members.reactivate(cast.owner, "ed@example.com")
    with pytest.raises(Conflict, match="Only an Owner can reset the password of an Owner"):
        members.reset_password(cast.publisher, "olive@example.com", "a new password 1")
    with pytest.raises(InvalidInput, match="email address is needed"):
        members.add_member(cast.owner, "  ", "Nobody", "editor", password)
    assert snapshot() == before
    members.deactivate(cast.owner, "ada@example.com")
    with pytest.raises(Conflict, match="Only an Owner can reactivate an Owner"):
        members.reactivate(cast.publisher, "ada@example.com")
    assert members.reactivate(cast.owner, "ada@example.com").active


# --- reading the audit log ----------------------------------------------------------------------

@pytest.fixture
def history(cast, content) -> dict[str, int]:
    """A few entries on two flows by two members, after the template's own."""
    welcome = flows.create_flow(cast.editor, "Welcome")
    members.set_role(cast.owner, "vi@example.com", "editor")
    other = flows.create_flow(cast.publisher, "Winback")
    workspace.set_self_approval(cast.admin, True)
    return {"welcome": welcome.id, "winback": other.id}


def test_the_log_reads_newest_first_with_who_and_which_flow(cast, history) -> None:
    page = audit_log.read_audit(cast.publisher, limit=4)
    assert [r.action for r in page.records] == [
        "settings.self_approval", "flow.create", "member.role", "flow.create"]
    newest = page.records[0]
    assert (newest.member_email, newest.member_name, newest.flow_name) == (
        "ada@example.com", "Ada", None)
    assert newest.details == {"allowed": True}
    assert page.records[1].flow_name == "Winback"
    assert page.records[1].who == "Pat <pat@example.com>"
    assert page.more and page.next_before == page.records[-1].id


def test_pages_follow_each_other_without_gaps_or_repeats(cast, history) -> None:
    everything = audit_log.read_audit(cast.owner, limit=2000)
    assert not everything.more
    seen: list[int] = []
    before: int | None = None
    while True:
        page = audit_log.read_audit(cast.owner, before_id=before, limit=3)
        seen += [r.id for r in page.records]
        if not page.more:
            break
        before = page.next_before
    assert seen == [r.id for r in everything.records]
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("chosen, expected", [
    (AuditFilter(action="flow.create"), ["flow.create", "flow.create"]),
    (AuditFilter(action="settings.*"), ["settings.self_approval"]),
    (AuditFilter(text="WINBACK"), ["flow.create"]),
    (AuditFilter(text="vi@example.com editor"), ["member.role"]),
])
def test_filters(cast, history, chosen: AuditFilter, expected: list[str]) -> None:
    page = audit_log.read_audit(cast.owner, chosen)
    assert [r.action for r in page.records] == expected


def test_filter_by_flow_and_by_member(cast, history) -> None:
    by_flow = audit_log.read_audit(cast.owner, AuditFilter(flow_id=history["welcome"]))
    assert [(r.action, r.flow_name) for r in by_flow.records] == [("flow.create", "Welcome")]
    by_member = audit_log.read_audit(cast.owner, AuditFilter(member_id=cast.owner.member_id))
    assert by_member.records and {r.member_email for r in by_member.records} == {
        "olive@example.com"}
    assert "member.role" in [r.action for r in by_member.records]
    both = audit_log.read_audit(cast.owner, AuditFilter(flow_id=history["winback"],
                                                        member_id=cast.editor.member_id))
    assert both.records == [] and not both.more


def test_choices_list_what_the_log_holds(cast, history) -> None:
    choices = audit_log.audit_choices(cast.owner)
    assert [name for _id, name in choices.flows] == ["Welcome", "Winback"]
    assert "Ada <ada@example.com>" in [label for _id, label in choices.members]
    assert {"flow.create", "member.role", "group.add", "settings.self_approval"} <= set(
        choices.actions)
    assert "group.*" in choices.families and "flow.*" not in choices.families


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_members_allowed_to_view_the_audit_log_read_it(cast, history, who: str) -> None:
    with pytest.raises(PermissionDenied, match="view the audit log"):
        audit_log.read_audit(cast.by_role(who))
    with pytest.raises(PermissionDenied, match="view the audit log"):
        audit_log.audit_choices(cast.by_role(who))


def test_reading_writes_nothing_and_bad_page_sizes_are_refused(cast, history,
                                                               snapshot) -> None:
    before = snapshot()
    audit_log.read_audit(cast.owner, AuditFilter(text="x"))
    with pytest.raises(InvalidInput, match="A page holds"):
        audit_log.read_audit(cast.owner, limit=0)
    assert snapshot() == before
