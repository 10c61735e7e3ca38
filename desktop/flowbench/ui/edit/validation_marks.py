"""Validation as you type: collect what changed, re-check it shortly after, mark problems.

Edits only note what they touched; ~150 ms after the last one (or at once, through
``validate_now``) the tracker re-checks just that, and only the marks whose problems
changed are redrawn — in the flow form, the tree, the diagram, the step form and the
problems list.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QObject, QTimer, Signal

from flowbench.domain.validation import Problem
from flowbench.ui.edit.diagram_view import FlowDiagram
from flowbench.ui.edit.edit_commands import EditChange, Scope
from flowbench.ui.edit.flow_editor import FlowEditor
from flowbench.ui.edit.flow_form import FlowForm
from flowbench.ui.edit.problem_tracker import ProblemTracker
from flowbench.ui.edit.problems_panel import ProblemsPanel
from flowbench.ui.edit.step_form import StepForm
from flowbench.ui.edit.step_tree_model import StepTreeModel

DEBOUNCE_MS = 150


class ValidationMarks(QObject):
    validated = Signal()

    def __init__(self, editor: FlowEditor, *, flow_form: FlowForm, tree: StepTreeModel,
                 diagram: FlowDiagram, step_form: StepForm, problems: ProblemsPanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._flow_form = flow_form
        self._tree = tree
        self._diagram = diagram
        self._step_form = step_form
        self._problems = problems
        self.tracker = ProblemTracker()
        self.tracker.removed_cards = editor.removed_cards  # shared: kept by the editor
        self._all = True
        self._flow = False
        self._steps: set[str] = set()
        self._order: list[str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.validate_now)

    def set_segments(self, segments: Collection[str],
                     attributes: Collection[str] | None = None) -> None:
        self.tracker.set_segments(segments)
        self.tracker.set_attributes(attributes)
        self._all = True

    def note(self, change: EditChange) -> None:
        """An edit happened: remember what to re-check and start the short wait."""
        if change.scope in (Scope.LOAD, Scope.STRUCTURE):
            self._all = True
            self._order = None
        elif change.scope == Scope.FLOW:
            self._flow = self._flow or change.field != "description"
        elif change.step_id:
            self._steps.add(change.step_id)
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._all or self._flow or bool(self._steps)

    def validate_now(self) -> None:
        self._timer.stop()
        if not self.pending:
            return
        name, definition = self._editor.name, self._editor.definition
        tracker = self.tracker
        if self._all:
            changed = tracker.revalidate_all(name, definition)
        else:
            changed = tracker.revalidate_flow(name, definition) if self._flow else set()
            for step_id in self._steps:
                changed |= tracker.revalidate_step(name, definition, step_id)
        everything = self._all
        self._all, self._flow, self._steps = False, False, set()
        self._show(changed)
        if everything:
            self.paint_diagram()
        self.validated.emit()

    def _show(self, changed: set[str | None]) -> None:
        for key in changed:
            problems = self.tracker.for_key(key)
            if key is None:
                self._flow_form.show_problems(problems)
                self._diagram.set_problems(None, [p for p in problems
                                                  if p.field.startswith("trigger")])
            else:
                self._tree.set_problems(key, problems)
                self._diagram.set_problems(key, problems)
                if key == self._step_form.step_id:
                    self._step_form.show_problems(problems)
        self._problems.set_problems(self.ordered())

    def paint_diagram(self) -> None:
        """After the diagram was rebuilt: put every known mark back on its nodes."""
        trigger = [p for p in self.tracker.for_key(None) if p.field.startswith("trigger")]
        self._diagram.set_problems(None, trigger)
        for step_id in self._diagram.nodes:
            self._diagram.set_problems(step_id, self.tracker.for_key(step_id))

    def show_step_marks(self) -> None:
        """The step form switched to another step: mark that step's fields."""
        step_id = self._step_form.step_id
        self._step_form.show_problems(self.tracker.for_key(step_id) if step_id else [])

    def ordered(self) -> list[Problem]:
        """Flow problems first, then steps in the order the tree shows them."""
        if self._order is None:
            self._order = self._tree.step_ids_in_order()
        result = list(self.tracker.for_key(None))
        for step_id in self._order:
            result.extend(self.tracker.for_key(step_id))
        return result
