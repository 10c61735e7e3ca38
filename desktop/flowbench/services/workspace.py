"""First-run set-up, signing in and workspace settings."""

from __future__ import annotations

import datetime
from contextlib import suppress
from dataclasses import dataclass

from peewee import fn

from flowbench.domain.errors import Conflict, InvalidInput, SignInFailed, WorkspaceReadOnly
from flowbench.domain.limits import MAX_NAME
from flowbench.domain.roles import Permission, Role
from flowbench.domain.safe_text import check_name, printable
from flowbench.domain.wording import count_of
from flowbench.services import passwords
from flowbench.services.context import Actor, actor_from, audit, require, settings
from flowbench.services.members import normalise_email
from flowbench.store import models, tally_models
from flowbench.store.connection import write_transaction
from flowbench.store.query_rows import tuples


@dataclass(frozen=True)
class WorkspaceInfo:
    name: str
    approvals_enabled: bool
    allow_self_approval: bool
    groups: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "approvals": self.approvals_enabled,
                "self_approval": self.allow_self_approval, "approval_groups": self.groups}


def is_initialised() -> bool:
    return models.WorkspaceSettings.select().exists()


def create_workspace(name: str, owner_email: str, owner_name: str, password: str) -> Actor:
    """The first run: name the workspace and create its Owner, who is then signed in."""
    if not name.strip():
        raise InvalidInput("The workspace needs a name.")
    if not owner_name.strip():
        raise InvalidInput("The owner needs a name.")
    name = check_name(name, "The workspace name", MAX_NAME)
    owner_name = check_name(owner_name, "The owner's name", MAX_NAME)
    email = normalise_email(owner_email)
    password_hash = passwords.hash_password(password)
    with write_transaction():
        if models.WorkspaceSettings.select().exists():
            raise Conflict("This workspace is already set up; sign in instead.")
        models.WorkspaceSettings.create(name=name)
        owner = models.Member.create(email=email, name=owner_name.strip(),
                                     role=Role.OWNER.value, password_hash=password_hash)
        audit(owner, "workspace.create", f"Created workspace '{name}' with owner {email}")
    return actor_from(owner)


def sign_in(email: str, password: str) -> Actor:
    """Check the password; every failure — a wrong password, an unknown email, a
    deactivated account — counts, and repeated failures lock the email for a growing
    while (known or not: the answer does not tell which emails exist)."""
    key = email.strip().lower()
    now = models.utcnow()
    member = models.Member.get_or_none(models.Member.email == key) \
        if len(key) <= MAX_EMAIL else None
    if member is None:
        key = printable(key[:MAX_EMAIL])  # as the audit log keeps it
        failures, last = _unknown_failures(key, now)
        wait = passwords.seconds_until_allowed(failures, last, now)
        if wait > 0:
            raise SignInFailed("Too many failed sign-ins. Try again in "
                               f"{count_of(wait, 'second')}.")
        passwords.verify_password(_DUMMY_HASH(), password)  # same cost as a real check
        with suppress(WorkspaceReadOnly), write_transaction():  # counted where it can be
            audit(None, "member.sign_in_failed", _unknown_summary(key))
        raise SignInFailed("Wrong email or password.")
    wait = passwords.seconds_until_allowed(member.failed_sign_ins, member.last_failed_at, now)
    if wait > 0:
        raise SignInFailed("Too many failed sign-ins. Try again in "
                           f"{count_of(wait, 'second')}.")
    right = passwords.verify_password(member.password_hash, password)
    if not right or not member.active:
        with suppress(WorkspaceReadOnly), write_transaction():  # counted where it can be
            models.Member.update(failed_sign_ins=models.Member.failed_sign_ins + 1,
                                 last_failed_at=now).where(
                models.Member.id == member.id).execute()
            audit(member, "member.sign_in_failed", f"Failed sign-in for {key}")
        if not right:
            raise SignInFailed("Wrong email or password.")
        raise SignInFailed(f"{key} is deactivated: an Owner or Admin can reactivate the "
                           "account.")
    if member.failed_sign_ins:
        with suppress(WorkspaceReadOnly), write_transaction():
            models.Member.update(failed_sign_ins=0, last_failed_at=None).where(
                models.Member.id == member.id).execute()
    return actor_from(member)


MAX_EMAIL = 254


def _unknown_summary(key: str) -> str:
    return f"Failed sign-in for the unknown email {key}"


def _unknown_failures(key: str, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """Recent failed sign-ins with an email no member has (kept in the audit log: there
    is no member row to count them on)."""
    since = now - datetime.timedelta(seconds=passwords.MAX_LOCK_SECONDS * 2)
    failures = (models.AuditEntry
                .select(fn.COUNT(models.AuditEntry.id), fn.MAX(models.AuditEntry.at))
                .where((models.AuditEntry.action == "member.sign_in_failed")
                       & models.AuditEntry.member.is_null()
                       & (models.AuditEntry.summary == _unknown_summary(key))
                       & (models.AuditEntry.at >= since)))
    # an aggregate without GROUP BY: always one row
    count, last = next(tuples(failures, tuple[int, datetime.datetime | str | None]))
    if not count:
        return 0, None
    if isinstance(last, str):  # SQLite hands MAX() back as text
        last = datetime.datetime.fromisoformat(last)
    return count, last


_dummy: list[str] = []


def _DUMMY_HASH() -> str:  # noqa: N802 - computed once, lazily
    if not _dummy:
        _dummy.append(passwords.hash_password("not-a-real-password"))
    return _dummy[0]


def workspace_info() -> WorkspaceInfo:
    row = settings()
    groups = [g.name for g in models.ApprovalGroup.select().order_by(models.ApprovalGroup.name)]
    return WorkspaceInfo(row.name, row.approvals_enabled, row.allow_self_approval, groups)


def set_approvals(actor: Actor, enabled: bool) -> WorkspaceInfo:
    with write_transaction():
        member = require(actor, Permission.MANAGE_SETTINGS)
        row = settings()
        if enabled and not models.ApprovalGroup.select().exists():
            raise InvalidInput("Add an approval group before switching approvals on.")
        row.approvals_enabled = enabled
        row.save()
        audit(member, "settings.approvals", f"Approvals switched {'on' if enabled else 'off'}",
              enabled=enabled)
    return workspace_info()


def set_self_approval(actor: Actor, allowed: bool) -> WorkspaceInfo:
    with write_transaction():
        member = require(actor, Permission.MANAGE_SETTINGS)
        row = settings()
        row.allow_self_approval = allowed
        row.save()
        audit(member, "settings.self_approval",
              f"Self-approval {'allowed' if allowed else 'not allowed'}", allowed=allowed)
    return workspace_info()


def rename_workspace(actor: Actor, name: str) -> WorkspaceInfo:
    if not name.strip():
        raise InvalidInput("The workspace needs a name.")
    name = check_name(name, "The workspace name", MAX_NAME)
    with write_transaction():
        member = require(actor, Permission.MANAGE_SETTINGS)
        row = settings()
        old = row.name
        row.name = name
        row.save()
        audit(member, "settings.rename", f"Renamed workspace '{old}' to '{row.name}'")
    return workspace_info()


def change_marker() -> tuple[int, int]:
    """A cheap fingerprint of what other members may have changed: the newest audit entry
    (every change through the services writes one) and the running instances. A screen
    that watches a team workspace reloads when it differs from the one it saw."""
    newest = models.AuditEntry.select(fn.MAX(models.AuditEntry.id)).scalar() or 0
    running = (tally_models.RuntimeTally.select(fn.SUM(tally_models.RuntimeTally.n))
               .where((tally_models.RuntimeTally.kind == "instance")
                      & (tally_models.RuntimeTally.status == "running")).scalar()) or 0
    return int(newest), int(running)
