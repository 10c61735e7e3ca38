"""The one look of Flowbench's read-only lists: whole rows selected one at a time, no
editing in place, alternating rows, no grid, no row numbers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget


def read_only_table(parent: QWidget, model: QAbstractItemModel, *, object_name: str,
                    accessible_name: str) -> QTableView:
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab leaves; arrows move
    view.setObjectName(object_name)
    view.setAccessibleName(accessible_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    return view
