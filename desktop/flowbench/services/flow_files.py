"""Importing and exporting flow files (see ``domain.flow_file`` for the format).

An import is one transaction: a new name creates the flow (Version 1 draft); a known
name replaces the content of its draft, starting Version N+1 when the latest version is
published. A malformed file, a refused permission or any other failure writes nothing.
"""

from __future__ import annotations

from flowbench.domain.errors import Conflict, FlowbenchError, InvalidInput
from flowbench.domain.flow_file import FlowFileError, dump_flow_file, parse_flow_file
from flowbench.domain.roles import Permission
from flowbench.services import drafts, flows, revisions
from flowbench.services.context import Actor, audit, require
from flowbench.services.flows import FlowSummary
from flowbench.services.revisions import RevisionInfo
from flowbench.store import models
from flowbench.store.connection import write_transaction


def _flow_name(name: str) -> str:
    try:
        return flows.check_name(name)
    except InvalidInput as exc:
        raise FlowFileError("name", str(exc)) from None


def import_flow(actor: Actor, text: str) -> tuple[FlowSummary, bool]:
    """Import the flow file ``text``; returns the flow and whether it was created."""
    with write_transaction():
        member = require(actor, Permission.EDIT_DRAFT, "import flows")
        flow_file = parse_flow_file(text)
        name = _flow_name(flow_file.name)
        existing = models.Flow.get_or_none(models.Flow.name_key == name.lower())
        if existing is None:  # one audit entry (flow.import), not flow.create as well
            flow = flows.add_flow(member, name, flow_file.definition)
            version, revision = 1, 1
        else:
            if existing.archived:
                raise Conflict(f"'{existing.name}' is archived: restore it before importing "
                               "a new version of it.")
            seen = drafts.open_flow(existing.id)
            saved = drafts.save_draft(actor, existing.id, flow_file.definition,
                                      expected_version=seen.version,
                                      expected_revision=seen.revision)
            flow, version, revision = existing, saved.version, saved.revision
        created = existing is None
        audit(member, "flow.import",
              f"Imported '{flow.name}' from a file into the draft Version {version}",
              flow=flow, version=version, revision=revision, created=created)
    return flows.flow_summary(flow.id), created


def replaced_by_import(actor: Actor, text: str) -> RevisionInfo | None:
    """The draft revision that importing ``text`` would replace, when another member saved
    it last (it stays kept: the window asks first, the CLI says so). Writes nothing."""
    try:
        name = _flow_name(parse_flow_file(text).name)
    except FlowbenchError:
        return None  # the import itself explains what is wrong with the file
    existing = models.Flow.get_or_none(models.Flow.name_key == name.lower())
    if existing is None or existing.archived:
        return None
    latest = revisions.latest_revision(existing.id)
    return latest if latest is not None and latest.saved_by_id != actor.member_id else None


def export_flow(flow_ref: str | int, version: int | None = None, *,
                revision: int | None = None) -> str:
    """The flow file of ``version``, or of a kept ``revision`` of the draft; by default
    the draft if there is one, else the live version."""
    if revision is not None:
        content = drafts.revision_content(flow_ref, revision)
    elif version is not None:
        content = drafts.get_version(flow_ref, version)
    else:
        content = drafts.open_flow(flow_ref)
    return dump_flow_file(content.flow_name, content.definition, version=content.version)
