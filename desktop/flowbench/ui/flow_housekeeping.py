"""Archive, unarchive and duplicate the selected flow (File menu and the flow list's
context menu); the same services as ``flowbench flows archive|unarchive|duplicate``.

Archiving asks first; a refusal (running instances, the role) is explained and changes
nothing. Each success announces the flows it changed so the list and tabs follow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services import flows
from flowbench.services.flows import FlowSummary
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange


class FlowHousekeeping(QObject):
    message = Signal(str)
    created = Signal(int)  # a duplicate's flow id

    def __init__(self, window: QWidget, session: AppSession, prompts: Prompts) -> None:
        super().__init__(window)
        self.window, self.session, self.prompts = window, session, prompts

    def archive(self, summary: FlowSummary | None) -> bool:
        actor = self.session.actor
        if actor is None or summary is None or summary.archived:
            return False
        if not self.prompts.confirm(
                self.window, "Archive flow?",
                f"Archive “{summary.name}”? It stops starting for customers and leaves the "
                "flow list (tick “Show archived” to see it). You can unarchive it later."):
            return False
        return self._set_archived(summary, True)

    def unarchive(self, summary: FlowSummary | None) -> bool:
        if self.session.actor is None or summary is None or not summary.archived:
            return False
        return self._set_archived(summary, False)

    def _set_archived(self, summary: FlowSummary, archived: bool) -> bool:
        actor = self.session.actor
        assert actor is not None
        try:
            changed = flows.set_archived(actor, summary.id, archived)
        except FlowbenchError as error:
            title = "Flow not archived" if archived else "Flow not unarchived"
            self.prompts.error(self.window, title, str(error))
            return False
        self.session.notify(SessionChange.for_flow(changed.id, origin=self))
        self.message.emit(f"Archived “{changed.name}”." if archived
                          else f"Unarchived “{changed.name}”.")
        return True

    def duplicate(self, summary: FlowSummary | None) -> int | None:
        actor = self.session.actor
        if actor is None or summary is None:
            return None
        source = "its live version" if summary.live_version else "its draft"
        name = self.prompts.ask_text(
            self.window, "Duplicate Flow",
            f"Name of the new flow (a Version 1 draft with the content of {source}):",
            f"{summary.name} (copy)")
        if name is None:
            return None
        try:
            created = flows.duplicate_flow(actor, summary.id, name)
        except FlowbenchError as error:
            self.prompts.error(self.window, "Flow not duplicated", str(error))
            return None
        self.session.notify(SessionChange.for_flow(created.id, origin=self))
        self.message.emit(f"Created “{created.name}” from “{summary.name}”: Version 1 is "
                          "a draft.")
        self.created.emit(created.id)
        return created.id
