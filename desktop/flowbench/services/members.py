"""Members of the workspace and approval groups."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.domain.roles import Permission, Role, parse_role
from flowbench.domain.safe_text import check_name
from flowbench.services import passwords
from flowbench.services.context import Actor, audit, current_member, require
from flowbench.store import models
from flowbench.store.connection import write_transaction

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# no look-alikes (0/O, 1/l/I) so that a password read aloud or copied by hand survives
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class MemberInfo:
    id: int
    email: str
    name: str
    role: str
    active: bool
    groups: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "active": self.active, "groups": self.groups}


def suggest_password(groups: int = 3, size: int = 4) -> str:
    """A random initial password such as ``k7Qm-x3Ta-9pRw`` (about 71 bits)."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(size))
                    for _ in range(groups))


def normalise_email(email: str) -> str:
    key = email.strip().lower()
    if not key:
        raise InvalidInput("An email address is needed.")
    if not EMAIL.match(key) or not key.isprintable() or len(key) > 254:
        raise InvalidInput(f"'{email}' is not an email address.")
    return key


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _member(email: str) -> models.Member:
    member = models.Member.get_or_none(models.Member.email == email.strip().lower())
    if member is None:
        raise NotFound(f"There is no member with the email '{email}'.")
    return member


def _info(member: models.Member) -> MemberInfo:
    groups = [m.group.name for m in models.GroupMembership.select(
        models.GroupMembership, models.ApprovalGroup).join(models.ApprovalGroup).where(
        models.GroupMembership.member == member.id).order_by(models.ApprovalGroup.name)]
    return MemberInfo(member.id, member.email, member.name, member.role, member.active, groups)


def list_members() -> list[MemberInfo]:
    return [_info(m) for m in models.Member.select().order_by(models.Member.name)]


def get_member(email: str) -> MemberInfo:
    return _info(_member(email))


def add_member(actor: Actor, email: str, name: str, role: str, password: str) -> MemberInfo:
    key = normalise_email(email)
    chosen = _role(role)
    if not name.strip():
        raise InvalidInput("The member needs a name.")
    name = check_name(name, "The member's name", MAX_MEMBER_NAME)
    password_hash = passwords.hash_password(password)
    with write_transaction():
        me = require(actor, Permission.MANAGE_MEMBERS)
        if chosen == Role.OWNER and me.role != Role.OWNER:
            raise Conflict("Only an Owner can make another Owner.")
        if models.Member.select().where(models.Member.email == key).exists():
            raise Conflict(f"A member with the email '{key}' already exists.")
        member = models.Member.create(email=key, name=name.strip(), role=chosen.value,
                                      password_hash=password_hash)
        audit(me, "member.add", f"Added {key} as {chosen.label}", email=key, role=chosen.value)
    return _info(member)


def _active_owners_besides(member_id: int) -> int:
    return models.Member.select().where(
        (models.Member.role == Role.OWNER.value) & models.Member.active
        & (models.Member.id != member_id)).count()


def set_role(actor: Actor, email: str, role: str) -> MemberInfo:
    chosen = _role(role)
    with write_transaction():
        me = require(actor, Permission.MANAGE_MEMBERS)
        member = _member(email)
        if Role.OWNER in (chosen, member.role) and me.role != Role.OWNER:
            raise Conflict("Only an Owner can make or unmake an Owner.")
        if (member.role == Role.OWNER and chosen != Role.OWNER
                and _active_owners_besides(member.id) == 0):
            raise Conflict("The workspace must keep at least one active Owner.")
        old = member.role
        member.role = chosen.value
        member.save()
        audit(me, "member.role", f"Changed {member.email} from {old} to {chosen.value}",
              email=member.email, old=old, new=chosen.value)
    return _info(member)


def _managed_member(actor: Actor, email: str, doing: str,
                    what: str) -> tuple[models.Member, models.Member]:
    """The acting member, allowed to manage members (``doing``: "reset passwords"), and
    the member ``email``; only an Owner does ``what`` ("deactivate") to an Owner."""
    me = require(actor, Permission.MANAGE_MEMBERS, doing)
    member = _member(email)
    if member.role == Role.OWNER and me.role != Role.OWNER:
        raise Conflict(f"Only an Owner can {what} an Owner.")
    return me, member


def deactivate(actor: Actor, email: str) -> MemberInfo:
    with write_transaction():
        me, member = _managed_member(actor, email, "deactivate members", "deactivate")
        if member.role == Role.OWNER and _active_owners_besides(member.id) == 0:
            raise Conflict("The last active Owner cannot be deactivated.")
        if not member.active:
            raise Conflict(f"{member.email} is already deactivated.")
        if member.id == me.id:
            raise Conflict("You cannot deactivate yourself; ask another Owner or Admin.")
        member.active = False
        member.save()
        audit(me, "member.deactivate", f"Deactivated {member.email}", email=member.email)
    return _info(member)


def reactivate(actor: Actor, email: str) -> MemberInfo:
    with write_transaction():
        me, member = _managed_member(actor, email, "reactivate members", "reactivate")
        if member.active:
            raise Conflict(f"{member.email} is already active.")
        member.active = True
        member.save()
        audit(me, "member.reactivate", f"Reactivated {member.email}", email=member.email)
    return _info(member)


def reset_password(actor: Actor, email: str, password: str) -> None:
    password_hash = passwords.hash_password(password)
    with write_transaction():
        me, member = _managed_member(actor, email, "reset passwords",
                                     "reset the password of")
        member.password_hash = password_hash
        member.failed_sign_ins = 0
        member.last_failed_at = None
        member.save()
        audit(me, "member.reset_password", f"Reset the password of {member.email}",
              email=member.email)


def change_own_password(actor: Actor, current: str, new: str) -> None:
    member = current_member(actor)  # a deactivated account changes nothing
    if not passwords.verify_password(member.password_hash, current):
        raise InvalidInput("The current password is wrong.")
    password_hash = passwords.hash_password(new)
    with write_transaction():
        models.Member.update(password_hash=password_hash).where(
            models.Member.id == member.id).execute()
        audit(member, "member.change_password", f"{member.email} changed their password")


# --- approval groups ------------------------------------------------------------------

def list_groups() -> dict[str, list[str]]:
    """Group name → emails of its members."""
    result: dict[str, list[str]] = {}
    for group in models.ApprovalGroup.select().order_by(models.ApprovalGroup.name):
        result[group.name] = [m.member.email for m in models.GroupMembership.select(
            models.GroupMembership, models.Member).join(models.Member).where(
            models.GroupMembership.group == group.id).order_by(models.Member.email)]
    return result


def _group(name: str) -> models.ApprovalGroup:
    group = models.ApprovalGroup.get_or_none(models.ApprovalGroup.name_key == name.strip().lower())
    if group is None:
        raise NotFound(f"There is no approval group named '{name}'.")
    return group


MAX_MEMBER_NAME = 200
MAX_GROUP_NAME = 100


def _group_name(name: str) -> str:
    if not name.strip() or len(name.strip()) > MAX_GROUP_NAME:
        raise InvalidInput("An approval group needs a name of 1 to 100 characters.")
    return check_name(name, "An approval group's name", MAX_GROUP_NAME)


def add_group(actor: Actor, name: str) -> str:
    clean = _group_name(name)
    with write_transaction():
        me = require(actor, Permission.MANAGE_SETTINGS)
        if models.ApprovalGroup.select().where(
                models.ApprovalGroup.name_key == clean.lower()).exists():
            raise Conflict(f"An approval group named '{clean}' already exists.")
        models.ApprovalGroup.create(name=clean, name_key=clean.lower())
        audit(me, "group.add", f"Added approval group '{clean}'", group=clean)
    return clean


def rename_group(actor: Actor, group_name: str, new_name: str) -> str:
    """Rename a group; its members and the approvals given on its behalf stay."""
    clean = _group_name(new_name)
    with write_transaction():
        me = require(actor, Permission.MANAGE_SETTINGS)
        group = _group(group_name)
        if models.ApprovalGroup.select().where(
                (models.ApprovalGroup.name_key == clean.lower())
                & (models.ApprovalGroup.id != group.id)).exists():
            raise Conflict(f"An approval group named '{clean}' already exists.")
        old = group.name
        if old == clean:
            return clean
        group.name, group.name_key = clean, clean.lower()
        group.save()
        audit(me, "group.rename", f"Renamed approval group '{old}' to '{clean}'",
              old=old, new=clean)
    return clean


def add_group_member(actor: Actor, group_name: str, email: str) -> None:
    with write_transaction():
        me = require(actor, Permission.MANAGE_SETTINGS)
        group = _group(group_name)
        member = _member(email)
        if models.GroupMembership.select().where(
                (models.GroupMembership.group == group.id)
                & (models.GroupMembership.member == member.id)).exists():
            raise Conflict(f"{member.email} is already in '{group.name}'.")
        models.GroupMembership.create(group=group, member=member)
        audit(me, "group.add_member", f"Added {member.email} to '{group.name}'",
              group=group.name, email=member.email)


def remove_group_member(actor: Actor, group_name: str, email: str) -> None:
    with write_transaction():
        me = require(actor, Permission.MANAGE_SETTINGS)
        group = _group(group_name)
        member = _member(email)
        deleted = models.GroupMembership.delete().where(
            (models.GroupMembership.group == group.id)
            & (models.GroupMembership.member == member.id)).execute()
        if not deleted:
            raise NotFound(f"{member.email} is not in '{group.name}'.")
        audit(me, "group.remove_member", f"Removed {member.email} from '{group.name}'",
              group=group.name, email=member.email)


def remove_group(actor: Actor, group_name: str) -> None:
    with write_transaction():
        me = require(actor, Permission.MANAGE_SETTINGS)
        group = _group(group_name)
        remaining = models.ApprovalGroup.select().where(
            models.ApprovalGroup.id != group.id).count()
        row = models.WorkspaceSettings.select().first()
        if row is not None and row.approvals_enabled and remaining == 0:
            raise Conflict("Approvals are on: keep at least one approval group, "
                           "or switch approvals off first.")
        group.delete_instance()
        audit(me, "group.remove", f"Removed approval group '{group.name}'", group=group.name)
