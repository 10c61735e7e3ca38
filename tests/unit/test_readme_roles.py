"""The README's role × action table says what the roles really grant."""

from __future__ import annotations

from pathlib import Path

from flowbench.domain.roles import Permission, Role, has_permission

README = Path(__file__).resolve().parents[2] / "README.md"
P = Permission
ROWS = {  # the table's first column: the permission the services check for it
    "look at flows, versions, activity, the runtime": P.VIEW,
    "create, import, edit, duplicate flows; restore a version; discard a draft": P.EDIT_DRAFT,
    "unarchive a flow": P.EDIT_DRAFT,
    "send tests (the draft, to test accounts)": P.SEND_TEST,
    "approve or reject for a group they belong to": P.APPROVE,
    "rehearsal data: customers, segments, events, the clock, acting on a card as the "
    "customer": P.EDIT_DRAFT,
    "publish; archive a flow; start a manual flow for customers": P.PUBLISH,
    "cancel running instances, cancel cards": P.CANCEL_INSTANCES,
    "read the audit log": P.VIEW_AUDIT,
    "publish without approvals (with a reason)": P.OVERRIDE_APPROVALS,
    "manage members; change settings and approval groups": P.MANAGE_MEMBERS,
}
ROLES = (Role.OWNER, Role.ADMIN, Role.PUBLISHER, Role.EDITOR, Role.VIEWER)


def test_the_role_table_matches_the_permissions() -> None:
    section = README.read_text().split("### Who may do what", 1)[1].lstrip("\n")
    table = section.split("\n\n", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][2:]
    seen = {}
    for line in rows:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        seen[cells[0]] = [cell == "✓" for cell in cells[1:]]
    assert set(seen) == set(ROWS)
    for action, marks in seen.items():
        assert marks == [has_permission(role, ROWS[action]) for role in ROLES], action
