"""Roles and their permissions (issue 2 §2)."""

from __future__ import annotations

import pytest

from flowbench.domain.roles import (
    ROLE_PERMISSIONS,
    Permission,
    Role,
    has_permission,
    parse_role,
    permissions_of,
    refusal,
)

P = Permission
EVERY_ROLE = list(Role)


def holders(permission: Permission) -> set[Role]:
    return {role for role in Role if has_permission(role, permission)}


def test_the_five_built_in_roles_and_eleven_permissions() -> None:
    assert [r.value for r in Role] == ["owner", "admin", "publisher", "editor", "viewer"]
    assert {p.value for p in Permission} == {
        "view", "edit_draft", "send_test", "approve", "publish", "override_approvals",
        "cancel_instances", "cancel_cards", "manage_members", "manage_settings", "view_audit"}
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_viewers_only_view() -> None:
    assert permissions_of("viewer") == {P.VIEW}


def test_editors_edit_and_test_but_cannot_publish() -> None:
    editor = permissions_of("editor")
    assert {P.VIEW, P.EDIT_DRAFT, P.SEND_TEST} <= editor
    assert P.PUBLISH not in editor
    assert P.OVERRIDE_APPROVALS not in editor


def test_only_owner_and_admin_override_approvals_and_manage_members() -> None:
    assert holders(P.OVERRIDE_APPROVALS) == {Role.OWNER, Role.ADMIN}
    assert holders(P.MANAGE_MEMBERS) == {Role.OWNER, Role.ADMIN}


def test_owner_admin_publisher_and_editor_hold_approve() -> None:
    assert holders(P.APPROVE) == {Role.OWNER, Role.ADMIN, Role.PUBLISHER, Role.EDITOR}


def test_who_publishes() -> None:
    assert holders(P.PUBLISH) == {Role.OWNER, Role.ADMIN, Role.PUBLISHER}


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_everybody_views(role: Role) -> None:
    assert has_permission(role, P.VIEW)


def test_roles_are_nested_from_viewer_to_owner() -> None:
    ladder = [permissions_of(r) for r in ("viewer", "editor", "publisher", "admin", "owner")]
    assert all(low <= high for low, high in zip(ladder, ladder[1:], strict=False))
    assert permissions_of("owner") == set(Permission)


def test_an_unknown_role_grants_nothing() -> None:
    assert permissions_of("superuser") == frozenset()
    assert not has_permission("superuser", P.VIEW)


@pytest.mark.parametrize("text, role", [("Owner", Role.OWNER), (" editor ", Role.EDITOR),
                                        ("VIEWER", Role.VIEWER)])
def test_parse_role_any_case(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_parse_role_names_the_choices() -> None:
    with pytest.raises(ValueError, match="owner, admin, publisher, editor, viewer"):
        parse_role("boss")


def test_refusal_is_a_sentence_naming_the_role_and_the_action() -> None:
    assert refusal("editor", P.PUBLISH) == \
        "Your role (Editor) does not allow you to publish flows."
    for permission in Permission:
        text = refusal("viewer", permission)
        assert text.startswith("Your role (Viewer) does not allow you to ")
        assert text.endswith(".")
