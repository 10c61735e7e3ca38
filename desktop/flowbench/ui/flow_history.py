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
from flowbench.services.context import Actor
from flowbench.services.drafts import FlowContent
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.kit.labels import heading
from flowbench.ui.kit.listing import fitted_table
from flowbench.ui.session import AppSession, SessionChange


class DraftEdits(Protocol):
    """What restoring needs of the Edit tab."""

    def has_unsaved_changes(self) -> bool: ...

    def discard_changes(self) -> None: ...


class Restoring(Protocol):
    """``drafts.restore_version`` or ``drafts.restore_revision``."""

    def __call__(self, actor: Actor, flow_ref: str | int, chosen: int, /, *,
                 expected_version: int, expected_revision: int) -> FlowContent: ...


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

    def restore(self, restoring: Restoring, actor: Actor, flow_id: int, chosen: int,
                seen: tuple[int, int], done: Callable[[FlowContent], str],
                refused: Callable[[], None]) -> bool:
        """Restore ``chosen`` (a version or revision number) as the draft, expecting the
        draft (or live version) still at ``seen`` (version, revision). If that fails, say
        why and call ``refused`` (to show the flow as it is now); else drop the Edit tab's
        unsaved edits, announce the change and put ``done(restored)`` on the status bar."""
        try:
            restored = restoring(actor, flow_id, chosen, expected_version=seen[0],
                                 expected_revision=seen[1])
        except FlowbenchError as error:
            self.prompts.error(self, "Not restored", str(error))
            refused()
            return False
        if self.edits.has_unsaved_changes():
            self.edits.discard_changes()
        self.session.notify(SessionChange.for_flow(flow_id, origin=self))
        self.message.emit(done(restored))
        return True
