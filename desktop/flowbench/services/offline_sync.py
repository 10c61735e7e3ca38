"""Syncing an offline copy with its team workspace (DESIGN §6).

Each flow edited offline is sent in one transaction on the server that first locks the
team's flow row and reads its content again: the edit becomes a new revision of the
team's draft only if the team still has the content the copy started from (the *base*);
if the team moved on, nothing is written and the flow is a conflict. After every flow the
copy's bookkeeping says what the team now has, so a sync cut off by a lost server leaves
each flow either synced or still pending, and the next sync finishes. Only a sync that
reached every flow refreshes the copy from the team workspace, keeping the offline edits
still pending (conflicts, refusals) on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import IntegrityError, SqliteDatabase

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import FlowbenchError, ServerUnavailable, SignInFailed
from flowbench.domain.offline import Snapshot, SyncOutcome, decide
from flowbench.domain.roles import Permission
from flowbench.domain.versions import VersionStatus
from flowbench.services import drafts, flows
from flowbench.services.context import (
    Actor,
    audit,
    current_member,
    get_flow,
    offline_copy_name,
    require,
)
from flowbench.services.offline import copy_address, record_bases
from flowbench.services.revisions import keep_revision
from flowbench.store import models, offline_ledger, offline_rows
from flowbench.store.connection import (
    close_workspace,
    current_workspace,
    open_postgres,
    open_sqlite,
    write_transaction,
)

LEDGER_PRAGMAS = {"busy_timeout": 15000, "foreign_keys": 1}


@dataclass(frozen=True)
class LocalFlow:
    """A flow of the copy as the sync found it."""

    local_id: int
    name: str
    mine: Snapshot | None  # the copy's draft (None: the flow has no draft in the copy)
    team_flow_id: int | None  # None: new offline, not on the team workspace yet
    base: Snapshot | None
    conflict: dict[str, Any] | None

    @property
    def edited(self) -> bool:
        return self.mine is not None and (
            self.base is None or self.mine.content_hash != self.base.content_hash)


@dataclass(frozen=True)
class FlowSync:
    flow: str
    outcome: SyncOutcome
    version: int | None = None  # the team's version and revision afterwards
    revision: int | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "outcome": str(self.outcome), "version": self.version,
                "revision": self.revision, "message": self.message}


@dataclass
class SyncReport:
    workspace: str
    address: str
    flows: list[FlowSync] = field(default_factory=list)
    refreshed: bool = False
    error: str = ""  # the server was lost: what is synced stays, the rest is pending

    def count(self, outcome: SyncOutcome) -> int:
        return sum(1 for item in self.flows if item.outcome == outcome)

    def to_dict(self) -> dict[str, Any]:
        return {"workspace": self.workspace, "copy_of": self.address,
                "flows": [item.to_dict() for item in self.flows],
                "refreshed": self.refreshed, "error": self.error or None}


def snapshot_of(version: models.FlowVersion) -> Snapshot:
    saver = version.updated_by or version.created_by
    return Snapshot(version.number, version.revision, version.status, version.content_hash,
                    version.definition, saver.name if saver else "")


def team_content(flow: models.Flow) -> Snapshot | None:
    """The flow's draft, else its live version."""
    found = None
    for status in (VersionStatus.DRAFT, VersionStatus.LIVE):
        found = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                               & (models.FlowVersion.status == status.value))
        if found is not None:
            return snapshot_of(found)
    return None


def local_flows() -> list[LocalFlow]:
    """Every flow of the open copy with its draft and bookkeeping."""
    db = models.database.obj
    bases = offline_ledger.flow_records(db, offline_ledger.BASE)
    conflicts = offline_ledger.flow_records(db, offline_ledger.CONFLICT)
    query = models.Flow.select().where(~models.Flow.archived).order_by(models.Flow.name_key)
    found = []
    for flow in query:
        draft = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id) & (
            models.FlowVersion.status == VersionStatus.DRAFT.value))
        record = bases.get(flow.id, {})
        base = record.get("base")
        found.append(LocalFlow(flow.id, flow.name, snapshot_of(draft) if draft else None,
                               record.get("team_flow_id"),
                               Snapshot.from_dict(base) if base else None,
                               conflicts.get(flow.id)))
    return found


def _team_flow(local: LocalFlow) -> models.Flow | None:
    """The team's flow, locked until the transaction ends (None: there is none yet)."""
    if local.team_flow_id is not None:
        return get_flow(local.team_flow_id)
    try:
        return get_flow(local.name)
    except FlowbenchError:
        return None


def sync_flow(actor: Actor, local: LocalFlow) -> tuple[FlowSync, dict[str, Any]]:
    """One flow, in one transaction on the team workspace (the open one). Returns what
    happened and the copy's new records: {"base": …} and/or {"conflict": …}."""
    assert local.mine is not None
    mine = FlowDefinition.from_json(local.mine.definition)
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT)
        flow = _team_flow(local)
        theirs = team_content(flow) if flow is not None else None
        outcome = decide(local.base.content_hash if local.base else None,
                         local.mine.content_hash, theirs.content_hash if theirs else None)
        now: Snapshot | None = theirs
        flow_id: int | None
        if outcome == SyncOutcome.SENT and flow is not None and theirs is not None:
            saved = drafts.save_draft(actor, flow.id, mine, expected_version=theirs.version,
                                      expected_revision=theirs.revision)
            flow_id = flow.id
        elif outcome == SyncOutcome.CREATED:  # one audit entry (offline.sync) for it
            flow_id = flows.add_flow(member, local.name, mine).id
            saved = drafts.open_flow(flow_id)
        else:
            flow_id = flow.id if flow is not None else None
            saved = None
        if saved is not None:
            now = Snapshot(saved.version, saved.revision, str(saved.status),
                           saved.content_hash, saved.definition.to_json(), member.name)
            audit(member, "offline.sync", f"Sent the offline edit of '{local.name}' as "
                  f"revision {saved.revision} of Version {saved.version}",
                  flow=models.Flow.get_by_id(flow_id), version=saved.version,
                  revision=saved.revision, outcome=str(outcome))
    result = FlowSync(local.name, outcome, now.version if now else None,
                      now.revision if now else None)
    if outcome == SyncOutcome.CONFLICT and now is not None:
        who = f" ({now.saved_by} saved revision {now.revision})" if now.saved_by else ""
        result = FlowSync(local.name, outcome, now.version, now.revision,
                          f"The team's Version {now.version} moved on{who}; your edit "
                          "stays in the copy until you resolve the conflict.")
        return result, {"team_flow_id": flow_id, "theirs": now.to_dict()}
    return result, {"team_flow_id": flow_id, "base": now.to_dict() if now else None}


def _check_member(actor: Actor) -> None:
    member = current_member(actor)
    if member.email != actor.email:
        raise SignInFailed(f"{actor.email} is not the same member on the team workspace; "
                           "take a new offline copy.")


Progress = Callable[[str, int, int], None]  # stage, done, total (as ui/tasks reports it)


def sync(actor: Actor, *, password: str | None = None, only: str | None = None,
         progress: Progress | None = None) -> SyncReport:
    """Send the copy's offline edits to its team workspace and refresh the copy.

    The copy is open before and after (reopened: callers use ``current_workspace()``).
    Raises WorkspaceUnusable (PasswordRequired, unreachable) before anything was sent.
    """
    copy = current_workspace()
    address = copy_address()
    require(actor, Permission.VIEW)
    report = SyncReport(offline_copy_name(), address)
    path = Path(copy.location)
    pending = local_flows()
    only_id = get_flow(only).id if only is not None else None
    tell = progress or (lambda _stage, _done, _total: None)
    to_send = [local for local in pending if local.edited
               and (only_id is None or local.local_id == only_id)]
    records: dict[int, dict[str, Any]] = {}
    rows: offline_rows.Rows | None = None
    close_workspace()
    ledger_db = SqliteDatabase(str(path), pragmas=LEDGER_PRAGMAS)
    try:
        tell(f"Connecting to {report.workspace}", 0, len(to_send))
        open_postgres(address, password=password)
        _check_member(actor)
        for local in pending:
            if only_id is not None and local.local_id != only_id:
                continue
            if not local.edited:
                base = local.base
                report.flows.append(FlowSync(local.name, SyncOutcome.UNCHANGED,
                                             base.version if base else None,
                                             base.revision if base else None))
                continue
            tell(f"Sending “{local.name}”", to_send.index(local), len(to_send))
            try:
                result, record = sync_flow(actor, local)
            except ServerUnavailable as exc:
                report.error = str(exc)
                break
            except IntegrityError:
                result, record = FlowSync(local.name, SyncOutcome.REFUSED, message=(
                    "Another member created a flow of that name at the same moment; sync "
                    "again to see it side by side.")), {}
            except FlowbenchError as exc:
                result, record = FlowSync(local.name, SyncOutcome.REFUSED, message=str(exc)), {}
            report.flows.append(result)
            records[local.local_id] = record
            _remember(ledger_db, local, record)
        if not report.error:
            tell("Refreshing the copy", len(to_send), len(to_send))
            try:
                rows = offline_rows.read_rows()
            except ServerUnavailable as exc:
                report.error = str(exc)
    finally:
        close_workspace()
        ledger_db.close()
        open_sqlite(path)
    if rows is not None:
        _refresh(rows, pending, records, actor)
        report.refreshed = True
    return report


def _remember(ledger_db: SqliteDatabase, local: LocalFlow, record: dict[str, Any]) -> None:
    """The copy's bookkeeping of one flow after its transaction on the server."""
    with ledger_db.atomic():
        if "base" in record:
            offline_ledger.write_record(ledger_db, offline_ledger.BASE, local.local_id, {
                "team_flow_id": record["team_flow_id"], "base": record["base"]})
            offline_ledger.delete(ledger_db, f"{offline_ledger.CONFLICT}{local.local_id}")
        elif "theirs" in record:
            offline_ledger.write_record(ledger_db, offline_ledger.CONFLICT, local.local_id,
                                        record)


def _still_pending(local: LocalFlow, record: dict[str, Any] | None) -> bool:
    if not local.edited:
        return False
    return record is None or "base" not in record


def _refresh(rows: offline_rows.Rows, pending: list[LocalFlow],
             records: dict[int, dict[str, Any]], actor: Actor) -> None:
    """The copy becomes the team's rows, with the offline edits still pending on top."""
    db = models.database.obj
    kept = [local for local in pending if _still_pending(local, records.get(local.local_id))]
    with write_transaction():
        conflicts = offline_ledger.flow_records(db, offline_ledger.CONFLICT)
        offline_rows.replace_rows(rows)
        offline_ledger.forget_flows(db)
        team_ids = {local.team_flow_id or (records.get(local.local_id) or {}).get(
            "team_flow_id") for local in kept}
        record_bases(rows, keep=frozenset(i for i in team_ids if i is not None))
        for local in kept:
            _keep_edit(db, local, conflicts.get(local.local_id), actor)


def _keep_edit(db: Any, local: LocalFlow, conflict: dict[str, Any] | None,
               actor: Actor) -> None:
    """Put an offline edit still pending back into the refreshed copy, with its records."""
    assert local.mine is not None
    team_id = local.team_flow_id or (conflict or {}).get("team_flow_id")
    flow = models.Flow.get_or_none(models.Flow.id == team_id) if team_id else None
    if flow is None:
        name = local.name
        if models.Flow.select().where(models.Flow.name_key == name.lower()).exists():
            name = f"{name} (offline)"
        flow = models.Flow.create(name=name, name_key=name.lower(), created_by=actor.member_id)
    draft = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id) & (
        models.FlowVersion.status == VersionStatus.DRAFT.value))
    if draft is None:
        newest = (models.FlowVersion.select(models.FlowVersion.number)
                  .where(models.FlowVersion.flow == flow.id)
                  .order_by(models.FlowVersion.number.desc()).first())
        draft = models.FlowVersion(flow=flow, number=(newest.number if newest else 0) + 1,
                                   status=VersionStatus.DRAFT.value, revision=1,
                                   created_by=actor.member_id)
    else:
        draft.revision += 1  # the offline edit is the copy's next revision of it
    draft.definition, draft.content_hash = local.mine.definition, local.mine.content_hash
    draft.updated_by_id, draft.updated_at = actor.member_id, models.utcnow()
    draft.save()
    keep_revision(draft)  # the offline edit is kept among the draft's revisions too
    offline_ledger.write_record(db, offline_ledger.BASE, flow.id, {
        "team_flow_id": team_id, "base": local.base.to_dict() if local.base else None})
    if conflict is not None:
        offline_ledger.write_record(db, offline_ledger.CONFLICT, flow.id, conflict)
