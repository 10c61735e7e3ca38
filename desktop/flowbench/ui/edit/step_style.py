"""How steps look wherever they are shown: kind icon, accent colour, one-line summary."""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from flowbench.domain.definition import PATHS_BY_PARENT_KIND, FlowDefinition, Step, StepKind
from flowbench.domain.durations import describe_duration
from flowbench.domain.flow_summary import describe_rule, path_label
from flowbench.domain.step_names import action_words, card_title
from flowbench.domain.validation import Severity
from flowbench.resources import resource_path

ACCENTS = {
    StepKind.SEND_CARD.value: "#2F6FDE",
    StepKind.SEND_PUSH.value: "#8E44AD",
    StepKind.WAIT_DURATION.value: "#0E8F80",
    StepKind.WAIT_CARD_ACTION.value: "#D2731C",
    StepKind.SPLIT.value: "#C0398B",
    "trigger": "#2E9D5B",
}
ICON_SIZES = (16, 20, 22, 24, 32, 48, 64)
SEVERITY_COLOURS = {Severity.ERROR: "#D32F2F", Severity.WARNING: "#E0A000"}
SEVERITY_TINTS = {Severity.ERROR: "#D32F2F30", Severity.WARNING: "#E0A00030"}
SHORT_LABELS = {
    StepKind.SEND_CARD.value: "Card",
    StepKind.SEND_PUSH.value: "Push",
    StepKind.WAIT_DURATION.value: "Wait",
    StepKind.WAIT_CARD_ACTION.value: "Wait for card",
    StepKind.SPLIT.value: "Decision",
}


def accent(kind: str) -> QColor:
    return QColor(ACCENTS.get(kind, "#7A7A7A"))


def severity_colour(severity: Severity) -> QColor:
    return QColor(SEVERITY_COLOURS[severity])


def severity_tint(severity: Severity) -> QColor:
    """A translucent wash (#RRGGBBAA) that reads on light and dark backgrounds."""
    text = SEVERITY_TINTS[severity]
    colour = QColor(text[:7])
    colour.setAlpha(int(text[7:], 16))
    return colour


@cache
@cache
def kind_icon(kind: str) -> QIcon:
    """The kind's icon (``trigger`` for the trigger); an empty icon for unknown kinds.

    On a selected row it is drawn white: the coloured icon would vanish into the blue
    selection (the card's accent is close to it)."""
    try:
        drawing = QIcon(str(resource_path(f"icons/steps/{kind}.svg")))
    except (FileNotFoundError, ValueError):
        return QIcon()
    icon = QIcon()  # pixmaps at every size a view asks for, so each has its white twin
    for size in ICON_SIZES:
        pixmap = drawing.pixmap(size, size)
        icon.addPixmap(pixmap, QIcon.Mode.Normal)
        icon.addPixmap(_whitened(pixmap), QIcon.Mode.Selected)
    return icon


def _whitened(pixmap: QPixmap) -> QPixmap:
    """The pixmap's shape in white (its alpha kept)."""
    white = QPixmap(pixmap)
    painter = QPainter(white)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(white.rect(), QColor("white"))
    painter.end()
    return white


@lru_cache(maxsize=4096)
def duration_words(text: str) -> str:
    """'P2D' → '2 days' (cached: a big flow repeats the same few durations)."""
    return describe_duration(text)


@cache
def marked_icon(kind: str, severity: Severity) -> QIcon:
    """The kind's icon with a red (error) or amber (warning) dot in its corner."""
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):
        for size in ICON_SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(QColor(0, 0, 0, 0))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            kind_icon(kind).paint(painter, 0, 0, size, size, mode=mode)
            dot = size * 0.42
            painter.setPen(QPen(QColor("white"), size / 16))
            painter.setBrush(severity_colour(severity))
            painter.drawEllipse(QRectF(size - dot - 0.5, size - dot - 0.5, dot, dot))
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon


def _quoted(text: str | None, fallback: str) -> str:
    return f"“{text}”" if text and text.strip() else fallback


def card_name(definition: FlowDefinition | None, card_id: str | None) -> str:
    """A card step named for people: its title, else its id."""
    if not card_id:
        return "?"
    return card_title(definition, card_id) or card_id


def step_summary(step: Step, definition: FlowDefinition | None = None) -> str:
    """What the step does, in a few words: a title, a duration, what it waits for."""
    if step.kind == StepKind.SEND_CARD:
        return _quoted(step.title, "Untitled card")
    if step.kind == StepKind.SEND_PUSH:
        return _quoted(step.title, "Untitled push")
    if step.kind == StepKind.WAIT_DURATION:
        return f"Wait {duration_words(step.duration)}" if step.duration else "Wait (no duration)"
    if step.kind == StepKind.WAIT_CARD_ACTION:
        action = action_words(step.action)
        if not step.card:
            return "Wait for a card (none chosen)"
        return f"Until {card_name(definition, step.card)} is {action}"
    if step.kind == StepKind.SPLIT:
        return describe_rule(step.match, step.conditions)[:1].upper() + \
            describe_rule(step.match, step.conditions)[1:]
    return f"Unknown step “{step.kind}”"


def path_caption(step: Step, definition: FlowDefinition | None) -> str:
    """'Otherwise', 'Submitted', 'Yes' for a step on a path of its parent; else ''."""
    parent = definition.step(step.parent) if definition is not None and step.parent \
        else None
    if parent is None or parent.kind not in PATHS_BY_PARENT_KIND:
        return ""
    label = path_label(parent, step.path)
    return label[:1].upper() + label[1:]


def short_label(kind: str) -> str:
    return SHORT_LABELS.get(kind, kind or "Unknown")
