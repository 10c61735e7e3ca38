"""Importing and exporting flow files (see ``domain.flow_file`` for the format).

An import is one transaction: a new name creates the flow (Version 1 draft); a known
name replaces the content of its draft, starting Version N+1 when the latest version is
published. A malformed file, a refused permission or any other failure writes nothing.
"""

from __future__ import annotations

from flowbench.domain.errors import Conflict, InvalidInput
from flowbench.domain.flow_file import FlowFileError, dump_flow_file, parse_flow_file
from flowbench.domain.roles import Permission
from flowbench.services import drafts, flows
from flowbench.services.context import Actor, audit, require
from flowbench.services.flows import FlowSummary
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
        if existing is None:
            summary = flows.create_flow(actor, name, flow_file.definition)
            flow = models.Flow.get_by_id(summary.id)
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


def export_flow(flow_ref: str | int, version: int | None = None) -> str:
    """The flow file of ``version``; by default the draft if there is one, else the live."""
    content = drafts.get_version(flow_ref, version) if version is not None \
        else drafts.open_flow(flow_ref)
    return dump_flow_file(content.flow_name, content.definition, version=content.version)
