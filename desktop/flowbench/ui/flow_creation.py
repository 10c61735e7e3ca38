"""File → New Flow: the name asked for in a dialog that stays open (saying why) until
the flow is made; then the window shows it (``created``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services import flows
from flowbench.ui.dialogs.new_flow import NewFlowDialog
from flowbench.ui.session import AppSession, SessionChange


def ask_for_new_flow(window: QWidget, session: AppSession,
                     created: Callable[[int, str], object]) -> NewFlowDialog:
    """Open the New Flow dialog; ``created(flow_id, name)`` once the flow exists (the
    flow list has been told, with ``window`` as the origin)."""
    dialog = NewFlowDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def create(name: str) -> None:
        actor = session.actor
        if actor is None:
            dialog.reject()
            return
        try:
            made = flows.create_flow(actor, name)
        except FlowbenchError as error:
            dialog.refuse(str(error))
            return
        dialog.accept()
        session.notify(SessionChange.for_flow(made.id, origin=window))
        created(made.id, made.name)

    dialog.name_chosen.connect(create)
    dialog.open()
    return dialog
