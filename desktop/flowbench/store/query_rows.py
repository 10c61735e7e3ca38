"""The rows of a query as typed tuples.

peewee's stubs type every row of ``Model.select(...)`` as the model, whatever columns the
query selects and however it returns them. ``tuples(query, tuple[int, str])`` runs the
query for plain tuples and says what each one holds, in the order of the select list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar, cast, get_origin

from peewee import BaseQuery

Row = TypeVar("Row", bound=tuple[Any, ...])


def tuples(query: BaseQuery, shape: type[Row]) -> Iterator[Row]:
    """``query``'s rows as plain tuples of the types in ``shape``, a ``tuple[...]`` type
    that follows the select list (a nullable column is ``X | None``; an aggregate is what
    the database driver returns, e.g. ``SUM`` of a BIGINT is a ``Decimal`` on PostgreSQL).
    """
    if get_origin(shape) is not tuple:  # a NamedTuple would promise names rows lack
        raise TypeError(f"tuples() takes a tuple[...] type, not {shape!r}")
    return cast(Iterator[Row], iter(query.tuples()))
