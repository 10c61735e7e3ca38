"""Who is acting, permission checks and the audit trail — shared by every service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flowbench.domain.errors import NotFound, OfflineRefused, PermissionDenied, SignInFailed
from flowbench.domain.offline import NEEDS_THE_TEAM, offline_refusal
from flowbench.domain.roles import Permission, has_permission, permissions_of, refusal
from flowbench.domain.safe_text import printable
from flowbench.store import models, offline_ledger
from flowbench.store.connection import lock_for_update, read_only_reason
from flowbench.store.query_rows import tuples


@dataclass(frozen=True)
class Actor:
    """The signed-in member as the GUI or CLI knows them; re-checked on every call."""

    member_id: int
    email: str
    name: str
    role: str
    read_only_reason: str = ""  # the workspace cannot be written: only looking is possible
    offline_copy_of: str = ""  # in an offline copy: the team workspace's name

    def can(self, permission: Permission) -> bool:
        """For hiding or disabling controls; services check again against the database."""
        if self.read_only_reason and permission not in LOOKING:
            return False
        if self.offline_copy_of and permission in NEEDS_THE_TEAM:
            return False
        return has_permission(self.role, permission)

    @property
    def permissions(self) -> frozenset[Permission]:
        return frozenset(p for p in permissions_of(self.role) if self.can(p))

    def refusal(self, permission: Permission, action: str | None = None) -> str:
        """Why this member may not: a read-only workspace, an offline copy, else their
        role (naming ``action`` when given)."""
        if self.read_only_reason:
            return self.read_only_reason
        if self.offline_copy_of and permission in NEEDS_THE_TEAM:
            return offline_refusal(self.offline_copy_of)
        return refusal(self.role, permission, action)

    def why_not(self, permission: Permission, action: str | None = None) -> str:
        """The reason a screen shows beside what it disables ("Read only. …")."""
        return self.read_only_reason or "Read only. " + self.refusal(permission, action)


LOOKING = frozenset({Permission.VIEW, Permission.VIEW_AUDIT})


def actor_from(member: models.Member) -> Actor:
    return Actor(member.id, member.email, member.name, member.role, read_only_reason(),
                 offline_copy_name())


def offline_copy_name() -> str:
    """In an offline copy of a team workspace: that workspace's name; else ""."""
    if offline_ledger.read(models.database.obj, offline_ledger.COPY_OF) is None:
        return ""
    row = models.WorkspaceSettings.select().order_by(models.WorkspaceSettings.id).first()
    return row.name if row is not None else "the team workspace"


def current_member(actor: Actor) -> models.Member:
    """The acting member as stored now (role changes and deactivation take effect)."""
    member = models.Member.get_or_none(models.Member.id == actor.member_id)
    if member is None or not member.active:
        raise SignInFailed("Your account is no longer active in this workspace.")
    return member


def require(actor: Actor, permission: Permission, action: str | None = None, *,
            needs_the_team: bool = False) -> models.Member:
    """The acting member, if their current role grants ``permission``; else refuse,
    naming ``action`` (what was refused, e.g. "advance the runtime clock") when given.

    In an offline copy, what needs the team workspace is refused (``NEEDS_THE_TEAM``,
    and changes a sync cannot carry back, marked ``needs_the_team``)."""
    member = current_member(actor)
    if needs_the_team or permission in NEEDS_THE_TEAM:
        copy_of = offline_copy_name()
        if copy_of:
            raise OfflineRefused(offline_refusal(copy_of))
    if not has_permission(member.role, permission):
        raise PermissionDenied(refusal(member.role, permission, action))
    return member


def refusal_for(member: models.Member, permission: Permission) -> str:
    """"" when ``member`` may, else the sentence why not (an offline copy, or the role)."""
    if permission in NEEDS_THE_TEAM:
        copy_of = offline_copy_name()
        if copy_of:
            return offline_refusal(copy_of)
    return "" if has_permission(member.role, permission) else refusal(member.role, permission)


def audit(member: models.Member | None, action: str, summary: str,
          flow: models.Flow | None = None, **details: Any) -> None:
    models.AuditEntry.create(member=member, action=action, flow=flow, summary=summary,
                             details=json.dumps(details, sort_keys=True, default=str))


def get_flow(name_or_id: str | int, *, include_archived: bool = False) -> models.Flow:
    """The flow; inside a write transaction on a team server its row is locked until the
    transaction ends, so two members' saves, approvals or publishes of one flow queue up
    (the later one then sees what the first wrote and is refused as stale)."""
    if isinstance(name_or_id, int):
        where = models.Flow.id == name_or_id
    else:
        where = models.Flow.name_key == name_or_id.strip().lower()
    flow: models.Flow | None = lock_for_update(models.Flow.select().where(where)).first()
    if flow is None and isinstance(name_or_id, str) and "\\" in name_or_id:
        flow = _by_printed_name(name_or_id)
    if flow is None:
        raise NotFound(f"There is no flow named '{name_or_id}'."
                       if isinstance(name_or_id, str) else "That flow no longer exists.")
    if flow.archived and not include_archived:
        raise NotFound(f"'{flow.name}' is archived: unarchive it first.")
    return flow


def _by_printed_name(printed: str) -> models.Flow | None:
    """The flow whose name, as the command line prints it (control characters escaped,
    ``Odd\\x1bname``), is ``printed``: names stored before control characters were
    refused can still be addressed, even one holding a NUL no command line can pass."""
    wanted = " ".join(printed.split()).lower()
    names = models.Flow.select(models.Flow.id, models.Flow.name)
    for flow_id, name in tuples(names, tuple[int, str]):
        if printable(" ".join(name.split())).lower() == wanted and printable(name) != name:
            found: models.Flow | None = lock_for_update(
                models.Flow.select().where(models.Flow.id == flow_id)).first()
            return found
    return None


def settings() -> models.WorkspaceSettings:
    row: models.WorkspaceSettings | None = (
        models.WorkspaceSettings.select().order_by(models.WorkspaceSettings.id).first())
    if row is None:
        raise NotFound("This workspace has not been set up yet: run the first-run set-up.")
    return row
