"""A small chart of a flow's activity, drawn with QPainter: per version, one stacked
bar of its instances by status and one of its cards by status — all on ONE scale, read
off the axis of counts below the bars, so 10 instances and 10 cards are equally long
and versions compare at a glance."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from flowbench.domain.versions import VersionStatus
from flowbench.services.activity import (
    CARD_STATUSES,
    INSTANCE_STATUSES,
    FlowActivity,
    VersionActivity,
)
from flowbench.ui.activity.activity_model import CARD_HEADERS, INSTANCE_HEADERS

INSTANCE_COLOURS = {"running": "#3F74D6", "completed": "#3BA776", "cancelled": "#A3A9B3"}
CARD_COLOURS = {"active": "#E8912D", "snoozed": "#F2C94C", "completed": "#3BA776",
                "dismissed": "#9B7BD4", "expired": "#C9CDD3", "cancelled": "#7D848F"}
BAR, GAP, ROW_GAP, MARGIN = 14, 4, 12, 8


def axis_ticks(most: int) -> list[int]:
    """Round counts for the axis, from 0 to at least ``most`` (at most 6 ticks)."""
    most = max(most, 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if most / (step * factor) <= 5:
                size = step * factor
                return list(range(0, -(-most // size) * size + 1, size))
        step *= 10


class ActivityChart(QWidget):
    """Stacked horizontal bars per version; the legend names every colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityChart")
        self.setAccessibleName("Chart of instances and cards per version")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._versions: list[VersionActivity] = []

    def set_activity(self, activity: FlowActivity | None) -> None:
        self._versions = [v for v in (activity.versions if activity else [])
                          if v.total_instances or sum(v.cards.values())
                          or v.status != VersionStatus.DRAFT]
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def describe(self) -> str:
        """The chart in words (for screen readers and tooltips)."""
        lines = []
        for v in self._versions:
            instances = ", ".join(f"{v.instances.get(s, 0):,} {s}" for s in INSTANCE_STATUSES)
            cards = ", ".join(f"{v.cards.get(s, 0):,} {s}" for s in CARD_STATUSES)
            lines.append(f"Version {v.number}: instances {instances}; cards {cards}.")
        return "\n".join(lines) or "No activity yet."

    def _legend_height(self) -> int:
        return QFontMetrics(self.font()).height() * 2 + GAP * 3

    def _axis_height(self) -> int:
        return QFontMetrics(self.font()).height() + 8

    def ticks(self) -> list[int]:
        """The axis: one scale for instances and cards alike."""
        most = max([max(v.total_instances, sum(v.cards.values())) for v in self._versions]
                   or [1])
        return axis_ticks(most)

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = max(len(self._versions), 1)
        return QSize(600, MARGIN * 2 + rows * (2 * BAR + GAP + ROW_GAP) + self._axis_height()
                     + self._legend_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.sizeHint().height())

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(self.font())
        if not self._versions:
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled,
                                         QPalette.ColorRole.WindowText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No activity yet.")
            return
        label_width = max(metrics.horizontalAdvance(self._label(v)) for v in self._versions)
        number_width = metrics.horizontalAdvance("9,999,999 instances")
        left = MARGIN + label_width + 12
        width = max(self.width() - left - number_width - MARGIN - 8, 40)
        ticks = self.ticks()
        most = ticks[-1]
        bottom = MARGIN + len(self._versions) * (2 * BAR + GAP + ROW_GAP) - ROW_GAP / 2
        self._axis(painter, left, width, MARGIN, bottom, ticks, metrics)  # under the bars
        y = MARGIN
        for version in self._versions:
            painter.setPen(text)
            painter.drawText(QRectF(MARGIN, y, label_width, 2 * BAR + GAP),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._label(version))
            self._bar(painter, left, y, width, most, version.instances,
                      INSTANCE_STATUSES, INSTANCE_COLOURS, "instances")
            self._bar(painter, left, y + BAR + GAP, width, most, version.cards,
                      CARD_STATUSES, CARD_COLOURS, "cards")
            y += 2 * BAR + GAP + ROW_GAP
        self._legend(painter, y + self._axis_height(), metrics)

    def _axis(self, painter: QPainter, left: float, width: float, top: float,
              bottom: float, ticks: list[int], metrics: QFontMetrics) -> None:
        """Grid lines at each tick and the counts under them."""
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        grid = QColor(muted)
        grid.setAlpha(70)
        for tick in ticks:
            x = left + tick / ticks[-1] * width
            painter.setPen(grid)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            label = f"{tick:,}"
            half = metrics.horizontalAdvance(label) / 2 + 2
            painter.setPen(muted)
            painter.drawText(QRectF(x - half, bottom + 2, 2 * half, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, label)
        painter.setPen(muted)
        painter.drawLine(QPointF(left, bottom), QPointF(left + width, bottom))

    @staticmethod
    def _label(version: VersionActivity) -> str:
        suffix = {VersionStatus.LIVE.value: " (live)",
                  VersionStatus.DRAFT.value: " (draft)"}.get(version.status, "")
        return f"Version {version.number}{suffix}"

    def _bar(self, painter: QPainter, left: float, y: float, width: float, most: int,
             counts: dict[str, int], statuses: tuple[str, ...], colours: dict[str, str],
             noun: str) -> None:
        track = self.palette().color(QPalette.ColorRole.AlternateBase)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(left, y, width, BAR), 3, 3)
        x = left
        for status in statuses:
            share = counts.get(status, 0) / most * width
            if share <= 0:
                continue
            painter.setBrush(QColor(colours[status]))
            painter.drawRect(QRectF(x, y, max(share, 1.5), BAR))
            x += share
        total = sum(counts.get(s, 0) for s in statuses)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(left + width + 8, y - 2, 200, BAR + 4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{total:,} {noun if total != 1 else noun[:-1]}")

    def _legend(self, painter: QPainter, y: float, metrics: QFontMetrics) -> None:
        rows = [("Instances:", INSTANCE_STATUSES, INSTANCE_COLOURS, INSTANCE_HEADERS),
                ("Cards:", CARD_STATUSES, CARD_COLOURS, CARD_HEADERS)]
        line = metrics.height() + GAP
        for title, statuses, colours, words in rows:
            x = float(MARGIN)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(x, y, 90, line), Qt.AlignmentFlag.AlignVCenter, title)
            x += metrics.horizontalAdvance("Instances:") + 10
            for status in statuses:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(colours[status]))
                painter.drawRoundedRect(QRectF(x, y + (line - 10) / 2, 10, 10), 2, 2)
                x += 14
                painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
                word = words[status]
                painter.drawText(QRectF(x, y, metrics.horizontalAdvance(word) + 2, line),
                                 Qt.AlignmentFlag.AlignVCenter, word)
                x += metrics.horizontalAdvance(word) + 14
            y += line
