"""Stand-ins for the Edit tab's tests, which drive an EditTab on its own (no main window):
a session that only names the member, and prompts that answer at once."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from flowbench.services.context import Actor


class FakeSession(QObject):
    changed = Signal()

    def __init__(self, actor: Actor | None) -> None:
        super().__init__()
        self.actor = actor


class FakePrompts:
    """Answers every question with ``answer`` and remembers what was asked and told."""

    def __init__(self, answer: bool = True, choice: int | None = None) -> None:
        self.answer = answer
        self.choice = choice  # the answer to ``choose``: an index, or None for Cancel
        self.asked: list[tuple[str, str]] = []
        self.told: list[tuple[str, str]] = []

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self.asked.append((title, text))
        return self.answer

    def inform(self, parent: object, title: str, text: str) -> None:
        self.told.append((title, text))

    def choose(self, parent: object, title: str, text: str, choices: list[str]) -> int | None:
        self.asked.append((title, text))
        return self.choice
