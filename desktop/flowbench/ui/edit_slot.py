"""Where the Edit tab plugs into the main window, and what the shell expects of it.

The Edit tab (``flowbench.ui.edit.edit_tab.EditTab``) is built separately; the shell
relies only on ``EditTabLike``. Without the module a placeholder with the same
interface stands in, so the shell runs on its own.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession

log = logging.getLogger(__name__)


@runtime_checkable
class EditTabLike(Protocol):
    """``EditTab(session, parent=None, prompts=None)``; also signals ``saved(int)``
    (flow id, after a save) and, optionally, ``dirty_changed(bool)``."""

    def show_flow(self, flow_id: int | None) -> None: ...

    def has_unsaved_changes(self) -> bool: ...

    def save(self) -> bool: ...

    def discard_changes(self) -> None: ...

    def undo_stack(self) -> QUndoStack: ...


class EditPlaceholder(QWidget):
    """Stands in for the Edit tab when it is not installed."""

    saved = Signal(int)
    dirty_changed = Signal(bool)

    def __init__(self, session: AppSession, parent: QWidget | None = None,
                 prompts: Prompts | None = None) -> None:
        super().__init__(parent)
        self._stack = QUndoStack(self)
        self.label = QLabel("The Edit tab is not available in this build.", self)
        self.label.setObjectName("emptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self.label)

    def show_flow(self, flow_id: int | None) -> None:
        pass

    def has_unsaved_changes(self) -> bool:
        return False

    def save(self) -> bool:
        return True

    def discard_changes(self) -> None:
        pass

    def undo_stack(self) -> QUndoStack:
        return self._stack


def create_edit_tab(session: AppSession, parent: QWidget, prompts: Prompts) -> Any:
    """The real Edit tab if it is there, else the placeholder."""
    try:
        module = importlib.import_module("flowbench.ui.edit.edit_tab")
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("flowbench.ui.edit"):
            raise
        log.warning("the Edit tab is not available: %s", exc)
        return EditPlaceholder(session, parent, prompts)
    edit_tab = module.EditTab
    if "prompts" in inspect.signature(edit_tab).parameters:
        return edit_tab(session, parent, prompts=prompts)
    return edit_tab(session, parent)  # an Edit tab that asks its own questions
