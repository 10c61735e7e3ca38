"""Version numbering and the words used for sets of versions."""

from __future__ import annotations

from flowbench.domain.versions import (
    VersionInfo,
    VersionStatus,
    next_version_number,
    version_label,
)


def test_next_version_number() -> None:
    assert next_version_number([]) == 1
    assert next_version_number([1, 2, 3]) == 4
    assert next_version_number([3, 1]) == 4


def test_version_label() -> None:
    assert version_label([]) == "no versions"
    assert version_label([3]) == "Version 3"
    assert version_label([2, 1, 2]) == "Versions 1–2"
    assert version_label([5, 1, 3]) == "Versions 1, 3 and 5"


def test_version_info_as_json() -> None:
    info = VersionInfo(2, VersionStatus.LIVE, 4, "h", "Olive", "2025-01-01", "Pat",
                       "2025-01-02")
    assert info.to_dict()["status"] == "live"
    assert info.to_dict()["version"] == 2
