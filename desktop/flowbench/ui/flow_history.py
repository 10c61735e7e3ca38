"""What the Versions tab and its kept-revisions panel share: a bold heading over a table
of the selected flow's history (versions, or the draft's kept revisions), the selected
row, and restoring one as the draft — asking the Edit tab to drop unsaved edits, telling
every screen the flow changed and saying on the status bar what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, Signal
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services.drafts import FlowContent
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.labels import heading
from flowbench.ui.kit.listing import fitted_table
from flowbench.ui.session import AppSession, SessionChange


class DraftEdits(Protocol):
    """What restoring needs of the Edit tab."""

    def has_unsaved_changes(self) -> bool: ...

    def discard_changes(self) -> None: ...


class FlowHistoryList(QWidget):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, session: AppSession, prompts: Prompts, edits: DraftEdits,
                 parent: QWidget | None, *, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.session, self.prompts, self.edits = session, prompts, edits
        self.flow_id: int | None = None

    def history_table(self, model: QAbstractItemModel, heading_name: str, table_name: str,
                      table_accessible_name: str) -> tuple[QLabel, QTableView]:
        """The heading (its text set when a flow is shown) and the table under it."""
        return heading(self, heading_name), fitted_table(
            self, model, object_name=table_name, accessible_name=table_accessible_name)

    def restore(self, flow_id: int, restoring: Callable[[], FlowContent],
                done: Callable[[FlowContent], str], refused: Callable[[], None]) -> bool:
        """Run ``restoring``; if it fails, say why and call ``refused`` (to show the flow
        as it is now); else drop the Edit tab's unsaved edits, announce the change and
        put ``done(restored)`` on the status bar."""
        try:
            restored = restoring()
        except FlowbenchError as error:
            self.prompts.error(self, "Not restored", str(error))
            refused()
            return False
        if self.edits.has_unsaved_changes():
            self.edits.discard_changes()
        self.session.notify(SessionChange.for_flow(flow_id, origin=self))
        self.message.emit(done(restored))
        return True
