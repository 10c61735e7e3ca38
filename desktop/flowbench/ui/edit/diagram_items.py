"""What the flow diagram is drawn with: a node per step (and the trigger), and connectors."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from flowbench.domain.validation import Problem, Severity
from flowbench.ui.edit.field_marks import worst
from flowbench.ui.edit.step_style import accent, kind_icon, severity_colour

NODE_WIDTH = 176.0
NODE_HEIGHT = 54.0
RADIUS = 8.0


class FlowNode(QGraphicsItem):
    """A rounded box: kind icon and caption above a one-line summary; problems in colour.

    ``step_id`` is None for the trigger node.
    """

    def __init__(self, step_id: str | None, kind: str, caption: str, summary: str) -> None:
        super().__init__()
        self.step_id = step_id
        self.kind = kind
        self.caption = caption
        self.summary = summary
        self.problems: list[Problem] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._refresh_tooltip()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-3, -9, NODE_WIDTH + 12, NODE_HEIGHT + 12)

    def set_content(self, caption: str, summary: str) -> None:
        if (caption, summary) != (self.caption, self.summary):
            self.caption, self.summary = caption, summary
            self._refresh_tooltip()
            self.update()

    def set_problems(self, problems: list[Problem]) -> None:
        if problems != self.problems:
            self.problems = problems
            self._refresh_tooltip()
            self.update()

    def _refresh_tooltip(self) -> None:
        lines = [f"{self.caption}: {self.summary}"]
        lines += [f"• {p.message}" for p in self.problems]
        self.setToolTip("\n".join(lines))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        palette = QApplication.palette()
        box = QRectF(0, 0, NODE_WIDTH, NODE_HEIGHT)
        severity = worst(self.problems)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # card body and kind stripe
        outline = QPainterPath()
        outline.addRoundedRect(box, RADIUS, RADIUS)
        painter.fillPath(outline, palette.color(QPalette.ColorRole.Base))
        painter.save()
        painter.setClipPath(outline)
        painter.fillRect(QRectF(0, 0, 5, NODE_HEIGHT), accent(self.kind))
        painter.restore()
        # frame: problems first, then selection, else a quiet line
        if self.isSelected():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2.4)
        elif severity is not None:
            pen = QPen(severity_colour(severity), 2.0)
        else:
            pen = QPen(palette.color(QPalette.ColorRole.Mid), 1.0)
        painter.setPen(pen)
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        # icon, caption, summary
        kind_icon(self.kind).paint(painter, 14, 9, 18, 18)
        font = QFont(painter.font())
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(small)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(accent(self.kind).darker(110) if self.kind else muted)
        painter.drawText(QRectF(38, 8, NODE_WIDTH - 48, 20),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self.caption)
        strong = QFont(font)
        strong.setBold(True)
        painter.setFont(strong)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        text = QFontMetrics(strong).elidedText(self.summary, Qt.TextElideMode.ElideRight,
                                                int(NODE_WIDTH - 26))
        painter.drawText(QRectF(14, 29, NODE_WIDTH - 22, 20),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        if severity is not None:
            self._paint_badge(painter, severity)

    def _paint_badge(self, painter: QPainter, severity: Severity) -> None:
        centre = QPointF(NODE_WIDTH - 2, 0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(severity_colour(severity)))
        painter.drawEllipse(centre, 8, 8)
        painter.setPen(QColor("white"))
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(8)
        painter.setFont(font)
        painter.drawText(QRectF(centre.x() - 8, centre.y() - 8, 16, 16),
                         Qt.AlignmentFlag.AlignCenter, "!")


class Connectors:
    """Every connector of the diagram in one path: a line down from each parent that
    branches at mid-gap to its children, with an arrow at each child."""

    def __init__(self, gap: float) -> None:
        self._gap = gap
        self._lines = QPainterPath()
        self._arrows = QPainterPath()

    def add(self, parent_bottom: QPointF, child_tops: list[QPointF]) -> None:
        lines, arrows = self._lines, self._arrows
        middle = parent_bottom.y() + self._gap / 2
        lines.moveTo(parent_bottom)
        lines.lineTo(parent_bottom.x(), middle)
        xs = [top.x() for top in child_tops]
        if len(xs) > 1 or xs[0] != parent_bottom.x():
            lines.moveTo(min([*xs, parent_bottom.x()]), middle)
            lines.lineTo(max([*xs, parent_bottom.x()]), middle)
        for top in child_tops:
            lines.moveTo(top.x(), middle)
            lines.lineTo(top.x(), top.y() - 4)
            arrows.moveTo(top.x(), top.y())
            arrows.lineTo(top.x() - 4.5, top.y() - 6)
            arrows.lineTo(top.x() + 4.5, top.y() - 6)
            arrows.closeSubpath()

    @staticmethod
    def colour() -> QColor:
        return QApplication.palette().color(QPalette.ColorRole.Mid).darker(115)

    def items(self) -> list[QGraphicsPathItem]:
        colour = self.colour()
        lines = QGraphicsPathItem(self._lines)
        lines.setPen(QPen(colour, 1.4))
        arrows = QGraphicsPathItem(self._arrows)
        arrows.setPen(QPen(Qt.PenStyle.NoPen))
        arrows.setBrush(QBrush(colour))
        for item in (lines, arrows):
            item.setZValue(-1)
        return [lines, arrows]
