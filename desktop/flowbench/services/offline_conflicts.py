"""Conflicts of an offline copy: the offline edit ("mine") beside the team's ("theirs")
and the base both started from; resolving one keeps mine, takes theirs or takes a side
per step. Read and resolved in the copy, so it works offline; the result is sent as a
new revision of the team's draft at once when the server is reachable, else by the
next sync. A conflict is only ever resolved by the member saying how.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import (
    NotFound,
    PasswordRequired,
    ServerUnavailable,
    WorkspaceUnusable,
)
from flowbench.domain.offline import Snapshot
from flowbench.domain.offline_merge import ConflictPart, Side, conflict_parts, merge
from flowbench.domain.roles import Permission
from flowbench.services import drafts
from flowbench.services.context import Actor, audit, get_flow, require
from flowbench.services.offline import copy_address
from flowbench.services.offline_sync import Progress, SyncReport, local_flows, sync
from flowbench.store import models, offline_ledger
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class OfflineConflict:
    flow_id: int  # in the copy
    flow: str
    base: Snapshot | None  # None: both created a flow of this name
    mine: Snapshot
    theirs: Snapshot

    @property
    def base_definition(self) -> FlowDefinition | None:
        return FlowDefinition.from_json(self.base.definition) if self.base else None

    @property
    def mine_definition(self) -> FlowDefinition:
        return FlowDefinition.from_json(self.mine.definition)

    @property
    def theirs_definition(self) -> FlowDefinition:
        return FlowDefinition.from_json(self.theirs.definition)

    @property
    def parts(self) -> list[ConflictPart]:
        """Trigger, description and every step on the three sides (aligned by id)."""
        return conflict_parts(self.base_definition, self.mine_definition,
                              self.theirs_definition)

    def to_dict(self) -> dict[str, Any]:
        def side(snapshot: Snapshot | None) -> dict[str, Any] | None:
            if snapshot is None:
                return None
            return {"version": snapshot.version, "revision": snapshot.revision,
                    "saved_by": snapshot.saved_by, "content_hash": snapshot.content_hash,
                    "definition": FlowDefinition.from_json(snapshot.definition).to_dict()}
        return {"flow": self.flow, "base": side(self.base), "mine": side(self.mine),
                "theirs": side(self.theirs),
                "parts": [part.to_dict() for part in self.parts if part.differs]}


@dataclass(frozen=True)
class Resolution:
    flow: str
    kept: str  # mine / theirs / per step
    sync: SyncReport | None  # None: the server could not be reached; the next sync sends
    notice: str = ""
    needs_password: bool = False  # the server wants its password: sync again with it


def list_conflicts() -> list[OfflineConflict]:
    copy_address()
    found = []
    for local in local_flows():
        if local.conflict is None or local.mine is None:
            continue
        found.append(OfflineConflict(local.local_id, local.name, local.base, local.mine,
                                     Snapshot.from_dict(local.conflict["theirs"])))
    return found


def get_conflict(flow_ref: str | int) -> OfflineConflict:
    flow = get_flow(flow_ref)
    for conflict in list_conflicts():
        if conflict.flow_id == flow.id:
            return conflict
    raise NotFound(f"'{flow.name}' has no conflict to resolve.")


def resolve(actor: Actor, flow_ref: str | int, keep: Side | Mapping[str, Side], *,
            password: str | None = None, progress: Progress | None = None) -> Resolution:
    """Resolve a conflict in the copy, then send the result (when the server answers).

    ``keep``: a side for the whole flow, or a side per part (``"trigger"``,
    ``"description"`` and step ids; parts not named keep the team's).
    """
    conflict = get_conflict(flow_ref)
    mine, theirs = conflict.mine_definition, conflict.theirs_definition
    if isinstance(keep, Side):
        result, kept = (mine if keep == Side.MINE else theirs), str(keep)
    else:
        result, kept = merge(mine, theirs, keep), "per step"
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT)
        draft = drafts.get_draft(conflict.flow_id)
        if draft is None or draft.content_hash != conflict.mine.content_hash:
            raise NotFound(f"'{conflict.flow}' changed since the conflict was found; sync "
                           "again to see it side by side.")
        drafts.save_draft(actor, conflict.flow_id, result, expected_version=draft.version,
                          expected_revision=draft.revision)
        db = models.database.obj
        record = offline_ledger.flow_records(db, offline_ledger.CONFLICT)[conflict.flow_id]
        offline_ledger.write_record(db, offline_ledger.BASE, conflict.flow_id, {
            "team_flow_id": record.get("team_flow_id"), "base": conflict.theirs.to_dict()})
        offline_ledger.delete(db, f"{offline_ledger.CONFLICT}{conflict.flow_id}")
        audit(member, "offline.resolve", f"Resolved the offline conflict of "
              f"'{conflict.flow}': kept {kept}", flow=models.Flow.get_by_id(conflict.flow_id),
              kept=kept)
    try:
        report = sync(actor, password=password, only=conflict.flow, progress=progress)
    except (WorkspaceUnusable, ServerUnavailable) as exc:
        return Resolution(conflict.flow, kept, None, f"{exc} The resolved draft stays in "
                          "the copy and is sent by the next sync.",
                          isinstance(exc, PasswordRequired))
    return Resolution(conflict.flow, kept, report)
