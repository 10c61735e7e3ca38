"""Drafts and versions: open, save (with the revision check), restore, history."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flowbench.domain.definition import FlowDefinition, StepKind
from flowbench.domain.errors import Conflict, NotFound, StaleError
from flowbench.domain.limits import check_limits
from flowbench.domain.roles import Permission
from flowbench.domain.validation import Problem, validate
from flowbench.domain.versions import VersionInfo, VersionStatus
from flowbench.services.context import Actor, audit, get_flow, require
from flowbench.services.revisions import keep_revision, kept_revision
from flowbench.store import models, runtime_rows
from flowbench.store.connection import write_transaction
from flowbench.store.query_rows import tuples


@dataclass(frozen=True)
class FlowContent:
    """One version of a flow as the editor shows it."""

    flow_id: int
    flow_name: str
    version: int
    status: VersionStatus
    revision: int
    definition: FlowDefinition
    content_hash: str
    updated_by: str | None
    updated_at: str | None

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


def known_segments() -> set[str]:
    return {row.name for row in models.Segment.select(models.Segment.name)}


ATTRIBUTE_SAMPLE = 2000  # customers whose attribute names a decision split is checked against


def known_attributes() -> set[str] | None:
    """The customer attribute names the workspace knows, from its most recently added
    customers (None when there are no customers yet: nothing to check against)."""
    names: set[str] = set()
    found = False
    query = (models.Customer.select(models.Customer.attributes)
             .order_by(models.Customer.id.desc()).limit(ATTRIBUTE_SAMPLE))
    for (text,) in tuples(query, tuple[str]):
        found = True
        try:
            value = json.loads(text or "{}")
        except ValueError:
            continue
        if isinstance(value, dict):
            names.update(value)
    return names if found else None


def problems_of(name: str, definition: FlowDefinition) -> list[Problem]:
    """Validation against this workspace (its segments; the attributes of its customers
    when the flow has a decision split)."""
    splits = any(step.kind == StepKind.SPLIT for step in definition.steps)
    return validate(name, definition, known_segments(),
                    known_attributes=known_attributes() if splits else None)


def _content(flow: models.Flow, version: models.FlowVersion) -> FlowContent:
    updater = version.updated_by or version.created_by
    return FlowContent(flow.id, flow.name, version.number, VersionStatus(version.status),
                       version.revision, FlowDefinition.from_json(version.definition),
                       version.content_hash, updater.name if updater else None,
                       str(version.updated_at or version.created_at))


def _by_status(flow: models.Flow, status: VersionStatus) -> models.FlowVersion | None:
    return models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                          & (models.FlowVersion.status == status.value))


def open_flow(flow_ref: str | int) -> FlowContent:
    """The draft if there is one, else the live version (shown read-only)."""
    flow = get_flow(flow_ref)
    version = _by_status(flow, VersionStatus.DRAFT) or _by_status(flow, VersionStatus.LIVE)
    if version is None:
        raise NotFound(f"'{flow.name}' has no versions.")
    return _content(flow, version)


def get_draft(flow_ref: str | int) -> FlowContent | None:
    flow = get_flow(flow_ref)
    version = _by_status(flow, VersionStatus.DRAFT)
    return _content(flow, version) if version else None


def get_version(flow_ref: str | int, number: int) -> FlowContent:
    flow = get_flow(flow_ref, include_archived=True)
    version = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                             & (models.FlowVersion.number == number))
    if version is None:
        raise NotFound(f"'{flow.name}' has no Version {number}.")
    return _content(flow, version)


def _stale(flow: models.Flow, seen_version: int, seen_revision: int) -> StaleError:
    current = _by_status(flow, VersionStatus.DRAFT)
    if current is not None and current.number != seen_version:
        detail = f"Version {current.number} is now the draft"
    elif current is not None:
        who = (current.updated_by or current.created_by).name
        detail = f"{who} saved revision {current.revision}"
    else:
        live = _by_status(flow, VersionStatus.LIVE)
        detail = (f"Version {live.number} was published" if live else "the draft was discarded")
    return StaleError(f"'{flow.name}' changed since you looked ({detail}; you were editing "
                      f"Version {seen_version}, revision {seen_revision}).")


def _writable_draft(flow: models.Flow, member: models.Member, expected_version: int,
                    expected_revision: int) -> tuple[models.FlowVersion, bool]:
    """The draft the member saw, creating Version N+1 from the live version if needed."""
    draft = _by_status(flow, VersionStatus.DRAFT)
    if draft is not None:
        if draft.number != expected_version or draft.revision != expected_revision:
            raise _stale(flow, expected_version, expected_revision)
        return draft, False
    live = _by_status(flow, VersionStatus.LIVE)
    if live is None or live.number != expected_version or live.revision != expected_revision:
        raise _stale(flow, expected_version, expected_revision)
    newest = models.FlowVersion.select(models.FlowVersion.number).where(
        models.FlowVersion.flow == flow.id).order_by(models.FlowVersion.number.desc()).first()
    number = newest.number + 1
    draft = models.FlowVersion.create(
        flow=flow, number=number, status=VersionStatus.DRAFT.value,
        definition=live.definition, content_hash=live.content_hash,
        revision=_first_revision(flow, number), created_by=member, updated_by=member,
        updated_at=models.utcnow())
    return draft, True


def _first_revision(flow: models.Flow, number: int) -> int:
    """The revision a new draft Version ``number`` starts at: past every discarded one.

    A discarded draft's number is used again by the next draft, so its revisions must not
    be: a member still editing the discarded Version N at revision r would otherwise pass
    the revision check against the new Version N at revision r. The discards are read from
    the audit log (written in the same transaction as each discard; never edited).
    """
    highest = 0
    discards = (models.AuditEntry.select(models.AuditEntry.details)
                .where((models.AuditEntry.flow == flow.id)
                       & (models.AuditEntry.action == "draft.discard")))
    for (details,) in tuples(discards, tuple[str]):
        recorded = json.loads(details)
        if recorded.get("version") == number:
            highest = max(highest, int(recorded.get("revision") or 0))
    return highest + 1


def _record_editor(version: models.FlowVersion, member: models.Member) -> None:
    models.VersionEditor.insert(version=version, member=member).on_conflict_ignore().execute()


def save_draft(actor: Actor, flow_ref: str | int, definition: FlowDefinition, *,
               expected_version: int, expected_revision: int) -> FlowContent:
    """Save the member's edit of the version they saw.

    Refused (StaleError, nothing written) if the draft was saved, published or replaced
    since. Saving the live version's content creates the next draft. A save without
    changes writes nothing and keeps the revision (and the approvals). A definition past
    a limit (``domain.limits``) is refused, naming the place.
    """
    check_limits(definition)
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT)
        flow = get_flow(flow_ref)
        draft, created = _writable_draft(flow, member, expected_version, expected_revision)
        new_hash = definition.content_hash()
        if new_hash != draft.content_hash:
            draft.definition = definition.to_json()
            draft.content_hash = new_hash
            draft.revision = draft.revision + (0 if created else 1)
            draft.updated_by = member
            draft.updated_at = models.utcnow()
            draft.save()
            _record_editor(draft, member)
            keep_revision(draft)
            audit(member, "draft.save", f"Saved Version {draft.number} of '{flow.name}' "
                  f"(revision {draft.revision})", flow=flow, version=draft.number,
                  revision=draft.revision, content_hash=new_hash)
        elif created:
            keep_revision(draft)
            audit(member, "draft.create", f"Started Version {draft.number} of '{flow.name}'",
                  flow=flow, version=draft.number)
    return _content(flow, draft)


def start_next_draft(actor: Actor, flow_ref: str | int, expected_live: int) -> FlowContent:
    """"Edit as Version N+1": a draft copied from the live version."""
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT)
        flow = get_flow(flow_ref)
        existing = _by_status(flow, VersionStatus.DRAFT)
        if existing is not None:
            raise Conflict(f"'{flow.name}' already has a draft: Version {existing.number}.")
        live = _by_status(flow, VersionStatus.LIVE)
        if live is None or live.number != expected_live:
            raise _stale(flow, expected_live, live.revision if live else 0)
        draft, _ = _writable_draft(flow, member, live.number, live.revision)
        keep_revision(draft)
        audit(member, "draft.create", f"Started Version {draft.number} of '{flow.name}' "
              f"from Version {live.number}", flow=flow, version=draft.number)
    return _content(flow, draft)


def discard_draft(actor: Actor, flow_ref: str | int, expected_revision: int) -> FlowContent:
    """Drop the draft; the flow shows its live version again."""
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "discard drafts",
                         needs_the_team=True)  # a sync could not carry it back
        flow = get_flow(flow_ref)
        draft = _by_status(flow, VersionStatus.DRAFT)
        if draft is None:
            raise NotFound(f"'{flow.name}' has no draft to discard.")
        if draft.revision != expected_revision:
            raise _stale(flow, draft.number, expected_revision)
        live = _by_status(flow, VersionStatus.LIVE)
        if live is None:
            raise Conflict(f"'{flow.name}' has never been published: archive the flow "
                           "instead of discarding its only version.")
        runtime_rows.delete_for_versions(models.FlowVersion.select(models.FlowVersion.id)
                                         .where(models.FlowVersion.id == draft.id))
        draft.delete_instance()  # its test sends went first
        audit(member, "draft.discard", f"Discarded the draft Version {draft.number} of "
              f"'{flow.name}'", flow=flow, version=draft.number, revision=draft.revision)
    return _content(flow, live)


def restore_version(actor: Actor, flow_ref: str | int, number: int, *,
                    expected_version: int, expected_revision: int) -> FlowContent:
    """Make a published version's content the content of the draft."""
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "restore versions")
        flow = get_flow(flow_ref)
        source = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                                & (models.FlowVersion.number == number))
        if source is None:
            raise NotFound(f"'{flow.name}' has no Version {number}.")
        if source.status == VersionStatus.DRAFT.value:
            raise Conflict(f"Version {number} is the draft itself; restore a published one.")
        draft, created = _writable_draft(flow, member, expected_version, expected_revision)
        if draft.content_hash != source.content_hash:
            _replace_content(draft, member, source.definition, source.content_hash)
        elif created:
            keep_revision(draft)
        audit(member, "version.restore", f"Restored Version {number} of '{flow.name}' into "
              f"the draft Version {draft.number}", flow=flow, version=draft.number,
              restored=number)
    return _content(flow, draft)


def _replace_content(draft: models.FlowVersion, member: models.Member, definition: str,
                     content_hash: str) -> None:
    """The draft's next revision holds ``definition``; the one before stays kept."""
    draft.definition = definition
    draft.content_hash = content_hash
    draft.revision += 1
    draft.updated_by = member
    draft.updated_at = models.utcnow()
    draft.save()
    _record_editor(draft, member)
    keep_revision(draft)


def revision_content(flow_ref: str | int, revision: int) -> FlowContent:
    """A kept revision of the flow's current draft, as the editor would show it."""
    flow = get_flow(flow_ref)
    kept = kept_revision(flow, revision)
    saver = models.Member.get_or_none(models.Member.id == kept.saved_by_id)
    return FlowContent(flow.id, flow.name, kept.version_number, VersionStatus.DRAFT,
                       kept.revision, FlowDefinition.from_json(kept.definition),
                       kept.content_hash, saver.name if saver else None, str(kept.saved_at))


def restore_revision(actor: Actor, flow_ref: str | int, revision: int, *,
                     expected_version: int, expected_revision: int) -> FlowContent:
    """An earlier revision's content becomes the draft's next revision (nothing is lost:
    the revision it replaces stays kept too)."""
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT)
        flow = get_flow(flow_ref)
        kept = kept_revision(flow, revision)
        draft, _ = _writable_draft(flow, member, expected_version, expected_revision)
        if draft.content_hash != kept.content_hash:
            _replace_content(draft, member, kept.definition, kept.content_hash)
        audit(member, "revision.restore", f"Restored revision {revision} of the draft "
              f"Version {draft.number} of '{flow.name}' as revision {draft.revision}",
              flow=flow, version=draft.number, revision=draft.revision, restored=revision)
    return _content(flow, draft)


def version_history(flow_ref: str | int) -> list[VersionInfo]:
    flow = get_flow(flow_ref, include_archived=True)
    rows = (models.FlowVersion.select().where(models.FlowVersion.flow == flow.id)
            .order_by(models.FlowVersion.number.desc()))
    names = {m.id: m.name for m in models.Member.select(models.Member.id, models.Member.name)}
    return [VersionInfo(
        number=row.number, status=VersionStatus(row.status), revision=row.revision,
        content_hash=row.content_hash, created_by=names.get(row.created_by_id, "?"),
        created_at=str(row.created_at),
        published_by=names.get(row.published_by_id) if row.published_by_id else None,
        published_at=str(row.published_at) if row.published_at else None,
        updated_by=names.get(row.updated_by_id) if row.updated_by_id else None,
        updated_at=str(row.updated_at) if row.updated_at else None) for row in rows]
