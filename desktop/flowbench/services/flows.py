"""Flows: create, rename, archive, list (with live and draft versions and approvals)."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from flowbench.domain import safe_text
from flowbench.domain.approvals import summary_state
from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.domain.errors import Conflict, InvalidInput
from flowbench.domain.limits import MAX_NAME, check_limits
from flowbench.domain.roles import Permission
from flowbench.domain.versions import VersionStatus
from flowbench.services import approvals as approval_service
from flowbench.services.context import Actor, audit, get_flow, require, settings
from flowbench.services.revisions import keep_revision
from flowbench.store import models
from flowbench.store.connection import write_transaction
from flowbench.store.query_rows import tuples


@dataclass(frozen=True)
class FlowSummary:
    id: int
    name: str
    live_version: int | None
    draft_version: int | None
    approval_state: str
    archived: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "live_version": self.live_version,
                "draft_version": self.draft_version, "approval_state": self.approval_state,
                "archived": self.archived}


def check_name(name: str) -> str:
    """The name with its spaces collapsed; refused when empty, too long or holding a
    control character (NUL, escape, a line break …)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("The flow needs a name.")
    return safe_text.check_name(name, "A flow name", MAX_NAME)


def _name_taken(clean: str, except_id: int | None = None) -> bool:
    query = models.Flow.select().where(models.Flow.name_key == clean.lower())
    if except_id is not None:
        query = query.where(models.Flow.id != except_id)
    return bool(query.exists())


def starter_definition() -> FlowDefinition:
    return FlowDefinition(trigger=Trigger("manual"), steps=())


def create_flow(actor: Actor, name: str,
                definition: FlowDefinition | None = None) -> FlowSummary:
    """A new flow whose Version 1 is a draft."""
    clean = check_name(name)
    content = definition or starter_definition()
    check_limits(content)
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "create flows")
        flow = _new_flow(member, clean, content)
        audit(member, "flow.create", f"Created flow '{clean}' (Version 1 draft)", flow=flow)
    return flow_summary(flow.id)


def add_flow(member: models.Member, name: str, content: FlowDefinition) -> models.Flow:
    """A new flow named ``name`` whose Version 1 draft holds ``content``, inside the
    caller's write transaction and without an audit entry of its own: the caller (an
    import, an offline sync) writes the one entry that says how the flow came to be."""
    clean = check_name(name)
    check_limits(content)
    return _new_flow(member, clean, content)


def _new_flow(member: models.Member, clean: str, content: FlowDefinition) -> models.Flow:
    """A new flow named ``clean`` whose Version 1 draft holds ``content`` (inside the
    caller's transaction; the caller writes the one audit entry)."""
    if _name_taken(clean):
        raise Conflict(f"A flow named '{clean}' already exists.")
    flow = models.Flow.create(name=clean, name_key=clean.lower(), created_by=member)
    version = models.FlowVersion.create(
        flow=flow, number=1, status=VersionStatus.DRAFT.value,
        definition=content.to_json(), content_hash=content.content_hash(),
        revision=1, created_by=member, updated_by=member, updated_at=models.utcnow())
    models.VersionEditor.create(version=version, member=member)
    keep_revision(version)
    return flow


def rename_flow(actor: Actor, flow_ref: str | int, new_name: str) -> FlowSummary:
    clean = check_name(new_name)
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "rename flows",
                         needs_the_team=True)  # a sync could not carry it back
        flow = get_flow(flow_ref)
        if _name_taken(clean, except_id=flow.id):
            raise Conflict(f"A flow named '{clean}' already exists.")
        old = flow.name
        if old != clean:
            flow.name, flow.name_key = clean, clean.lower()
            flow.save()
            audit(member, "flow.rename", f"Renamed flow '{old}' to '{clean}'", flow=flow,
                  old=old, new=clean)
    return flow_summary(flow.id)


def set_archived(actor: Actor, flow_ref: str | int, archived: bool) -> FlowSummary:
    with write_transaction():
        member = require(actor, Permission.PUBLISH if archived else Permission.EDIT_DRAFT,
                         "archive flows" if archived else "unarchive flows",
                         needs_the_team=True)  # a sync could not carry it back
        flow = get_flow(flow_ref, include_archived=True)
        if archived:
            running = models.Instance.select().where(
                (models.Instance.flow == flow.id)
                & (models.Instance.status == "running")).exists()
            if running:
                raise Conflict(f"'{flow.name}' still has running instances; cancel them "
                               "before archiving the flow.")
        flow.archived = archived
        flow.save()
        audit(member, "flow.archive" if archived else "flow.unarchive",
              f"{'Archived' if archived else 'Restored'} flow '{flow.name}'", flow=flow)
    return flow_summary(flow.id)


def duplicate_flow(actor: Actor, flow_ref: str | int, new_name: str, *,
                   from_draft: bool = False) -> FlowSummary:
    """A new flow named ``new_name`` whose Version 1 draft holds the content of the live
    version (``from_draft``: of the draft; a flow never published gives its draft)."""
    clean = check_name(new_name)
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "duplicate flows")
        flow = get_flow(flow_ref, include_archived=True)
        versions = {v.status: v for v in models.FlowVersion.select().where(
            (models.FlowVersion.flow == flow.id)
            & models.FlowVersion.status.in_([VersionStatus.LIVE.value,
                                             VersionStatus.DRAFT.value]))}
        wanted = VersionStatus.DRAFT.value if from_draft else VersionStatus.LIVE.value
        source = versions.get(wanted) or (None if from_draft else
                                          versions.get(VersionStatus.DRAFT.value))
        if source is None:
            raise InvalidInput(f"'{flow.name}' has no draft to copy." if from_draft else
                               f"'{flow.name}' has no version to copy.")
        definition = FlowDefinition.from_json(source.definition)
        check_limits(definition)
        copy = _new_flow(member, clean, definition)
        audit(member, "flow.duplicate", f"Duplicated '{flow.name}' (Version "
              f"{source.number}) as '{clean}' (Version 1 draft)", flow=copy,
              source=flow.name, source_version=source.number)
    return flow_summary(copy.id)


def list_flows(include_archived: bool = False,
               only_id: int | None = None) -> list[FlowSummary]:
    """Every flow with its live and draft version numbers and approval state."""
    query = (models.FlowVersion
             .select(models.FlowVersion.flow, models.FlowVersion.status,
                     fn.MAX(models.FlowVersion.number).alias("number"))
             .where(models.FlowVersion.status.in_([VersionStatus.DRAFT.value,
                                                   VersionStatus.LIVE.value]))
             .group_by(models.FlowVersion.flow, models.FlowVersion.status))
    if only_id is not None:
        query = query.where(models.FlowVersion.flow == only_id)
    numbers: dict[int, dict[str, int]] = {}
    for flow_id, status, number in tuples(query, tuple[int, str, int]):
        numbers.setdefault(flow_id, {})[status] = number
    states = approval_service.draft_approval_states(only_id)
    approvals_on = settings().approvals_enabled if models.WorkspaceSettings.select().exists() \
        else False
    flows = models.Flow.select().order_by(models.Flow.name_key)
    if not include_archived:
        flows = flows.where(~models.Flow.archived)
    if only_id is not None:
        flows = flows.where(models.Flow.id == only_id)
    result = []
    for flow in flows:
        found = numbers.get(flow.id, {})
        draft = found.get(VersionStatus.DRAFT)
        state = states.get(flow.id, "") if draft is not None else ""
        if draft is not None and not approvals_on:
            state = summary_state(False, [])
        result.append(FlowSummary(flow.id, flow.name, found.get(VersionStatus.LIVE), draft, state,
                                  flow.archived))
    return result


def flow_summary(flow_id: int) -> FlowSummary:
    for summary in list_flows(include_archived=True, only_id=flow_id):
        return summary
    raise InvalidInput("That flow no longer exists.")


def step_count(definition: FlowDefinition) -> int:
    return len(definition.steps)


__all__ = ["FlowSummary", "Step", "create_flow", "duplicate_flow", "list_flows", "rename_flow",
           "set_archived"]
