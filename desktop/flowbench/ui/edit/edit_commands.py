"""The undoable command behind every edit: a before and an after snapshot.

Definitions are immutable, so a snapshot is two references; undo and redo just put one
back. Keystrokes in the same field merge into one command, so Ctrl+Z undoes a typed
word rather than a letter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from PySide6.QtGui import QUndoCommand

from flowbench.domain.definition import FlowDefinition


class Scope(StrEnum):
    """How much of the flow an edit touched (what the views must refresh)."""

    LOAD = "load"            # anything may have changed (a load, recovery)
    FLOW = "flow"            # name, description or trigger
    STEP = "step"            # one step's fields
    STRUCTURE = "structure"  # steps added, removed, moved or re-parented


@dataclass(frozen=True)
class EditChange:
    scope: Scope
    step_id: str | None = None
    field: str | None = None
    from_history: bool = False  # an undo or redo, not the edit as first made


@dataclass(frozen=True)
class EditorState:
    name: str
    definition: FlowDefinition


Apply = Callable[[EditorState, EditChange], None]
MERGEABLE = 1


class DefinitionEdit(QUndoCommand):
    """One edit. ``merge_key`` lets consecutive edits of the same field merge."""

    def __init__(self, apply: Apply, text: str, before: EditorState, after: EditorState,
                 change: EditChange, *, merge_key: tuple[str | None, ...] | None = None,
                 focus_after_undo: str | None = None) -> None:
        super().__init__(text)
        self._apply = apply
        self.before = before
        self.after = after
        self._change = change
        self._merge_key = merge_key
        self._focus_after_undo = focus_after_undo if focus_after_undo is not None \
            else change.step_id
        self._done_once = False

    def id(self) -> int:
        return MERGEABLE if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, DefinitionEdit) or other._merge_key != self._merge_key:
            return False
        self.after = other.after
        if self.after == self.before:
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self._apply(self.after, replace(self._change, from_history=self._done_once))
        self._done_once = True

    def undo(self) -> None:
        self._apply(self.before, replace(self._change, step_id=self._focus_after_undo,
                                         from_history=True))
