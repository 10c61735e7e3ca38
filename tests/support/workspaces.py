"""Where the store, service, runtime and publishing tests keep their workspaces.

One mechanism for both databases. ``backend`` (a session fixture, see tests/conftest.py)
is "sqlite", and also "postgresql" when ``$FLOWBENCH_TEST_POSTGRES`` names a server, e.g.
``postgresql://flowbench@127.0.0.1:5432/postgres`` (a role that may create databases).
Every test that uses a workspace runs once per backend:

* a *template* workspace is built once per session and backend: a SQLite file, or a
  PostgreSQL database;
* each test gets a private copy: a file copy, or ``CREATE DATABASE … TEMPLATE …`` (a fresh
  database per test, dropped afterwards).

A workspace's *location* is what ``open_workspace`` takes: a Path or a postgresql:// URL.
``read_rows``/``table_names`` read a workspace without Flowbench (to show "unchanged").
Tests about SQLite files themselves carry ``@pytest.mark.sqlite_only``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ENV = "FLOWBENCH_TEST_POSTGRES"
POSTGRES_URL = os.environ.get(ENV, "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

Location = Path | str

_numbers = itertools.count(1)
_templates: list[str] = []


def is_postgres(location: Location) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def _database_url(name: str) -> str:
    """The server URL with another database name."""
    base, _, _query = POSTGRES_URL.partition("?")
    head, _, _old = base.rstrip("/").rpartition("/")
    return f"{head}/{name}" + (f"?{_query}" if _query else "")


@contextmanager
def _admin() -> Iterator[Any]:
    import psycopg

    conn = psycopg.connect(POSTGRES_URL, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def _new_database_name(kind: str) -> str:
    return f"fbtest_{os.getpid()}_{kind}_{next(_numbers)}"


def create_database(template: str | None = None) -> str:
    """A new empty database (or a copy of ``template``'s); returns its URL."""
    name = _new_database_name("tpl" if template is None else "ws")
    source = f" TEMPLATE {template.rsplit('/', 1)[1]}" if template else ""
    with _admin() as conn:
        # FILE_COPY: copying a small template file by file beats WAL-logging it.
        conn.execute(f'CREATE DATABASE "{name}"{source} STRATEGY FILE_COPY')
    return _database_url(name)


def drop_database(url: str) -> None:
    """Drop a test database, ending its sessions. A server process of another role on it
    (an autovacuum worker, on a server that runs one) cannot be ended by the test role:
    wait for it to finish and try again."""
    import time

    import psycopg

    name = url.rsplit("/", 1)[1].partition("?")[0]
    for attempt in range(20):
        try:
            with _admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.25)


def make_template(backend: str, folder: Path, build: Callable[[Location], Any]) -> tuple[
        Location, Any]:
    """Build a template workspace with ``build(location)``; returns (location, result)."""
    if backend == "sqlite":
        path = folder / "template.flowbench"
        return path, build(path)
    url = create_database()
    _templates.append(url)
    result = build(url)
    _close_everything()
    return url, result


@contextmanager
def workspace_copy(template: Location, folder: Path) -> Iterator[Location]:
    """A private copy of a template workspace, not yet open; removed afterwards."""
    if not is_postgres(template):
        target = folder / "ws.flowbench"
        shutil.copy(template, target)
        yield target
        return
    url = create_database(str(template))
    try:
        yield url
    finally:
        _close_everything()
        drop_database(url)


def new_location(backend: str, folder: Path) -> Iterator[Location]:
    """A brand-new, empty workspace location (file or database)."""
    if backend == "sqlite":
        yield folder / "new.flowbench"
        return
    url = create_database()
    try:
        yield url
    finally:
        _close_everything()
        drop_database(url)


def drop_templates() -> None:
    while _templates:
        with contextlib.suppress(Exception):  # the server may be gone at the very end
            drop_database(_templates.pop())


def _close_everything() -> None:
    from flowbench.store.connection import close_workspace

    close_workspace()


# --- reading a workspace without Flowbench ------------------------------------------------

def read_rows(location: Location, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one plain SQL query (no parameters) on a closed or open workspace."""
    if is_postgres(location):
        import psycopg

        with psycopg.connect(str(location)) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]
    conn = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def table_names(location: Location) -> set[str]:
    if is_postgres(location):
        return {row[0] for row in read_rows(
            location, "SELECT table_name FROM information_schema.tables "
                      "WHERE table_schema = current_schema()")}
    return {row[0] for row in read_rows(
        location, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def all_rows(location: Location) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    names = sorted(n for n in table_names(location) if not n.startswith("sqlite_"))
    return {name: sorted(read_rows(location, f'SELECT * FROM "{name}"'), key=repr)
            for name in names}


def open_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the workspace open in this process."""
    from flowbench.store import models

    db = models.database.obj
    names = sorted(n for n in db.get_tables() if not n.startswith("sqlite_"))
    return {name: sorted(db.execute_sql(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names}


# --- the pytest side ------------------------------------------------------------------------

def backend_fixture(request: pytest.FixtureRequest) -> Iterator[str]:
    backend: str = request.param
    yield backend
    if backend == "postgresql":
        drop_templates()


def skip_sqlite_only(item: pytest.Item) -> None:
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("backend") != "postgresql":
        return
    marker = item.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip(marker.kwargs.get("reason") or "about SQLite workspace files")
