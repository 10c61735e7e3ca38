"""The one look of Flowbench's lists and tables: whole rows selected one at a time, no
editing in place, no row numbers, and Tab that leaves the list (arrows move inside)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QTableView,
    QTableWidget,
    QWidget,
)

Resize = QHeaderView.ResizeMode


def _pick_rows(view: QAbstractItemView) -> None:
    """A list to choose from, not to type in."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


def read_only_table(parent: QWidget, model: QAbstractItemModel, *, object_name: str,
                    accessible_name: str) -> QTableView:
    """A model's rows, alternating, without a grid."""
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab leaves; arrows move
    view.setObjectName(object_name)
    view.setAccessibleName(accessible_name)
    view.setModel(model)
    _pick_rows(view)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    return view


def headed_table(parent: QWidget, headers: Sequence[str], *, accessible_name: str,
                 object_name: str = "", rows: int = 0, pick_rows: bool = True,
                 stretch: int | None = None) -> QTableWidget:
    """A table of cells the caller fills, under ``headers``; ``pick_rows`` False leaves
    the cells editable (a rule's conditions). ``stretch``: the column that takes the
    width left over."""
    table = QTableWidget(rows, len(headers), parent)
    table.setTabKeyNavigation(False)  # Tab leaves; arrows move
    if object_name:
        table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setHorizontalHeaderLabels(list(headers))
    if pick_rows:
        _pick_rows(table)
    table.verticalHeader().hide()
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, Resize.Stretch)
    return table


def fit_columns(view: QTableView) -> None:
    """Every column as wide as its contents; the last one takes what is left."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(Resize.ResizeToContents)
    header.setStretchLastSection(True)


def item_list(parent: QWidget, *, object_name: str, accessible_name: str) -> QListWidget:
    items = QListWidget(parent)
    items.setTabKeyNavigation(False)  # Tab leaves; arrows move
    items.setObjectName(object_name)
    items.setAccessibleName(accessible_name)
    return items
