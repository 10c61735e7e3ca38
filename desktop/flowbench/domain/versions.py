"""Version rules (DESIGN §3): draft, live and previous versions of a flow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class VersionStatus(StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class VersionInfo:
    number: int
    status: VersionStatus
    revision: int
    content_hash: str
    created_by: str
    created_at: str
    published_by: str | None
    published_at: str | None
    updated_by: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"version": self.number, "status": str(self.status), "revision": self.revision,
                "created_by": self.created_by, "created_at": self.created_at,
                "published_by": self.published_by, "published_at": self.published_at,
                "updated_by": self.updated_by, "updated_at": self.updated_at}


def next_version_number(existing: list[int]) -> int:
    return max(existing, default=0) + 1


def version_label(numbers: list[int]) -> str:
    """'Version 3', 'Versions 1–2', 'Versions 1, 3 and 5'."""
    ordered = sorted(set(numbers))
    if not ordered:
        return "no versions"
    if len(ordered) == 1:
        return f"Version {ordered[0]}"
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"Versions {ordered[0]}–{ordered[-1]}"
    head = ", ".join(str(n) for n in ordered[:-1])
    return f"Versions {head} and {ordered[-1]}"
