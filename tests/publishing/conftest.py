"""A workspace with members of each role, copied per test from a session template.

Every test runs on SQLite, and on PostgreSQL too when $FLOWBENCH_TEST_POSTGRES is set
(see tests/support/workspaces.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from publishing_world import Cast, build_template
from workspaces import (
    BACKENDS,
    Location,
    backend_fixture,
    make_template,
    skip_sqlite_only,
    workspace_copy,
)

from flowbench.store.connection import close_workspace, open_workspace


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about SQLite workspace files")


def pytest_runtest_setup(item: pytest.Item) -> None:
    skip_sqlite_only(item)


backend = pytest.fixture(scope="session", params=BACKENDS)(backend_fixture)


@pytest.fixture(scope="session")
def _template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Location, Cast]:
    location, cast = make_template(backend, tmp_path_factory.mktemp("template"),
                                   build_template)
    return location, cast


@pytest.fixture
def ws_path(_template: tuple[Location, Cast], tmp_path: Path) -> Iterator[Location]:
    with workspace_copy(_template[0], tmp_path) as location:
        yield location


@pytest.fixture
def cast(_template: tuple[Location, Cast], ws_path: Location):
    open_workspace(ws_path)
    yield _template[1]
    close_workspace()
