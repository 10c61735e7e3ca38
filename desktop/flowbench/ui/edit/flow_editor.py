"""The editing model: the flow being edited, its base version, and the undo stack.

Widgets never change the definition themselves: they call an edit method here, which
pushes a ``DefinitionEdit`` onto the QUndoStack. Every change — an edit, an undo, a
redo, a load — is announced once through ``changed`` with its ``EditChange``, and the
views refresh just what it names. The stack's clean state is "nothing unsaved".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from flowbench.domain.changes import FIELD_WORDS
from flowbench.domain.definition import (
    STEP_LABELS,
    FlowDefinition,
    StepKind,
    Trigger,
    condition_from_dict,
)
from flowbench.ui.edit import definition_edits as edits
from flowbench.ui.edit.edit_commands import DefinitionEdit, EditChange, EditorState, Scope

# the words of the change list, except that the editor's undo says "card", not "linked card"
FIELD_NAMES = {**FIELD_WORDS, "card": "card", "rule": "conditions"}
MERGING_FIELDS = {"title", "body", "expires_after", "priority", "duration", "timeout", "rule"}


@dataclass(frozen=True)
class EditBase:
    """The stored version the edits apply to (what a save names as expected)."""

    flow_id: int
    version: int
    revision: int
    is_draft: bool
    saved_name: str


def kind_label(kind: str) -> str:
    return STEP_LABELS[StepKind(kind)] if kind in set(StepKind) else kind


class FlowEditor(QObject):
    changed = Signal(object)  # EditChange

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack = QUndoStack(self)
        self._state = EditorState("", FlowDefinition())
        self._base: EditBase | None = None
        self.read_only = True
        self.removed_cards: dict[str, str] = {}  # step id → title of cards removed

    # --- state -------------------------------------------------------------------------
    @property
    def stack(self) -> QUndoStack:
        return self._stack

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def definition(self) -> FlowDefinition:
        return self._state.definition

    @property
    def base(self) -> EditBase | None:
        return self._base

    def is_dirty(self) -> bool:
        return not self._stack.isClean()

    def load(self, base: EditBase | None, name: str, definition: FlowDefinition) -> None:
        """Show another flow or version; forgets the undo history."""
        self._base = base
        self._stack.clear()
        self.removed_cards.clear()
        self._state = EditorState(name, definition)
        self.changed.emit(EditChange(Scope.LOAD))

    def mark_saved(self, base: EditBase) -> None:
        self._base = base
        self._stack.setClean()

    def rebase(self, base: EditBase) -> None:
        """Part of the edits was saved (a new revision), part was not: stay unsaved."""
        self._base = base

    def _apply(self, state: EditorState, change: EditChange) -> None:
        self._state = state
        self.changed.emit(change)

    def _push(self, text: str, after: EditorState, change: EditChange, *,
              merge_key: tuple[str | None, ...] | None = None,
              focus_after_undo: str | None = None) -> bool:
        if self.read_only or after == self._state:
            return False
        self._stack.push(DefinitionEdit(self._apply, text, self._state, after, change,
                                        merge_key=merge_key,
                                        focus_after_undo=focus_after_undo))
        return True

    def _with_definition(self, definition: FlowDefinition) -> EditorState:
        return replace(self._state, definition=definition)

    # --- flow-level edits ----------------------------------------------------------------
    def set_name(self, name: str) -> None:
        self._push("Rename flow", replace(self._state, name=name),
                   EditChange(Scope.FLOW, field="name"), merge_key=("flow", "name"))

    def set_description(self, text: str) -> None:
        self._push("Edit description", self._with_definition(
            self.definition.with_description(text)),
            EditChange(Scope.FLOW, field="description"), merge_key=("flow", "description"))

    def set_trigger_kind(self, kind: str) -> None:
        trigger = replace(self.definition.trigger, kind=kind)
        self._push("Change trigger", self._with_definition(self.definition.with_trigger(
            trigger)), EditChange(Scope.FLOW, field="trigger.kind"))

    def set_trigger_field(self, field: str, value: str | None) -> None:
        if field not in {"event", "segment"}:
            raise ValueError(f"unknown trigger field {field!r}")
        old = self.definition.trigger
        trigger = Trigger(old.kind, value or None, old.segment) if field == "event" \
            else Trigger(old.kind, old.event, value or None)
        self._push("Edit trigger", self._with_definition(self.definition.with_trigger(
            trigger)), EditChange(Scope.FLOW, field=f"trigger.{field}"),
            merge_key=("trigger", field))

    # --- step edits ----------------------------------------------------------------------
    def set_step_field(self, step_id: str, field: str, value: Any) -> None:
        """Change one field of a step. ``rule`` (a split's match and conditions, as
        ``(match, [condition dicts])``) changes both at once; a ``path`` change is
        structural: the parent's problems and the diagram's edges depend on it."""
        step = self.definition.step(step_id)
        if step is None:
            return
        if field == "rule":
            match, conditions = value
            changes: dict[str, Any] = {"match": match, "conditions": tuple(
                condition_from_dict(c) for c in conditions)}
        else:
            if field == "buttons":
                value = tuple(value)
            changes = {field: value}
        if all(getattr(step, name) == wanted for name, wanted in changes.items()):
            return
        text = f"Edit {kind_label(step.kind).lower()} {FIELD_NAMES.get(field, field)}"
        change = EditChange(Scope.STRUCTURE, step_id) if field == "path" \
            else EditChange(Scope.STEP, step_id, field)
        self._push(text, self._with_definition(self.definition.with_step(
            step.with_changes(**changes))), change,
            merge_key=("step", step_id, field) if field in MERGING_FIELDS else None)

    def add_child(self, kind: str, parent: str | None) -> str | None:
        definition, new_id = edits.add_child(self.definition, kind, parent)
        pushed = self._push(f"Add {kind_label(kind).lower()}", self._with_definition(
            definition), EditChange(Scope.STRUCTURE, new_id), focus_after_undo=parent or "")
        return new_id if pushed else None

    def add_sibling(self, kind: str, beside: str) -> str | None:
        definition, new_id = edits.add_sibling(self.definition, kind, beside)
        pushed = self._push(f"Add {kind_label(kind).lower()}", self._with_definition(
            definition), EditChange(Scope.STRUCTURE, new_id), focus_after_undo=beside)
        return new_id if pushed else None

    def remove_step(self, step_id: str, with_branch: bool = False) -> None:
        """Remove a step; its children move up to its parent, or with ``with_branch``
        they go too. Cards removed are remembered by title (``removed_cards``), so a
        step still pointing at one says which card it was."""
        step = self.definition.step(step_id)
        if step is None:
            return
        siblings = edits.sibling_ids(self.definition, step_id)
        position = siblings.index(step_id)
        # select what takes its place: the next sibling, else the previous, else the parent
        neighbours = siblings[position + 1:position + 2] or siblings[max(position - 1, 0):position]
        focus = neighbours[0] if neighbours else (step.parent or "")
        gone = {step_id} | (edits.descendants(self.definition, step_id) if with_branch
                            else set())
        for removed in gone:
            card = self.definition.step(removed)
            if card is not None and card.kind == StepKind.SEND_CARD and card.title:
                self.removed_cards[removed] = card.title
        after = edits.without_branch(self.definition, step_id) if with_branch \
            else self.definition.without_step(step_id)
        what = "branch" if with_branch and len(gone) > 1 else kind_label(step.kind).lower()
        self._push(f"Remove {what}", self._with_definition(after),
                   EditChange(Scope.STRUCTURE, focus), focus_after_undo=step_id)

    def move_step(self, step_id: str, offset: int) -> None:
        self._push("Move step " + ("up" if offset < 0 else "down"), self._with_definition(
            edits.move_among_siblings(self.definition, step_id, offset)),
            EditChange(Scope.STRUCTURE, step_id))

    def move_under(self, step_id: str, new_parent: str | None,
                   position: int | None = None) -> None:
        self._push("Move step", self._with_definition(edits.move_under(
            self.definition, step_id, new_parent, position)),
            EditChange(Scope.STRUCTURE, step_id))

    def replace_content(self, name: str, definition: FlowDefinition, text: str) -> None:
        """Swap in whole content (e.g. recovered edits) as one undoable edit."""
        self._push(text, EditorState(name, definition), EditChange(Scope.LOAD))
