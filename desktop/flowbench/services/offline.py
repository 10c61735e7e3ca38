"""Taking a team workspace offline: a private SQLite copy that remembers where it came
from (never the password) and the content every flow started from.

The copy is built in ``FILE.partial`` beside the target and renamed into place only when
complete, so a failed or interrupted copy leaves no half copy under the chosen name.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowbench.domain.errors import Conflict, InvalidInput, SignInFailed
from flowbench.domain.offline import Snapshot
from flowbench.domain.roles import Permission
from flowbench.domain.versions import VersionStatus
from flowbench.services.context import (
    Actor,
    actor_from,
    audit,
    current_member,
    offline_copy_name,
    require,
    settings,
)
from flowbench.store import models, offline_ledger, offline_rows
from flowbench.store.connection import current_workspace, write_transaction
from flowbench.store.team import address_without_password

PRIVATE = 0o600


@dataclass(frozen=True)
class OfflineCopy:
    path: Path
    workspace_name: str
    address: str
    flows: int

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "workspace": self.workspace_name,
                "copy_of": self.address, "flows": self.flows}


def team_name() -> str:
    """In an offline copy: the name of the team workspace it copies; else ""."""
    return offline_copy_name()


def copy_address() -> str:
    """The team workspace's address this copy syncs with; InvalidInput if not a copy."""
    address = offline_ledger.read(models.database.obj, offline_ledger.COPY_OF)
    if address is None:
        raise InvalidInput(f"{current_workspace().display_name} is not an offline copy of a "
                           "team workspace; take one with 'offline copy' first.")
    return address


def base_snapshots(rows: offline_rows.Rows) -> dict[int, Snapshot]:
    """For every flow in ``rows``: its draft (else its live version) as a sync's base."""
    names = {row["id"]: row["name"] for row in rows["member"]}
    archived = {row["id"] for row in rows["flow"] if row["archived"]}
    found: dict[int, Snapshot] = {}
    for row in rows["flow_version"]:
        flow_id = row["flow"]
        if flow_id in archived or row["status"] == VersionStatus.PREVIOUS.value:
            continue
        if row["status"] == VersionStatus.LIVE.value and flow_id in found:
            continue  # the draft wins
        found[flow_id] = Snapshot(row["number"], row["revision"], row["status"],
                                  row["content_hash"], row["definition"],
                                  names.get(row["updated_by"] or row["created_by"], ""))
    return found


def record_bases(rows: offline_rows.Rows, keep: frozenset[int] = frozenset()) -> None:
    """Inside a write transaction of the copy: every flow's base, from the team's rows
    (flows in ``keep`` keep the records they have)."""
    db = models.database.obj
    for flow_id, snapshot in base_snapshots(rows).items():
        if flow_id not in keep:
            offline_ledger.write_record(db, offline_ledger.BASE, flow_id,
                                        {"team_flow_id": flow_id, "base": snapshot.to_dict()})


def _private_new_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))


def take_offline(actor: Actor, target: str | os.PathLike[str]) -> OfflineCopy:
    """Copy the open team workspace to the file ``target`` (which must not exist yet).

    The team workspace stays open; the caller opens the copy to work in it.
    """
    team = current_workspace()
    if not team.is_team:
        raise InvalidInput("Only a team workspace (on a PostgreSQL server) can be taken "
                           "offline; a workspace file already works offline.")
    require(actor, Permission.VIEW)
    path = Path(target).expanduser()
    if path.exists() and (path.is_dir() or path.stat().st_size > 0):
        raise Conflict(f"{path} already exists; choose a new file for the offline copy.")
    rows = offline_rows.read_rows()
    name = settings().name
    address = address_without_password(team.location)
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    _private_new_file(partial)
    try:
        with offline_rows.new_copy_file(partial), write_transaction():
            offline_rows.replace_rows(rows)
            offline_ledger.write(models.database.obj, offline_ledger.COPY_OF, address)
            record_bases(rows)
            member = models.Member.get_by_id(actor.member_id)
            audit(member, "offline.copy", f"Took {name} offline", copy_of=address)
        os.chmod(partial, PRIVATE)
        os.replace(partial, path)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                partial.with_name(partial.name + suffix).unlink()
        raise
    flows = sum(1 for row in rows["flow"] if not row["archived"])
    return OfflineCopy(path, name, address, flows)


def continue_as(actor: Actor) -> Actor:
    """The member signed in on the team workspace, in the copy just opened (or in the
    copy after a sync): the same member, checked again in this workspace."""
    member = current_member(actor)
    if member.email != actor.email:
        raise SignInFailed("You are not the same member in this copy; sign in again.")
    return actor_from(member)
