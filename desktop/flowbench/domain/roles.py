"""Roles and the permissions they grant (DESIGN §4)."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"
    EDIT_DRAFT = "edit_draft"
    SEND_TEST = "send_test"
    APPROVE = "approve"
    PUBLISH = "publish"
    OVERRIDE_APPROVALS = "override_approvals"
    CANCEL_INSTANCES = "cancel_instances"
    CANCEL_CARDS = "cancel_cards"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    PUBLISHER = "publisher"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ADMIN: frozenset(Permission),
    Role.PUBLISHER: frozenset({P.VIEW, P.EDIT_DRAFT, P.SEND_TEST, P.APPROVE, P.PUBLISH,
                               P.CANCEL_INSTANCES, P.CANCEL_CARDS, P.VIEW_AUDIT}),
    Role.EDITOR: frozenset({P.VIEW, P.EDIT_DRAFT, P.SEND_TEST, P.APPROVE}),
    Role.VIEWER: frozenset({P.VIEW}),
}

ACTION_WORDS: dict[Permission, str] = {
    P.VIEW: "view this workspace",
    P.EDIT_DRAFT: "edit drafts",
    P.SEND_TEST: "send tests",
    P.APPROVE: "approve drafts",
    P.PUBLISH: "publish flows",
    P.OVERRIDE_APPROVALS: "publish without approvals",
    P.CANCEL_INSTANCES: "cancel running instances",
    P.CANCEL_CARDS: "cancel cards",
    P.MANAGE_MEMBERS: "manage members",
    P.MANAGE_SETTINGS: "change workspace settings",
    P.VIEW_AUDIT: "view the audit log",
}


def parse_role(text: str) -> Role:
    """A role from its name, any case; ValueError with the choices otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise ValueError(f"'{text}' is not a role; choose one of {choices}.") from None


def permissions_of(role: str) -> frozenset[Permission]:
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def has_permission(role: str, permission: Permission) -> bool:
    return permission in permissions_of(role)


def refusal(role: str, permission: Permission, action: str | None = None) -> str:
    """The sentence shown when ``role`` lacks ``permission``: it names ``action`` — what
    was refused ("advance the runtime clock") — else what the permission allows."""
    label = Role(role).label if role in {r.value for r in Role} else role
    return f"Your role ({label}) does not allow you to {action or ACTION_WORDS[permission]}."
