"""A workspace with members of each role, copied per test from a session template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from publishing_world import Cast, build_template

from flowbench.store.connection import close_workspace, open_workspace


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Cast]:
    path = tmp_path_factory.mktemp("template") / "template.flowbench"
    return path, build_template(path)


@pytest.fixture
def ws_path(_template: tuple[Path, Cast], tmp_path: Path) -> Path:
    target = tmp_path / "ws.flowbench"
    shutil.copy(_template[0], target)
    return target


@pytest.fixture
def cast(_template: tuple[Path, Cast], ws_path: Path):
    open_workspace(ws_path)
    yield _template[1]
    close_workspace()
