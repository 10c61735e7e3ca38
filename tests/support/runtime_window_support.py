"""Workspaces and helpers for the Runtime window tests (tests/ui/test_runtime_*.py): a
live flow with or without customers, many customers, a flow that sends pushes; opening
the window and finding a customer's row, cards and the segment editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows, publishing
from flowbench.services.context import actor_from
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.runtime.runtime_window import RuntimeWindow

OWNER = "owner@example.com"
GOOD_CSV = "id,plan,country,test\nann,trial,NL,no\nbob,trial,DE,no\ncy,pro,NL,no\n"
BAD_CSV = "id,plan\nann,trial\nbob,pro,extra\n"


def _prepare(path: Path, *, customers: bool = False) -> None:
    """A live flow on the event 'signed_up': a welcome card, a day's wait, a tip card."""
    open_workspace(path)
    try:
        owner = actor_from(models.Member.get(models.Member.email == OWNER))
        definition = FlowDefinition(trigger=Trigger("api_event", event="signed_up"), steps=(
            Step("welcome", "send_card", title="Welcome aboard", body="Finish your profile",
                 buttons=(Button("Finish", "submit"), Button("Later", "dismiss")),
                 priority=5),
            Step("pause", "wait_duration", parent="welcome", duration="P1D"),
            Step("tip", "send_card", parent="pause", title="A tip for day two",
                 body="Invite your team", buttons=(Button("Thanks", "submit"),), priority=5)))
        summary = flows.create_flow(owner, "Onboarding", definition)
        publishing.publish_draft(owner, summary.id)
        if customers:
            runtime_customers.import_customers_csv(owner, GOOD_CSV, "c.csv")
            runtime_events.send_event(owner, "ann", "signed_up")
    finally:
        close_workspace()


def _open_runtime(shell) -> RuntimeWindow:
    shell.shortcut(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    window = shell.window.runtime_window
    shell.qtbot.waitExposed(window)
    return window


def _customer_row(window: RuntimeWindow, external_id: str) -> int:
    row = window.customers.model.row_of(external_id)
    assert row is not None, external_id
    return row


def _select(shell, window: RuntimeWindow, external_id: str) -> None:
    view = window.customers.view
    rect = view.visualRect(window.customers.model.index(_customer_row(window, external_id), 0))
    shell.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.customers.customer_title.text() == external_id


def _card_titles(window: RuntimeWindow) -> list[tuple[str, str]]:
    return [(view.card.title, view.status.text()) for view in window.customers.cards.views]


def _editor_closed(segments) -> bool:
    editor = segments.editor  # forgotten once deleted (it deletes itself on close)
    return editor is None or not editor.isVisible()


def _db_customers() -> dict[str, tuple[bool, str]]:
    return {c.external_id: (bool(c.is_test), c.attributes) for c in models.Customer.select()}


def _prepare_many(path: Path, count: int) -> None:
    open_workspace(path)
    try:
        owner = actor_from(models.Member.get(models.Member.email == OWNER))
        rows = "".join(f"c{n:05},{'trial' if n % 2 else 'pro'}\n" for n in range(count))
        runtime_customers.import_customers_csv(owner, "id,plan\n" + rows + "special-x,pro\n",
                                               "many.csv")
    finally:
        close_workspace()


def _prepare_push_flow(path: Path) -> None:
    open_workspace(path)
    try:
        owner = actor_from(models.Member.get(models.Member.email == OWNER))
        definition = FlowDefinition(trigger=Trigger("api_event", event="signed_up"), steps=(
            Step("shipped", "send_push", title="Your box ships", body="Track it in the app"),))
        publishing.publish_draft(owner, flows.create_flow(owner, "Shipping", definition).id)
        runtime_customers.import_customers_csv(owner, GOOD_CSV, "c.csv")
        runtime_events.send_event(owner, "ann", "signed_up")
    finally:
        close_workspace()
