"""Version statuses are the ``VersionStatus`` enum everywhere (issue 16): no code compares
a version's status with a bare "live", "draft" or "previous", nor passes one to a query
helper. The schema migrations keep the words of their own time."""

from __future__ import annotations

import re
from pathlib import Path

from flowbench.domain.versions import VersionStatus

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "flowbench"
WORDS = "|".join(status.value for status in VersionStatus)
BARE = re.compile(rf"""status\s*(?:==|!=)\s*["'](?:{WORDS})["']"""
                  rf"""|_version\([^)]*["'](?:{WORDS})["']""")
FROZEN = {PACKAGE / "store" / "migrations.py"}  # a migration says what its schema said


def test_no_version_status_is_a_bare_word() -> None:
    found = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if path not in FROZEN
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if BARE.search(line)]
    assert found == []


def test_the_check_sees_a_bare_word() -> None:
    assert BARE.search('models.FlowVersion.status == "live")')
    assert BARE.search("_version(flow, 'draft')")
    assert not BARE.search("models.FlowVersion.status == VersionStatus.LIVE.value")
