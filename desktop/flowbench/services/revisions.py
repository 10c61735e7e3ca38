"""The kept revisions of a draft: every save is kept, so no save ever loses content.

``keep_revision`` is called inside the write transaction of every use case that leaves
a draft with new content (create, save, import, restore), after the draft row holds it.
Listing and reading revisions write nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flowbench.domain.errors import NotFound
from flowbench.domain.versions import VersionStatus
from flowbench.services.context import get_flow
from flowbench.store import models
from flowbench.store.connection import schema_has

REVISIONS_SCHEMA = 4  # the schema step that added the kept revisions


@dataclass(frozen=True)
class RevisionInfo:
    """One kept revision of a draft: who saved what, when."""

    version: int
    revision: int
    saved_by: str
    saved_by_id: int | None
    saved_at: datetime.datetime
    content_hash: str

    def to_dict(self) -> dict[str, object]:
        """The ``revisions --json`` document of one revision (an interface: keep it)."""
        return {"version": self.version, "revision": self.revision,
                "saved_by": self.saved_by, "saved_at": self.saved_at.isoformat(sep=" "),
                "content_hash": self.content_hash}

    def describe_age(self, now: datetime.datetime | None = None) -> str:
        seconds = max(0, int(((now or models.utcnow()) - self.saved_at).total_seconds()))
        if seconds < 90:
            return "moments ago"
        if seconds < 5400:
            return f"{round(seconds / 60)} minutes ago"
        if seconds < 129600:
            hours = round(seconds / 3600)
            return f"{hours} hour{'s' if hours != 1 else ''} ago"
        days = round(seconds / 86400)
        return f"{days} day{'s' if days != 1 else ''} ago"


def keep_revision(draft: models.FlowVersion) -> None:
    """Keep the draft's current content as its current revision (inside a write).

    A draft that gets new content in the transaction that created it keeps one revision:
    the last content written under that number wins.
    """
    if not schema_has(REVISIONS_SCHEMA):
        return  # a workspace opened at an older schema (tests of the upgrade) keeps none
    row = models.DraftRevision
    saver = draft.updated_by_id or draft.created_by_id
    row.insert(flow=draft.flow_id, version_number=draft.number, revision=draft.revision,
               definition=draft.definition, content_hash=draft.content_hash,
               saved_by=saver, saved_at=draft.updated_at or draft.created_at or models.utcnow(),
               ).on_conflict(
        conflict_target=[row.flow, row.version_number, row.revision],
        update={row.definition: draft.definition, row.content_hash: draft.content_hash,
                row.saved_by: saver}).execute()


def current_draft(flow: models.Flow) -> models.FlowVersion:
    draft = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                           & (models.FlowVersion.status
                                              == VersionStatus.DRAFT.value))
    if draft is None:
        live = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                              & (models.FlowVersion.status
                                                 == VersionStatus.LIVE.value))
        shown = f" (Version {live.number} is live; export it with --version {live.number})" \
            if live else ""
        raise NotFound(f"'{flow.name}' has no draft{shown}.")
    return draft


def _info(row: models.DraftRevision, names: dict[int, str]) -> RevisionInfo:
    return RevisionInfo(row.version_number, row.revision,
                        names.get(row.saved_by_id, "?") if row.saved_by_id else "?",
                        row.saved_by_id, row.saved_at, row.content_hash)


def _names() -> dict[int, str]:
    return {m.id: m.name for m in models.Member.select(models.Member.id, models.Member.name)}


def list_revisions(flow_ref: str | int) -> list[RevisionInfo]:
    """Every kept revision of the flow's current draft, oldest first."""
    flow = get_flow(flow_ref)
    draft = current_draft(flow)
    rows = (models.DraftRevision.select()
            .where((models.DraftRevision.flow == flow.id)
                   & (models.DraftRevision.version_number == draft.number))
            .order_by(models.DraftRevision.revision))
    names = _names()
    return [_info(row, names) for row in rows]


def kept_revision(flow: models.Flow, revision: int) -> models.DraftRevision:
    """Revision ``revision`` of the flow's current draft."""
    draft = current_draft(flow)
    row = models.DraftRevision.get_or_none(
        (models.DraftRevision.flow == flow.id)
        & (models.DraftRevision.version_number == draft.number)
        & (models.DraftRevision.revision == revision))
    if row is None:
        raise NotFound(f"The draft Version {draft.number} of '{flow.name}' has no revision "
                       f"{revision} (it is at revision {draft.revision}).")
    return row


def latest_revision(flow_ref: str | int) -> RevisionInfo | None:
    """The draft's current revision and who saved it; None when the flow has no draft."""
    flow = get_flow(flow_ref)
    try:
        draft = current_draft(flow)
    except NotFound:
        return None
    row = models.DraftRevision.get_or_none(
        (models.DraftRevision.flow == flow.id)
        & (models.DraftRevision.version_number == draft.number)
        & (models.DraftRevision.revision == draft.revision))
    return _info(row, _names()) if row is not None else None
