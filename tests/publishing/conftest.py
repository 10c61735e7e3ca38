"""A workspace with members of each role, copied per test from a session template.

Every test runs on SQLite, and on PostgreSQL too when $FLOWBENCH_TEST_POSTGRES is set
(see tests/support/workspaces.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from publishing_world import Cast, build_template
from workspaces import (
    Location,
    make_template,
)

from flowbench.store.connection import close_workspace, open_workspace


@pytest.fixture(scope="session")
def template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Location, Cast]:
    location, cast = make_template(backend, tmp_path_factory.mktemp("template"),
                                   build_template)
    return location, cast


@pytest.fixture
def cast(template: tuple[Location, Cast], ws_path: Location) -> Iterator[Cast]:
    open_workspace(ws_path)
    yield template[1]
    close_workspace()
