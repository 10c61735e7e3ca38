"""A card's buttons: a small table (label, action, URL) with add and remove."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.definition import Button, ButtonAction
from flowbench.domain.validation import Problem
from flowbench.ui.edit.field_marks import mark_field, worst
from flowbench.ui.edit.step_style import severity_tint
from flowbench.ui.kit.forms import button
from flowbench.ui.models.table_model import Index

COLUMNS = ("label", "action", "url")
HEADERS = ("Label", "Action", "Link URL")
ACTIONS = [a.value for a in ButtonAction]
BUTTON_FIELD = re.compile(r"^buttons\[(\d+)\]\.(label|action|url)$")
ROOT = QModelIndex()  # the invisible root, as a default argument


def cell_of(field: str) -> tuple[int, int] | None:
    """``buttons[2].url`` → (row 2, column 2)."""
    match = BUTTON_FIELD.match(field)
    return (int(match.group(1)), COLUMNS.index(match.group(2))) if match else None


class ButtonsModel(QAbstractTableModel):
    buttons_edited = Signal(object)  # the new tuple of Buttons

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buttons: tuple[Button, ...] = ()
        self._problems: dict[tuple[int, int], list[Problem]] = {}
        self.editable = True

    @property
    def buttons(self) -> tuple[Button, ...]:
        return self._buttons

    def set_buttons(self, buttons: tuple[Button, ...]) -> None:
        if buttons == self._buttons:
            return
        if len(buttons) == len(self._buttons):
            self._buttons = buttons
            self.dataChanged.emit(self.index(0, 0), self.index(len(buttons) - 1, 2))
        else:
            self.beginResetModel()
            self._buttons = buttons
            self.endResetModel()

    def set_problems(self, problems: list[Problem]) -> None:
        cells: dict[tuple[int, int], list[Problem]] = {}
        for problem in problems:
            cell = cell_of(problem.field)
            if cell is not None:
                cells.setdefault(cell, []).append(problem)
        if cells != self._problems:
            self._problems = cells
            if self._buttons:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._buttons) - 1, 2))

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._buttons)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        button = self._buttons[index.row()]
        value = getattr(button, COLUMNS[index.column()]) or ""
        problems = self._problems.get((index.row(), index.column()), [])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 2 and not value:
                return "—" if button.action != ButtonAction.LINK else ""
            return value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Button {index.row() + 1} {HEADERS[index.column()].lower()}: {value}"
        if role == Qt.ItemDataRole.ToolTipRole and problems:
            return "\n".join(p.message for p in problems)
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            severity = worst(problems)
            return severity_tint(severity) if severity else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        column = COLUMNS[index.column()]
        text = str(value or "")
        old = self._buttons[index.row()]
        new = Button(old.label, old.action, old.url)
        if column == "label":
            new = Button(text, old.action, old.url)
        elif column == "action":
            new = Button(old.label, text, old.url)
        else:
            new = Button(old.label, old.action, text.strip() or None)
        if new == old:
            return False
        buttons = list(self._buttons)
        buttons[index.row()] = new
        self.buttons_edited.emit(tuple(buttons))
        return True


class ActionDelegate(QStyledItemDelegate):
    """A drop-down of button actions in the Action column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        editor = QComboBox(parent)
        editor.addItems(ACTIONS)
        editor.setAccessibleName("Button action")
        editor.activated.connect(lambda _=0, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if editor.findText(value) < 0:
            editor.addItem(value)
        editor.setCurrentText(value)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class ButtonsEditor(QWidget):
    """The table plus Add/Remove; edits leave through ``model.buttons_edited``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ButtonsModel(self)
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.table.setModel(self.model)
        self.table.setAccessibleName("Card buttons")
        self.table.setItemDelegateForColumn(1, ActionDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setFixedHeight(112)
        self.add_button = button(self, "Add Button", "Add card button")
        self.remove_button = button(self, "Remove Button",
                                    "Remove the selected card button")
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.setFocusProxy(self.table)

    def _add(self) -> None:
        buttons = (*self.model.buttons, Button(f"Button {len(self.model.buttons) + 1}",
                                               ButtonAction.SUBMIT.value))
        self.model.buttons_edited.emit(buttons)
        self.table.setCurrentIndex(self.model.index(len(buttons) - 1, 0))

    def _remove(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.buttons):
            return
        buttons = self.model.buttons[:row] + self.model.buttons[row + 1:]
        self.model.buttons_edited.emit(buttons)

    def set_read_only(self, read_only: bool) -> None:
        self.model.editable = not read_only
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    def show_problems(self, problems: list[Problem]) -> None:
        self.model.set_problems(problems)
        mark_field(self.table, problems)

    def focus_cell(self, field: str) -> None:
        cell = cell_of(field)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if cell is not None and cell[0] < len(self.model.buttons):
            self.table.setCurrentIndex(self.model.index(*cell))
