"""Portable SQL for the engine: placeholders, subqueries, the cohort scratch table.

The engine writes plain SQL with ``?`` placeholders (turned into the backend's own) and
only portable constructs (``INSERT … SELECT``, ``IN`` and ``EXISTS`` subqueries), so the
same statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from peewee import Database, Query

from flowbench.store import models

Params = tuple[Any, ...]
OPEN_CARD_STATES = ("active", "snoozed")
CLOSED_CARD_STATES = ("dismissed", "completed", "expired", "cancelled")
LIST_CHUNK = 500  # ids per IN (...) list: far below every backend's parameter limit


# A scratch database the engine runs on instead, in this thread only (the forecast's
# replay): unlike rebinding the models, other threads keep using the workspace.
_scratch: ContextVar[Database | None] = ContextVar("flowbench_scratch_database", default=None)


def db() -> Any:
    """The open database (peewee's ``Database``; typed loosely: its stubs are partial)."""
    database: Database | None = _scratch.get()
    if database is None:
        database = models.database.obj
    return database


@contextmanager
def on_scratch(database: Database) -> Iterator[None]:
    """Run the engine's SQL on ``database`` for the block, in the calling thread only."""
    token = _scratch.set(database)
    try:
        yield
    finally:
        _scratch.reset(token)


def prepare(sql: str) -> str:
    """``?`` placeholders in the backend's style."""
    param = db().param
    return sql if param == "?" else sql.replace("?", param)


def execute(statement: str | Fragment, params: Sequence[Any] = ()) -> Any:
    """Run a statement: SQL text with ``?`` placeholders and ``params``, or a Fragment."""
    if isinstance(statement, Fragment):
        return db().execute_sql(statement.text, statement.params)
    return db().execute_sql(prepare(statement), tuple(params))


def rowcount(statement: str | Fragment, params: Sequence[Any] = ()) -> int:
    return max(int(execute(statement, params).rowcount or 0), 0)


def scalar(statement: str | Fragment, params: Sequence[Any] = ()) -> Any:
    row = execute(statement, params).fetchone()
    return row[0] if row else None


def rows(statement: str | Fragment, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(execute(statement, params).fetchall())


def executemany(sql: str, seq: Iterable[Sequence[Any]]) -> None:
    """Many rows, one prepared statement: the fast bulk path (4–5× peewee's insert_many)."""
    batch = list(seq)
    if batch:
        db().cursor().executemany(prepare(sql), batch)


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def chunks(values: Sequence[Any], size: int = LIST_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass(frozen=True)
class Fragment:
    """A piece of SQL with its parameters; ``+`` joins pieces in order.

    The text's placeholders are already in the backend's style, so a peewee query's
    ``sql()`` can be joined in as it is.
    """

    text: str
    params: Params = ()

    def __add__(self, other: Fragment | str) -> Fragment:
        if isinstance(other, str):
            other = F(other)
        return Fragment(self.text + other.text, self.params + other.params)

    def __radd__(self, other: str) -> Fragment:
        return F(other) + self

    @classmethod
    def from_query(cls, query: Query) -> Fragment:
        text, params = query.sql()
        return cls(text, tuple(params))


def F(text: str, *params: Any) -> Fragment:  # noqa: N802 - reads like a literal
    """A fragment written with ``?`` placeholders."""
    return Fragment(prepare(text), tuple(params))


def in_list(column: str, values: Sequence[Any]) -> Fragment:
    """``column IN (…)`` for a short literal list (see ``chunks``); false when empty."""
    if not values:
        return F("1 = 0")
    return F(f"{column} IN ({placeholders(len(values))})", *values)


run = execute
run_count = rowcount


# --- the cohort scratch table ----------------------------------------------------------

_numbers = itertools.count(1)


class CohortTable:
    """Instance ids held for one step of the walk, in a per-connection TEMP table.

    A temporary table is private to the connection (and so to the transaction), vanishes
    with it, and is dropped with a rollback on PostgreSQL; ``IF NOT EXISTS`` recreates it.
    """

    def __init__(self) -> None:
        execute("CREATE TEMP TABLE IF NOT EXISTS runtime_cohort ("
                "cohort INTEGER NOT NULL, instance_id INTEGER NOT NULL, "
                "PRIMARY KEY (cohort, instance_id))")
        self.number = next(_numbers)
        self.ids = F(f"SELECT instance_id FROM runtime_cohort WHERE cohort = {self.number}")

    def fill(self, select: Fragment) -> int:
        """Add the instance ids ``select`` yields (one column named ``id``)."""
        return run_count(F("INSERT INTO runtime_cohort (cohort, instance_id) "
                           f"SELECT DISTINCT {self.number}, x.id FROM (") + select + ") x")

    def clear(self) -> None:
        execute("DELETE FROM runtime_cohort WHERE cohort = ?", (self.number,))
