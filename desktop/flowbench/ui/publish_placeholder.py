"""The Publish tab until part 2 brings it: names what will be there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

COMING = (
    "the draft's validation errors — each one jumps to its place in the Edit tab;",
    "the approval status: one approval from each approval group;",
    "the pre-publish summary: version, trigger, steps and what they send, what changed "
    "since the live version, who edited it;",
    "Publish…, with the choices to cancel previous versions' running instances and "
    "active cards, and to start the flow for customers already in its segment.",
)


class PublishPlaceholder(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishTab")
        frame = QFrame(self)
        frame.setObjectName("publishPlaceholder")
        heading = QLabel("Publishing comes in the next release", frame)
        heading.setStyleSheet("font-weight: 600; font-size: 12pt;")
        items = "".join(f"<li>{item}</li>" for item in COMING)
        body = QLabel(f"<p>This tab will show:</p><ul>{items}</ul>"
                      "<p>Until then, publish from the command line: "
                      "<code>flowbench --as EMAIL publish NAME</code>.</p>", frame)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setAccessibleName("What the Publish tab will show")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(heading)
        inner.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(frame)
        layout.addStretch(1)
