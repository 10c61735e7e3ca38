"""The problems list: every validation problem, in tree order; a click jumps to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.validation import Problem
from flowbench.ui.edit.step_style import short_label, step_summary
from flowbench.ui.models.table_model import Index, ReadOnlyTableModel

ROOT = QModelIndex()  # the invisible root, as a default argument
FLOW_FIELDS = {"name": "Flow name", "description": "Description", "steps": "Steps",
               "trigger.kind": "Trigger", "trigger.event": "Trigger event",
               "trigger.segment": "Trigger segment"}


def place_of(problem: Problem, definition: FlowDefinition) -> str:
    """Where a problem is, in words: "Trigger event", "Card “Welcome!”"."""
    if problem.step is None:
        return FLOW_FIELDS.get(problem.field, problem.field)
    step = definition.step(problem.step)
    if step is None:
        return f"Step {problem.step}"
    summary = step_summary(step, definition)
    return f"{short_label(step.kind)} {summary}" if summary.startswith("“") else summary


class ProblemsModel(ReadOnlyTableModel):
    HEADERS = ("Problem", "Where")

    def __init__(self, place: Callable[[Problem], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []
        self._place = place

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def set_problems(self, problems: list[Problem]) -> None:
        if problems == self._problems:
            return
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def row_total(self) -> int:
        return len(self._problems)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return problem.message if index.column() == 0 else self._place(problem)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            word = "Error" if problem.is_error else "Warning"
            return f"{word}: {problem.message} ({self._place(problem)})"
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            pixmap = QStyle.StandardPixmap.SP_MessageBoxCritical if problem.is_error \
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(pixmap)
        return None


class ProblemsPanel(QWidget):
    problem_activated = Signal(object)  # Problem

    def __init__(self, place: Callable[[Problem], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(place, self)
        self.heading = QLabel(self)
        self.heading.setObjectName("problemsHeading")
        self.view = QTreeView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        # a long message (e.g. which durations are accepted) wraps instead of being cut
        self.view.setWordWrap(True)
        self.view.setUniformRowHeights(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Problems")
        self.view.setToolTip("Click a problem (or press Enter) to go to it.")
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(self._activate)
        self.view.activated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)
        self.set_problems([])

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.problem_activated.emit(self.model.problem(index.row()))

    def set_problems(self, problems: list[Problem]) -> None:
        self.model.set_problems(problems)
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        if not problems:
            self.heading.setText("Problems: none")
        else:
            parts = [f"{errors} error{'s' if errors != 1 else ''}" if errors else "",
                     f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""]
            self.heading.setText("Problems: " + ", ".join(p for p in parts if p))
