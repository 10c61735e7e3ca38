"""The form for the selected step: a header saying what it is, then its kind's page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.definition import PATHS_BY_PARENT_KIND, Step
from flowbench.domain.flow_summary import path_label
from flowbench.domain.validation import Problem
from flowbench.ui.edit.field_marks import mark_field
from flowbench.ui.edit.flow_editor import FlowEditor, kind_label
from flowbench.ui.edit.step_pages import PAGE_TYPES, StepPage, compact, fill_combo
from flowbench.ui.edit.step_style import kind_icon, step_summary
from flowbench.ui.kit.labels import label, placeholder


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
        self.position = label(self, name="Where the step runs", wrap=True, muted=True)
        self.path_caption = QLabel("&Path:", self)
        self.path = compact(QComboBox(self))
        self.path.setAccessibleName("Path the step is on")
        self.path.setToolTip("Which of the previous step's paths this step runs on.")
        self.path.activated.connect(lambda i: self._edit("path", self.path.itemData(i)))
        self.path_caption.setBuddy(self.path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_caption)
        path_row.addWidget(self.path, 1)
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.icon)
        header.addWidget(self.heading, 1)
        self.stack = QStackedWidget(self)
        self.empty = placeholder(self)
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
        layout.addLayout(path_row)
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
            self._show_path(None, None)
            self.empty.setText("Select a step in the tree or the diagram to edit it."
                               if definition.steps else
                               "Add the first step with “Add Step” above the tree.")
            self.stack.setCurrentWidget(self.empty)
            return
        self.icon.setPixmap(kind_icon(step.kind).pixmap(24, 24))
        self.heading.setText(kind_label(step.kind))
        parent = definition.step(step.parent) if step.parent else None
        after = "right after the trigger" if step.parent is None else \
            f"after {step_summary(parent, definition)}" if parent else \
            f"after “{step.parent}”, which does not exist"
        self.position.setText(f"Step {step.id} · runs {after}" + _on_path(parent, step))
        self._show_path(parent, step)
        page = self.pages.get(step.kind)
        if page is None:
            self.empty.setText(f"Flowbench does not know the step kind “{step.kind}”. "
                               "Remove the step or replace it.")
            self.stack.setCurrentWidget(self.empty)
            return
        page.show_step(step, definition)
        if self.stack.currentWidget() is not page:
            self.stack.setCurrentWidget(page)

    def _show_path(self, parent: Step | None, step: Step | None) -> None:
        """The path chooser, for a step right after a card wait or a decision split."""
        offered = PATHS_BY_PARENT_KIND.get(parent.kind) if parent is not None else None
        visible = offered is not None and step is not None
        self.path.setVisible(visible)
        self.path_caption.setVisible(visible)
        if parent is None or step is None or offered is None:
            return
        items: list[tuple[str, str | None]] = [
            (_path_item(parent, path), path) for path in offered]
        fill_combo(self.path, items, step.path, "{} (not a path here)")

    def set_read_only(self, read_only: bool) -> None:
        self.path.setEnabled(not read_only)
        for page in self.pages.values():
            page.set_read_only(read_only)

    def show_problems(self, problems: list[Problem]) -> None:
        page = self.page()
        if page is not None:
            page.show_problems(problems)
        tree_problems = [p for p in problems if p.field in {"id", "parent", "kind"}]
        mark_field(self.position, tree_problems)
        mark_field(self.path, [p for p in problems if p.field == "path"])

    def focus_field(self, field: str) -> bool:
        if field == "path" and self.path.isVisible():
            self.path.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        page = self.page()
        return page.focus_field(field) if page is not None else False


def _on_path(parent: Step | None, step: Step) -> str:
    """' · on the “otherwise” path' for a step on one of its parent's paths."""
    if parent is None or parent.kind not in PATHS_BY_PARENT_KIND:
        return ""
    return f" · on the “{path_label(parent, step.path)}” path"


def _path_item(parent: Step, path: str | None) -> str:
    label = path_label(parent, path)
    if path == "otherwise":
        return "Otherwise — on timeout, or when the card closes another way"
    if path in ("yes", "no"):
        who = "match" if path == "yes" else "do not match"
        return f"{label.capitalize()} — customers who {who}"
    return f"{label.capitalize()} — when the card is {label}"
