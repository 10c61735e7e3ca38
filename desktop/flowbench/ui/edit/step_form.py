"""The form for the selected step: a header saying what it is, then its kind's page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from flowbench.domain.validation import Problem
from flowbench.ui.edit.field_marks import mark_field
from flowbench.ui.edit.flow_editor import FlowEditor, kind_label
from flowbench.ui.edit.step_pages import PAGE_TYPES, StepPage
from flowbench.ui.edit.step_style import kind_icon, step_summary


class StepForm(QWidget):
    def __init__(self, editor: FlowEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._step_id: str | None = None
        self.icon = QLabel(self)
        self.icon.setFixedSize(24, 24)
        self.heading = QLabel(self)
        self.heading.setObjectName("stepHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        self.position = QLabel(self)
        self.position.setEnabled(False)
        self.position.setWordWrap(True)
        self.position.setAccessibleName("Where the step runs")
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.icon)
        header.addWidget(self.heading, 1)
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.stack.addWidget(self.empty)
        self.pages: dict[str, StepPage] = {}
        for kind, page_type in PAGE_TYPES.items():
            page = page_type(self._edit, self.stack)
            self.pages[kind] = page
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(header)
        layout.addWidget(self.position)
        layout.addSpacing(6)
        layout.addWidget(self.stack)
        layout.addStretch(1)
        self.show_step(None)

    @property
    def step_id(self) -> str | None:
        return self._step_id

    def page(self) -> StepPage | None:
        current = self.stack.currentWidget()
        return current if isinstance(current, StepPage) else None

    def _edit(self, field: str, value: Any) -> None:
        if self._step_id is not None:
            self._editor.set_step_field(self._step_id, field, value)

    def show_step(self, step_id: str | None) -> None:
        self._step_id = step_id
        self.refresh()

    def refresh(self) -> None:
        """Show the step's current values (after any edit, undo or redo)."""
        definition = self._editor.definition
        step = definition.step(self._step_id) if self._step_id else None
        if step is None:
            self._step_id = None
            self.icon.clear()
            self.heading.setText("No step selected" if definition.steps else "No steps yet")
            self.position.setText("")
            self.empty.setText("Select a step in the tree or the diagram to edit it."
                               if definition.steps else
                               "Add the first step with “Add step” above the tree.")
            self.stack.setCurrentWidget(self.empty)
            return
        self.icon.setPixmap(kind_icon(step.kind).pixmap(24, 24))
        self.heading.setText(kind_label(step.kind))
        parent = definition.step(step.parent) if step.parent else None
        after = "right after the trigger" if step.parent is None else \
            f"after {step_summary(parent, definition)}" if parent else \
            f"after “{step.parent}”, which does not exist"
        self.position.setText(f"Step {step.id} · runs {after}")
        page = self.pages.get(step.kind)
        if page is None:
            self.empty.setText(f"Flowbench does not know the step kind “{step.kind}”. "
                               "Remove the step or replace it.")
            self.stack.setCurrentWidget(self.empty)
            return
        page.show_step(step, definition)
        if self.stack.currentWidget() is not page:
            self.stack.setCurrentWidget(page)

    def set_read_only(self, read_only: bool) -> None:
        for page in self.pages.values():
            page.set_read_only(read_only)

    def show_problems(self, problems: list[Problem]) -> None:
        page = self.page()
        if page is not None:
            page.show_problems(problems)
        tree_problems = [p for p in problems if p.field in {"id", "parent", "kind"}]
        mark_field(self.position, tree_problems)

    def focus_field(self, field: str) -> bool:
        page = self.page()
        return page.focus_field(field) if page is not None else False
