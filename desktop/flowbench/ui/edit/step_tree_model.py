"""The step tree as a Qt item model over the editor's definition.

The model indexes the definition once per structural change (children per parent, row
per step) and answers Qt's questions from that index, so a 500-step flow costs one pass.
A field edit or a new problem mark refreshes single rows (``dataChanged``). Steps whose
parent is missing or loops are shown at the top level, where validation flags them.
Drops ask for a move through ``move_requested``; the editor makes it (undoably).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)

from flowbench.domain.definition import FlowDefinition, Step
from flowbench.domain.validation import Problem, Severity
from flowbench.ui.edit.definition_edits import can_move_under, display_tree
from flowbench.ui.edit.field_marks import worst
from flowbench.ui.edit.flow_editor import kind_label
from flowbench.ui.edit.step_style import (
    kind_icon,
    marked_icon,
    path_caption,
    severity_colour,
    severity_tint,
    step_summary,
)
from flowbench.ui.models.table_model import Index

STEP_MIME = "application/x-flowbench-step"
StepIdRole = Qt.ItemDataRole.UserRole + 1
ROOT = QModelIndex()  # the invisible root, as a default argument


class StepTreeModel(QAbstractItemModel):
    move_requested = Signal(str, object, object)  # step id, new parent (or None), position

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._definition = FlowDefinition()
        self._steps: dict[str, Step] = {}
        self._children: dict[str | None, list[str]] = {None: []}
        self._parent: dict[str, str | None] = {}
        self._row: dict[str, int] = {}
        self._ids: list[str] = []          # internal id -> step id
        self._numbers: dict[str, int] = {}  # step id -> internal id
        self._problems: dict[str, list[Problem]] = {}
        self.editable = False

    # --- feeding the model ---------------------------------------------------------------
    def set_definition(self, definition: FlowDefinition) -> None:
        """After a load or a structural edit: re-index everything."""
        self.beginResetModel()
        self._definition = definition
        self._index(definition)
        self.endResetModel()

    def update_steps(self, definition: FlowDefinition, step_ids: Iterable[str]) -> None:
        """After field edits: same tree, new contents for these steps."""
        self._definition = definition
        for step_id in step_ids:
            step = definition.step(step_id)
            if step is None or step_id not in self._steps:
                continue
            self._steps[step_id] = step
            index = self.index_of(step_id)
            self.dataChanged.emit(index, index)

    def set_problems(self, step_id: str, problems: list[Problem]) -> None:
        if problems:
            self._problems[step_id] = problems
        else:
            self._problems.pop(step_id, None)
        index = self.index_of(step_id)
        if index.isValid():
            self.dataChanged.emit(index, index)

    def _index(self, definition: FlowDefinition) -> None:
        self._steps = {}
        for step in definition.steps:
            self._steps.setdefault(step.id, step)
        children, parent_of = display_tree(definition)
        self._children, self._parent = children, parent_of
        self._row = {child: row for kids in children.values() for row, child in enumerate(kids)}
        for step_id in self._steps:
            if step_id not in self._numbers:
                self._numbers[step_id] = len(self._ids)
                self._ids.append(step_id)

    # --- lookups -------------------------------------------------------------------------
    def step_id(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        return self._ids[index.internalId()]

    def index_of(self, step_id: str | None) -> QModelIndex:
        if step_id is None or step_id not in self._row:
            return QModelIndex()
        return self.createIndex(self._row[step_id], 0, self._numbers[step_id])

    def step_ids_in_order(self) -> list[str]:
        order: list[str] = []
        pending = list(reversed(self._children.get(None, [])))
        while pending:
            current = pending.pop()
            order.append(current)
            pending.extend(reversed(self._children.get(current, [])))
        return order

    # --- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        kids = self._children.get(self.step_id(parent), [])
        if column != 0 or not 0 <= row < len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, self._numbers[kids[row]])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        step_id = self.step_id(index)
        if step_id is None:
            return QModelIndex()
        return self.index_of(self._parent.get(step_id))

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self.step_id(parent), []))

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        step_id = self.step_id(index)
        step = self._steps.get(step_id) if step_id else None
        if step is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = step_summary(step, self._definition)
            path = path_caption(step, self._definition)
            if path:
                text = f"{path} → {text}"
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{kind_label(step.kind)}: {text}"
            return text
        if role == StepIdRole:
            return step.id
        problems = self._problems.get(step.id)
        if role == Qt.ItemDataRole.DecorationRole:
            severity = worst(problems or [])
            return marked_icon(step.kind, severity) if severity else kind_icon(step.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{kind_label(step.kind)} · {step.id}"]
            lines += [f"• {p.message}" for p in problems or ()]
            return "\n".join(lines)
        if problems and role in (Qt.ItemDataRole.BackgroundRole,
                                 Qt.ItemDataRole.ForegroundRole):
            severity = worst(problems)
            if role == Qt.ItemDataRole.BackgroundRole:
                return severity_tint(severity) if severity else None
            return severity_colour(severity) if severity == Severity.ERROR else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.editable else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # --- drag and drop ---------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [STEP_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]  # noqa: N802
        data = QMimeData()
        ids = [self.step_id(i) for i in indexes if i.isValid()]
        if ids and ids[0]:
            data.setData(STEP_MIME, ids[0].encode("utf-8"))
        return data

    def _drop_target(self, data: QMimeData, parent: Index) -> tuple[str, str | None] | None:
        if not self.editable or not data.hasFormat(STEP_MIME):
            return None
        moving = bytes(data.data(STEP_MIME).data()).decode("utf-8")
        new_parent = self.step_id(parent)
        if moving not in self._steps or not can_move_under(self._definition, moving,
                                                           new_parent):
            return None
        return moving, new_parent

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                        column: int, parent: Index) -> bool:
        return self._drop_target(data, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,  # noqa: N802
                     column: int, parent: Index) -> bool:
        target = self._drop_target(data, parent)
        if target is None:
            return False
        moving, new_parent = target
        position: int | None = row if row >= 0 else None
        if position is not None and self._parent.get(moving) == new_parent \
                and self._row.get(moving, position) < position:
            position -= 1  # rows counted the step itself, which leaves its old place
        self.move_requested.emit(moving, new_parent, position)
        return True
