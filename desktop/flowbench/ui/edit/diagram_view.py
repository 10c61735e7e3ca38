"""The flow diagram: the trigger on top, then the step tree downwards, branches side by side.

Laid out as a tidy tree: each subtree is as wide as its children together, a parent sits
centred over its children. The scene is rebuilt only on structural changes; field edits
and problem marks update single nodes. Selecting a node announces ``step_selected``
(None for the trigger); ``select_step`` follows the tree's selection without echoing.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from flowbench.domain.changes import describe_trigger
from flowbench.domain.definition import PATHS_BY_PARENT_KIND, FlowDefinition, Step, TriggerKind
from flowbench.domain.flow_summary import path_label
from flowbench.domain.validation import Problem
from flowbench.ui.edit.definition_edits import display_tree
from flowbench.ui.edit.diagram_items import NODE_HEIGHT, NODE_WIDTH, Connectors, FlowNode
from flowbench.ui.edit.step_style import short_label, step_summary

H_GAP = 16.0
V_GAP = 34.0
MARGIN = 16.0


class FlowDiagram(QGraphicsView):
    step_selected = Signal(object)  # a step id, or None for the trigger

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.AlternateBase))
        self.setAccessibleName("Flow diagram")
        self.setToolTip("")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nodes: dict[str, FlowNode] = {}
        self.trigger_node: FlowNode | None = None
        self._connectors: list[QGraphicsPathItem] = []
        self.edge_labels: dict[str, QGraphicsSimpleTextItem] = {}  # by the child's id
        self._quiet = False
        self._zoomed = False  # the member zoomed: stop fitting the width automatically
        self.scene().selectionChanged.connect(self._on_selection)

    # --- building -------------------------------------------------------------------------
    def rebuild(self, definition: FlowDefinition) -> None:
        """Lay the tree out again, reusing the nodes of steps that are still there."""
        self._quiet = True
        scene = self.scene()
        for item in self._connectors:
            scene.removeItem(item)
        for label in self.edge_labels.values():
            scene.removeItem(label)
        self.edge_labels = {}
        steps: dict[str, Step] = {}
        for step in definition.steps:
            steps.setdefault(step.id, step)
        for gone in set(self.nodes) - set(steps):
            scene.removeItem(self.nodes.pop(gone))
        children, _ = display_tree(definition)
        widths = self._subtree_widths(children)
        trigger_width = widths.get(None, NODE_WIDTH)
        if self.trigger_node is None:
            self.trigger_node = FlowNode(None, "trigger", "Trigger", "")
            scene.addItem(self.trigger_node)
        self.trigger_node.set_content(*_trigger_text(definition))
        self.trigger_node.setPos(trigger_width / 2 - NODE_WIDTH / 2, 0)
        connectors = Connectors(V_GAP)
        # place subtrees left to right, depth first, without recursion
        pending: list[tuple[str | None, float, int]] = [(None, 0.0, 0)]
        centres: dict[str | None, QPointF] = {None: QPointF(trigger_width / 2, 0)}
        while pending:
            parent, left, depth = pending.pop()
            kids = children.get(parent, [])
            if not kids:
                continue
            total = sum(widths[k] for k in kids) + H_GAP * (len(kids) - 1)
            x = left + (widths.get(parent, total) - total) / 2
            y = (depth + 1) * (NODE_HEIGHT + V_GAP)
            tops = []
            for kid in kids:
                centre = x + widths[kid] / 2
                self._place(kid, steps[kid], definition, QPointF(centre - NODE_WIDTH / 2, y))
                centres[kid] = QPointF(centre, y)
                tops.append(QPointF(centre, y))
                self._label_edge(steps.get(parent) if parent else None, steps[kid],
                                 QPointF(centre, y))
                pending.append((kid, x, depth + 1))
                x += widths[kid] + H_GAP
            above = centres[parent]
            connectors.add(QPointF(above.x(), above.y() + NODE_HEIGHT), tops)
        self._connectors = connectors.items()
        for item in self._connectors:
            scene.addItem(item)
        rect = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        scene.setSceneRect(rect)
        self._fit_width()
        self._quiet = False

    def _label_edge(self, parent: Step | None, child: Step, top: QPointF) -> None:
        """'submitted' / 'otherwise', 'yes' / 'no' on the edge into a child of a card wait
        or a decision split, just above the child."""
        if parent is None or parent.kind not in PATHS_BY_PARENT_KIND:
            return
        label = QGraphicsSimpleTextItem(path_label(parent, child.path))
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setItalic(True)
        label.setFont(font)
        label.setBrush(QBrush(self.palette().color(QPalette.ColorRole.Text)))
        height = label.boundingRect().height()
        label.setPos(top.x() + 5, top.y() - height - 2)
        label.setZValue(2)
        self.scene().addItem(label)
        self.edge_labels[child.id] = label

    def _place(self, step_id: str, step: Step, definition: FlowDefinition,
               where: QPointF) -> None:
        node = self.nodes.get(step_id)
        if node is None or node.kind != step.kind:
            if node is not None:
                self.scene().removeItem(node)
            node = FlowNode(step_id, step.kind, short_label(step.kind),
                            step_summary(step, definition))
            self.scene().addItem(node)
            self.nodes[step_id] = node
        else:
            node.set_content(short_label(step.kind), step_summary(step, definition))
        node.setPos(where)

    @staticmethod
    def _subtree_widths(children: dict[str | None, list[str]]) -> dict[str | None, float]:
        order: list[str | None] = []
        pending: list[str | None] = [None]
        while pending:
            current = pending.pop()
            order.append(current)
            pending.extend(children.get(current, []))
        widths: dict[str | None, float] = {}
        for current in reversed(order):  # children before parents
            kids = children.get(current, [])
            spread = sum(widths[k] for k in kids) + H_GAP * (len(kids) - 1) if kids else 0.0
            widths[current] = max(NODE_WIDTH, spread)
        return widths

    # --- updates ------------------------------------------------------------------------------
    def update_steps(self, definition: FlowDefinition, step_ids: Iterable[str]) -> None:
        for step_id in step_ids:
            node = self.nodes.get(step_id)
            step = definition.step(step_id)
            if node is not None and step is not None:
                node.set_content(short_label(step.kind), step_summary(step, definition))
            if step is not None and step.kind in PATHS_BY_PARENT_KIND:
                for child in definition.children(step.id):  # "submitted" may now be "closed"
                    label = self.edge_labels.get(child.id)
                    if label is not None:
                        label.setText(path_label(step, child.path))

    def update_trigger(self, definition: FlowDefinition) -> None:
        if self.trigger_node is not None:
            self.trigger_node.set_content(*_trigger_text(definition))

    def set_problems(self, step_id: str | None, problems: list[Problem]) -> None:
        node = self.trigger_node if step_id is None else self.nodes.get(step_id)
        if node is not None:
            node.set_problems(problems)

    # --- selection ----------------------------------------------------------------------------
    def selected_step(self) -> str | None:
        for item in self.scene().selectedItems():
            if isinstance(item, FlowNode):
                return item.step_id
        return None

    def select_step(self, step_id: str | None) -> None:
        """Follow a selection made elsewhere (no ``step_selected`` echo)."""
        node = self.nodes.get(step_id) if step_id else None
        self._quiet = True
        try:
            self.scene().clearSelection()
            if node is not None:
                node.setSelected(True)
                self.ensureVisible(node, 24, 24)
        finally:
            self._quiet = False

    def _on_selection(self) -> None:
        if self._quiet:
            return
        items = [i for i in self.scene().selectedItems() if isinstance(i, FlowNode)]
        if items:
            self.step_selected.emit(items[0].step_id)

    def _fit_width(self) -> None:
        """Shrink (never enlarge) so that a few branches fit side by side."""
        if self._zoomed:
            return
        width = self.sceneRect().width()
        available = self.viewport().width() - 4
        scale = max(0.6, min(1.0, available / width)) if width > 0 else 1.0
        self.setTransform(QTransform.fromScale(scale, scale))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_width()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Follow a light/dark switch: the background and the connector lines."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.AlternateBase))
            colour = Connectors.colour()
            for item in self._connectors:
                if item.pen().style() == Qt.PenStyle.NoPen:
                    item.setBrush(QBrush(colour))
                else:
                    item.setPen(QPen(colour, item.pen().widthF()))
            self.scene().update()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - zoom with Ctrl+wheel
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            scale = self.transform().m11() * factor
            if 0.3 <= scale <= 2.5:
                self._zoomed = True
                self.scale(factor, factor)
            event.accept()
            return
        super().wheelEvent(event)

    def node_rect(self, step_id: str) -> QRectF:
        node = self.nodes[step_id]
        return node.mapRectToScene(QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT))


def _trigger_text(definition: FlowDefinition) -> tuple[str, str]:
    """The trigger node's caption and summary: "API event" / "trial.started"."""
    trigger = definition.trigger
    if trigger.kind == TriggerKind.API_EVENT:
        return "Trigger · API event", trigger.event or "(no event name)"
    if trigger.kind == TriggerKind.SEGMENT_ENTERED:
        return "Trigger · enters segment", trigger.segment or "(no segment)"
    if trigger.kind == TriggerKind.MANUAL:
        return "Trigger · manual", "Started by a member"
    return "Trigger", describe_trigger(trigger)
