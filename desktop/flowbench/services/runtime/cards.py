"""Cards as customers see them: list them, act on one, a test account's inbox.

Acting on a card — submit (→ completed), dismiss, snooze (stays open) — is what a
customer would do; a closed card is final. Permission to act: ``edit_draft``
(rehearsal; see ``runtime_access``). Looking needs no permission beyond membership.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from peewee import ModelSelect

from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.runtime import clock, engine
from flowbench.services.context import Actor, audit, get_flow, require
from flowbench.services.runtime.access import REHEARSAL, iso
from flowbench.services.runtime.customers import get_customer
from flowbench.store import models
from flowbench.store.connection import write_transaction
from flowbench.store.query_rows import tuples

CARD_STATUSES = ("active", "snoozed", "dismissed", "completed", "expired", "cancelled")
OPEN_STATUSES = ("active", "snoozed")


@dataclass(frozen=True)
class CardInfo:
    id: int
    customer: str
    flow: str
    version: int
    step: str
    status: str
    is_test: bool
    title: str
    body: str
    priority: int
    created_at: int
    expires_at: int | None
    closed_at: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "customer": self.customer, "flow": self.flow,
                "version": self.version, "step": self.step, "status": self.status,
                "test": self.is_test, "title": self.title, "body": self.body,
                "priority": self.priority, "created_at": iso(self.created_at),
                "expires_at": iso(self.expires_at), "closed_at": iso(self.closed_at)}


def _query() -> ModelSelect[models.Card]:
    card, customer, flow, version = (models.Card, models.Customer, models.Flow,
                                     models.FlowVersion)
    return (card.select(card.id, customer.external_id, flow.name, version.number,
                        card.step_id, card.status, card.is_test, card.title, card.body,
                        card.priority, card.created_at, card.expires_at, card.closed_at)
            .join(customer, on=(card.customer == customer.id))
            .switch(card).join(flow, on=(card.flow == flow.id))
            .switch(card).join(version, on=(card.version == version.id)))


def _infos(query: ModelSelect[models.Card]) -> list[CardInfo]:
    rows = tuples(query, tuple[int, str, str, int, str, str, bool, str, str, int, int,
                               int | None, int | None])  # CardInfo's fields, in order
    return [CardInfo(*row) for row in rows]


def list_cards(*, customer: str | None = None, flow: str | None = None,
               status: str | None = None, limit: int | None = None) -> list[CardInfo]:
    """Cards, newest first; ``status`` is one card status or ``open``."""
    query = _query()
    if customer is not None:
        query = query.where(models.Card.customer == get_customer(customer).id)
    if flow is not None:
        query = query.where(models.Card.flow == get_flow(flow, include_archived=True).id)
    if status is not None:
        if status == "open":
            query = query.where(models.Card.status.in_(OPEN_STATUSES))
        elif status in CARD_STATUSES:
            query = query.where(models.Card.status == status)
        else:
            raise InvalidInput(f"'{status}' is not a card status; use open or one of "
                               + ", ".join(CARD_STATUSES) + ".")
    query = query.order_by(models.Card.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return _infos(query)


@dataclass(frozen=True)
class PushInfo:
    """A push notification a customer got."""

    customer: str
    flow: str
    version: int
    step: str
    title: str
    body: str
    is_test: bool
    created_at: int


def list_pushes(*, customer: str, limit: int | None = None) -> list[PushInfo]:
    """The customer's push notifications, newest first."""
    push, flow, version = models.PushNotification, models.Flow, models.FlowVersion
    query = (push.select(flow.name, version.number, push.step_id, push.title, push.body,
                         push.is_test, push.created_at)
             .join(version, on=(push.version == version.id))
             .join(flow, on=(version.flow == flow.id))
             .where(push.customer == get_customer(customer).id)
             .order_by(push.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    return [PushInfo(customer, name, number, step, title, body, bool(test), at)
            for name, number, step, title, body, test, at
            in tuples(query, tuple[str, int, str, str, str, bool, int])]


def get_card(card_id: int) -> CardInfo:
    found = _infos(_query().where(models.Card.id == card_id))
    if not found:
        raise NotFound(f"There is no card {card_id}.")
    return found[0]


def test_inbox(external_id: str) -> list[CardInfo]:
    """The cards a test account got (test sends and live flows alike), newest first."""
    customer = get_customer(external_id)
    if not customer.is_test:
        raise Conflict(f"'{customer.external_id}' is not a test account: its cards are live "
                       "data (see 'cards list --customer').")
    return _infos(_query().where(models.Card.customer == customer.id)
                  .order_by(models.Card.id.desc()))


def act_on_card(actor: Actor, card_id: int, action: str) -> CardInfo:
    """The customer submits, dismisses or snoozes the card; closed cards are final."""
    if action not in engine.CARD_ACTIONS:
        raise InvalidInput(f"'{action}' is not a card action; use submit, dismiss or snooze.")
    with write_transaction():
        member = require(actor, REHEARSAL, "act on cards as a customer")
        before = get_card(card_id)
        engine.act_on_card(card_id, action, now=clock.current_time())
        after = get_card(card_id)
        flow = models.Flow.get_or_none(models.Flow.name == after.flow)
        audit(member, "card.act", f"Card {card_id} ('{after.title}' for '{after.customer}'): "
              f"{action} — {before.status} → {after.status}", flow=flow, card=card_id,
              card_action=action, before=before.status, after=after.status)
    return after


# --- a card's buttons, pressed as the customer would --------------------------------------

BUTTON_ACTIONS = {"submit": "submit", "dismiss": "dismiss", "link": "submit"}


@dataclass(frozen=True)
class CardButton:
    label: str
    kind: str  # submit / dismiss / link
    url: str | None = None

    @property
    def action(self) -> str:
        """The card action pressing it means: a link is followed, which submits the card."""
        return BUTTON_ACTIONS.get(self.kind, "submit")


def card_buttons(card_ids: list[int]) -> dict[int, list[CardButton]]:
    """The buttons each card shows, in order (as the send-card step defined them)."""
    found: dict[int, list[CardButton]] = {}
    for start in range(0, len(card_ids), 500):
        rows = (models.Card.select(models.Card.id, models.Card.buttons)
                .where(models.Card.id.in_(card_ids[start:start + 500])))
        for card_id, text in tuples(rows, tuple[int, str]):
            try:
                items = json.loads(text or "[]")
            except ValueError:
                items = []
            found[card_id] = [CardButton(str(item.get("label", "")),
                                         str(item.get("action", "submit")), item.get("url"))
                              for item in items if isinstance(item, dict)]
    return found


def press_button(actor: Actor, card_id: int, index: int) -> CardInfo:
    """The customer presses the card's button number ``index`` (from 0)."""
    buttons = card_buttons([card_id]).get(card_id)
    if buttons is None:
        raise NotFound(f"There is no card {card_id}.")
    if not 0 <= index < len(buttons):
        raise InvalidInput(f"Card {card_id} has no button {index + 1}.")
    return act_on_card(actor, card_id, buttons[index].action)
