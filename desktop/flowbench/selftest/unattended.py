"""The answers the window gets during the self-test, when no one is there to click."""

from __future__ import annotations

from flowbench.selftest.run import SelfTestFailure


class Unattended:
    """Answers the window's questions without a dialog (no one is there to click) and
    keeps them: a question during the self-test means something went wrong."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def _note(self, title: str, text: str) -> None:
        self.asked.append(f"{title}: {text}")

    def confirm(self, parent: object, title: str, text: str) -> bool:
        self._note(title, text)
        return False

    def inform(self, parent: object, title: str, text: str) -> None:
        self._note(title, text)

    def error(self, parent: object, title: str, text: str) -> None:
        self._note(title, text)

    def ask_text(self, parent: object, title: str, label: str, text: str = "") -> None:
        self._note(title, label)

    def ask_unsaved(self, parent: object, title: str, text: str) -> object:
        from flowbench.ui.dialogs.prompts import UnsavedAnswer

        self._note(title, text)
        return UnsavedAnswer.DISCARD

    def choose_open_file(self, parent: object, title: str, filters: str,
                         directory: str = "") -> None:
        self._note(title, directory)

    def choose_save_file(self, parent: object, title: str, filters: str,
                         suggested: str = "", *, replaces: bool = True) -> None:
        self._note(title, suggested)

    def check(self, doing: str) -> None:
        if self.asked:
            raise SelfTestFailure(f"the window asked a question while {doing}: "
                                  f"{self.asked[0]}")
