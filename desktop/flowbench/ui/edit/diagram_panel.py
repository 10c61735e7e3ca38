"""The diagram with its own small tool bar: zoom out, the zoom, zoom in, fit to view, and
"Larger Diagram", which gives the diagram the step form's space (the Edit tab hides the
form while it is on).

The actions carry shortcuts for the whole Edit tab (Ctrl++, Ctrl+-, Ctrl+0 and
Ctrl+Shift+D); the main window's View menu lists the same actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from flowbench.ui.edit.diagram_view import ZOOM_STEP, FlowDiagram
from flowbench.ui.icons import icon


def _action(parent: QWidget, text: str, icon_name: str, shortcuts: list[QKeySequence],
            tip: str) -> QAction:
    action = QAction(icon(icon_name), text, parent)
    action.setShortcuts(shortcuts)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    keys = shortcuts[0].toString(QKeySequence.SequenceFormat.NativeText) if shortcuts else ""
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    return action


class DiagramPanel(QWidget):
    enlarge_toggled = Signal(bool)  # True: the diagram takes the step form's space

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagramPanel")
        self.diagram = FlowDiagram(self)
        standard = QKeySequence.StandardKey
        self.zoom_out_action = _action(self, "Zoom &Out", "zoom-out",
                                       [QKeySequence(standard.ZoomOut),
                                        QKeySequence("Ctrl+-")], "Zoom the diagram out")
        self.zoom_in_action = _action(self, "Zoom &In", "zoom-in",
                                      [QKeySequence(standard.ZoomIn), QKeySequence("Ctrl+="),
                                       QKeySequence("Ctrl++")], "Zoom the diagram in")
        self.fit_action = _action(self, "&Fit Diagram to View", "zoom-fit",
                                  [QKeySequence("Ctrl+0")], "Show the whole flow")
        self.enlarge_action = _action(self, "Lar&ger Diagram", "diagram-expand",
                                      [QKeySequence("Ctrl+Shift+D")],
                                      "Give the diagram the step form's space")
        self.enlarge_action.setCheckable(True)
        self.zoom_out_action.triggered.connect(lambda: self.diagram.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_action.triggered.connect(lambda: self.diagram.zoom_by(ZOOM_STEP))
        self.fit_action.triggered.connect(self.diagram.fit_to_view)
        self.enlarge_action.toggled.connect(self.enlarge_toggled)

        self.zoom_label = QLabel("100%", self)
        self.zoom_label.setObjectName("subtle")
        self.zoom_label.setAccessibleName("Diagram zoom")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("300%"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.diagram.zoom_changed.connect(
            lambda scale: self.zoom_label.setText(f"{round(scale * 100)}%"))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 2)
        bar.setSpacing(2)
        title = QLabel("Diagram", self)
        title.setObjectName("subtle")
        bar.addWidget(title)
        bar.addStretch(1)
        self.buttons: dict[str, QToolButton] = {}
        for name, action in (("zoom_out", self.zoom_out_action), ("zoom", None),
                             ("zoom_in", self.zoom_in_action), ("fit", self.fit_action),
                             ("enlarge", self.enlarge_action)):
            if action is None:
                bar.addWidget(self.zoom_label)
                continue
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setAccessibleName(action.statusTip())
            bar.addWidget(button)
            self.buttons[name] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.diagram, 1)
        for action in self.actions_for_menu():
            self.addAction(action)

    def actions_for_menu(self) -> list[QAction]:
        return [self.zoom_in_action, self.zoom_out_action, self.fit_action,
                self.enlarge_action]
