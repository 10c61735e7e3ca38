"""What mypy is told about the models matches what peewee builds (store/models.py and
store/query_rows.py): the annotated ``<name>_id`` accessors are exactly those of the
foreign keys, None only where the key is nullable."""

from __future__ import annotations

import inspect
from typing import NamedTuple

import pytest
from peewee import ForeignKeyField

from flowbench.store import models
from flowbench.store.query_rows import tuples


def _keys(model: type[models.BaseModel]) -> dict[str, ForeignKeyField]:
    return {field.object_id_name: field for field in model._meta.fields.values()
            if isinstance(field, ForeignKeyField)}


@pytest.mark.parametrize("model", models.ALL_MODELS, ids=lambda m: m.__name__)
def test_the_annotations_name_every_foreign_key_id_and_nothing_else(model):
    annotated = inspect.get_annotations(model, eval_str=True)
    keys = _keys(model)
    assert set(annotated) == set(keys)
    for name, hint in annotated.items():
        assert hint == (int | None if keys[name].null else int), name
        assert name not in model._meta.fields  # an accessor, not a field of its own


class _Named(NamedTuple):
    id: int


def test_rows_are_typed_only_as_plain_tuples():
    # peewee returns plain tuples: a NamedTuple would promise attributes they lack
    with pytest.raises(TypeError):
        tuples(models.Flow.select(models.Flow.id), _Named)
