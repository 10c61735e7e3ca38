"""Comparing two versions of a flow (or a version and the draft), step by step.

A version is named by its number, ``live`` or ``draft`` (the CLI's ``--from``/``--to``
and the Versions tab's choices); the comparison itself is the domain's
(``domain/comparison.py``). Reading only: nothing is written, no permission beyond
being signed in is needed (every member may look at every version).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowbench.domain.changes import Change, list_changes
from flowbench.domain.comparison import DefinitionDiff, compare_definitions
from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import InvalidInput, NotFound
from flowbench.domain.versions import VersionStatus
from flowbench.services.context import get_flow
from flowbench.store import models

# the words a member gives for them ("live", "draft") are the statuses' own values
DRAFT, LIVE = VersionStatus.DRAFT.value, VersionStatus.LIVE.value


@dataclass(frozen=True)
class ComparedVersion:
    number: int
    status: str  # draft / live / previous

    @property
    def label(self) -> str:
        return f"Version {self.number}" + ("" if self.status == VersionStatus.PREVIOUS
                                           else f" ({self.status})")

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.number, "status": self.status}


@dataclass(frozen=True)
class VersionComparison:
    flow: str
    before: ComparedVersion
    after: ComparedVersion
    diff: DefinitionDiff
    changes: list[Change]  # the same, as value-by-value sentences

    def to_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "from": self.before.to_dict(), "to": self.after.to_dict(),
                "changed": self.diff.changed, **self.diff.to_dict(),
                "changes": [change.to_dict() for change in self.changes]}


def parse_version_ref(text: str | int) -> int | str:
    """``3``, ``"3"``, ``"v3"``, ``"Version 3"``, ``"live"`` or ``"draft"``."""
    if isinstance(text, int):
        return text
    cleaned = text.strip().lower().removeprefix("version").removeprefix("v").strip()
    if cleaned in (DRAFT, LIVE):
        return cleaned
    if cleaned.isdigit() and int(cleaned) > 0:
        return int(cleaned)
    raise InvalidInput(f"'{text}' is not a version: give its number, 'live' or 'draft'.")


def _version(flow: models.Flow, ref: int | str) -> models.FlowVersion:
    found: models.FlowVersion | None
    if isinstance(ref, int):
        found = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                               & (models.FlowVersion.number == ref))
        if found is None:
            raise NotFound(f"'{flow.name}' has no Version {ref}.")
        return found
    found = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                           & (models.FlowVersion.status
                                              == VersionStatus(ref).value))
    if found is None:
        raise NotFound(f"'{flow.name}' has no {ref} version." if ref == LIVE
                       else f"'{flow.name}' has no draft.")
    return found


def compare_versions(flow_ref: str | int, from_ref: str | int = LIVE,
                     to_ref: str | int = DRAFT) -> VersionComparison:
    """``from_ref`` and ``to_ref`` of the flow side by side, steps aligned by id."""
    flow = get_flow(flow_ref, include_archived=True)
    old = _version(flow, parse_version_ref(from_ref))
    new = _version(flow, parse_version_ref(to_ref))
    old_definition = FlowDefinition.from_json(old.definition)
    new_definition = FlowDefinition.from_json(new.definition)
    diff = compare_definitions(old_definition, new_definition)
    return VersionComparison(
        flow.name, ComparedVersion(old.number, old.status),
        ComparedVersion(new.number, new.status), diff,
        list_changes(old_definition, new_definition) if diff.changed else [])
