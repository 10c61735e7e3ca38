"""The steps tree with its toolbar: add (as next step or as a parallel branch), remove,
move up/down and move under another step; drag and drop re-parents too.

Keys (while the tree has focus): Delete removes, Ctrl+Up/Ctrl+Down move, Insert adds.
The panel only forwards intent to the editor and keeps the selection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.definition import STEP_LABELS
from flowbench.ui.edit.definition_edits import can_move_under
from flowbench.ui.edit.flow_editor import FlowEditor
from flowbench.ui.edit.step_style import kind_icon, step_summary
from flowbench.ui.edit.step_tree_model import StepTreeModel


class StepTreePanel(QWidget):
    step_selected = Signal(object)  # step id or None

    def __init__(self, editor: FlowEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.remove_handler: Callable[[str], object] | None = None
        self.model = StepTreeModel(self)
        self.model.move_requested.connect(self._move_dropped, Qt.ConnectionType.QueuedConnection)
        self.tree = QTreeView(self)
        self.tree.setTabKeyNavigation(False)  # Tab leaves; arrows move
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Steps")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self._build_actions()
        self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.tree)
        self.update_actions()

    # --- actions ---------------------------------------------------------------------------
    def _action(self, text: str, keys: QKeySequence | None, slot: object) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.add_menu = QMenu("Add Step", self)
        self.add_menu.setToolTipsVisible(True)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.remove_action = self._action("Remove", QKeySequence(QKeySequence.StandardKey.Delete),
                                          self.remove_selected)
        self.up_action = self._action("Move up", QKeySequence("Ctrl+Up"),
                                      lambda: self.move_selected(-1))
        self.down_action = self._action("Move down", QKeySequence("Ctrl+Down"),
                                        lambda: self.move_selected(1))
        self.add_key = self._action("Add Step", QKeySequence("Insert"), self._popup_add_menu)
        self.under_menu = QMenu("Move Under", self)
        self.under_menu.aboutToShow.connect(self._fill_under_menu)

    def _tool_button(self, text: str, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(False)
        self._toolbar.addWidget(button)
        return button

    def _build_toolbar(self) -> None:
        self._toolbar = QHBoxLayout()
        self._toolbar.setSpacing(4)
        self.add_button = self._tool_button("Add Step", "Add step",
                                            "Add a step after the selected one, or as a "
                                            "parallel branch (Insert)")
        self.add_key.setMenu(self.add_menu)  # the button shows the menu; Insert pops it up
        self.add_key.setToolTip(self.add_button.toolTip())
        self.add_button.setDefaultAction(self.add_key)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove_button = self._tool_button("Remove", "Remove step",
                                               "Remove the selected step; with steps after "
                                               "it, asks whether they go too (Delete)")
        self.remove_action.setToolTip(self.remove_button.toolTip())
        self.remove_button.setDefaultAction(self.remove_action)
        self.up_button = self._tool_button("▲", "Move step up", "Move up among its "
                                           "siblings (Ctrl+Up)")
        self.up_action.setIconText("▲")
        self.up_action.setToolTip(self.up_button.toolTip())
        self.up_button.setDefaultAction(self.up_action)
        self.down_button = self._tool_button("▼", "Move step down", "Move down among its "
                                             "siblings (Ctrl+Down)")
        self.down_action.setIconText("▼")
        self.down_action.setToolTip(self.down_button.toolTip())
        self.down_button.setDefaultAction(self.down_action)
        self.under_button = self._tool_button("&Move Under", "Move step under",
                                              "Run the selected step after another step")
        self.under_button.setMenu(self.under_menu)
        self.under_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._toolbar.addStretch(1)

    def _fill_add_menu(self) -> None:
        menu = self.add_menu
        menu.clear()
        selected = self.selected_step()
        step = self._editor.definition.step(selected) if selected else None
        where = f"after {step_summary(step, self._editor.definition)}" if step \
            else "right after the trigger"
        menu.addSection(f"Next step — {where}")
        for kind, label in STEP_LABELS.items():
            action = menu.addAction(kind_icon(kind.value), label)
            action.setData(f"child:{kind.value}")
            action.triggered.connect(lambda _=False, k=kind.value: self.add_step(k, True))
        if step is not None:
            menu.addSection("Parallel branch — beside it")
            for kind, label in STEP_LABELS.items():
                action = menu.addAction(kind_icon(kind.value), label)
                action.setData(f"sibling:{kind.value}")
                action.setToolTip(f"Runs at the same time as the selected step: {label}")
                action.triggered.connect(lambda _=False, k=kind.value: self.add_step(k, False))

    def _popup_add_menu(self) -> None:
        self.add_menu.popup(self.tree.mapToGlobal(self.tree.visualRect(
            self.tree.currentIndex()).bottomLeft()))

    def _fill_under_menu(self) -> None:
        menu = self.under_menu
        menu.clear()
        moving = self.selected_step()
        definition = self._editor.definition
        if moving is None:
            return
        step = definition.step(moving)
        if step is None:
            return
        targets: list[tuple[str | None, str, str]] = [(None, "trigger",
                                                       "The trigger (runs first)")]
        for step_id in self.model.step_ids_in_order():
            other = definition.step(step_id)
            if other is not None:
                targets.append((step_id, other.kind, step_summary(other, definition)))
        for target, kind, text in targets:
            if target == step.parent or not can_move_under(definition, moving, target):
                continue
            action = menu.addAction(kind_icon(kind), text)
            action.triggered.connect(lambda _=False, t=target: self._editor.move_under(moving, t))

    # --- intent ----------------------------------------------------------------------------
    def add_step(self, kind: str, as_child: bool) -> str | None:
        selected = self.selected_step()
        if selected is None or as_child:
            new_id = self._editor.add_child(kind, selected)
        else:
            new_id = self._editor.add_sibling(kind, selected)
        if new_id:
            self.select_step(new_id)
        return new_id

    def share_keys(self, widget: QWidget) -> None:
        """Insert (add a step) and Delete (remove the selected step) also work while
        focus is anywhere in ``widget`` (the step's form). A text field keeps Delete
        for its text: Qt lets it override the shortcut."""
        widget.addActions([self.add_key, self.remove_action])

    def remove_selected(self) -> None:
        selected = self.selected_step()
        if selected is None:
            return
        if self.remove_handler is not None:
            self.remove_handler(selected)  # asks first when the step has steps after it
        else:
            self._editor.remove_step(selected)

    def move_selected(self, offset: int) -> None:
        selected = self.selected_step()
        if selected is not None:
            self._editor.move_step(selected, offset)

    def _move_dropped(self, step_id: str, new_parent: str | None, position: int | None) -> None:
        self._editor.move_under(step_id, new_parent, position)

    # --- selection and state -----------------------------------------------------------------
    def selected_step(self) -> str | None:
        return self.model.step_id(self.tree.currentIndex())

    def select_step(self, step_id: str | None) -> None:
        index = self.model.index_of(step_id)
        if not index.isValid():
            self.tree.selectionModel().clearSelection()
            self.tree.setCurrentIndex(QModelIndex())
            return
        self.tree.scrollTo(index)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.update_actions()
        self.step_selected.emit(self.model.step_id(current))

    def set_editable(self, editable: bool) -> None:
        self.model.editable = editable
        self.tree.setDragEnabled(editable)
        self.tree.setAcceptDrops(editable)
        self.update_actions()

    def update_actions(self) -> None:
        editable = self.model.editable
        selected = self.selected_step()
        siblings_position = self._sibling_position(selected)
        self.add_button.setEnabled(editable)
        self.add_key.setEnabled(editable)
        self.remove_action.setEnabled(editable and selected is not None)
        self.up_action.setEnabled(editable and siblings_position[0] > 0)
        self.down_action.setEnabled(editable and 0 <= siblings_position[0]
                                    < siblings_position[1] - 1)
        self.up_button.setEnabled(self.up_action.isEnabled())
        self.down_button.setEnabled(self.down_action.isEnabled())
        self.under_button.setEnabled(editable and selected is not None)

    def _sibling_position(self, step_id: str | None) -> tuple[int, int]:
        index = self.model.index_of(step_id)
        if not index.isValid():
            return -1, 0
        return index.row(), self.model.rowCount(index.parent())
