"""A read-only table whose columns fit their contents (the last one takes the rest), as the
Versions tab lists versions and kept revisions; the row a member selected; selecting the
row of a given item."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QTableView, QWidget

from flowbench.ui.kit.tables import fit_columns, read_only_table

T = TypeVar("T")


def fitted_table(parent: QWidget, model: QAbstractItemModel, *, object_name: str,
                 accessible_name: str) -> QTableView:
    view = read_only_table(parent, model, object_name=object_name,
                           accessible_name=accessible_name)
    fit_columns(view)
    return view


def selected_row(view: QTableView) -> int | None:
    """The selected row (tables select one whole row at a time), or None."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def select_first(view: QTableView, items: Iterable[T], matches: Callable[[T], bool]) -> bool:
    """Select the row of the first item that matches; False if none does."""
    for row, item in enumerate(items):
        if matches(item):
            view.selectRow(row)
            return True
    return False
