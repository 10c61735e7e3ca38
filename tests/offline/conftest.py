"""Offline copies: a private copy of the Acme team workspace per test (PostgreSQL only).

The cast and helpers are in tests/support/offline_world.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import remember_hashing
from offline_world import PASSWORD, build_acme
from workspaces import POSTGRES_URL, make_template, workspace_copy


@pytest.fixture(autouse=True)
def remembered_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    remember_hashing(monkeypatch)
    monkeypatch.setenv("FLOWBENCH_PASSWORD", PASSWORD)
    monkeypatch.delenv("FLOWBENCH_WORKSPACE", raising=False)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, None]:
    if not POSTGRES_URL:
        pytest.skip("needs $FLOWBENCH_TEST_POSTGRES")
    with pytest.MonkeyPatch.context() as patch:
        remember_hashing(patch)
        location, _ = make_template("postgresql", tmp_path_factory.mktemp("acme"), build_acme)
    return location, None


@pytest.fixture
def team(template: tuple[Any, None], tmp_path: Path) -> Iterator[str]:
    """A private copy of the Acme team workspace: its postgresql:// URL."""
    with workspace_copy(template[0], tmp_path) as url:
        yield str(url)
