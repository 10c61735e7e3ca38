"""A flow's activity in the local runtime, cancelling it on demand, and a test inbox.

* ``flow_activity``: instances and cards per version and status — live figures only,
  read from the tallies the database keeps (a few rows whatever the runtime's size).
* ``cancel_activity``: cancel the running instances of one version (or of all), and
  optionally every open card those versions sent, in one transaction. It is made of
  ``runtime_cancel``'s two use cases, which check permissions and write the audit.
* ``inbox_of``: what a test account received from its latest run of a flow (a test
  send replaces the earlier one), as the customer would see it: open cards with their
  buttons, and push notifications.

Looking needs an active member (``view``); cancelling needs ``cancel_instances`` (and
``cancel_cards`` with cards).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowbench.domain.errors import Conflict
from flowbench.domain.roles import Permission
from flowbench.services.context import Actor, get_flow, require
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import status as runtime_status
from flowbench.services.runtime.cancel import CancelResult
from flowbench.services.runtime.cards import CardButton, card_buttons
from flowbench.services.runtime.customers import get_customer
from flowbench.store import models
from flowbench.store.connection import write_transaction

INSTANCE_STATUSES = runtime_status.INSTANCE_STATUSES
CARD_STATUSES = runtime_status.CARD_STATUSES
OPEN_CARD_STATUSES = ("active", "snoozed")


@dataclass(frozen=True)
class VersionActivity:
    number: int
    status: str  # draft / live / previous
    instances: dict[str, int]
    cards: dict[str, int]

    @property
    def running(self) -> int:
        return self.instances.get("running", 0)

    @property
    def open_cards(self) -> int:
        return sum(self.cards.get(status, 0) for status in OPEN_CARD_STATUSES)

    @property
    def total_instances(self) -> int:
        return sum(self.instances.values())


@dataclass(frozen=True)
class FlowActivity:
    flow_id: int
    flow: str
    live_version: int | None
    versions: list[VersionActivity] = field(default_factory=list)  # newest first

    def version(self, number: int) -> VersionActivity | None:
        return next((v for v in self.versions if v.number == number), None)

    def running(self, version: int | None = None) -> int:
        return sum(v.running for v in self._of(version))

    def open_cards(self, version: int | None = None) -> int:
        return sum(v.open_cards for v in self._of(version))

    def versions_running(self) -> list[int]:
        """Numbers of the versions with running instances, oldest first."""
        return sorted(v.number for v in self.versions if v.running)

    def _of(self, version: int | None) -> list[VersionActivity]:
        return [v for v in self.versions if version is None or v.number == version]


def flow_activity(actor: Actor, flow_ref: str | int) -> FlowActivity:
    """Instances and cards per version and status (live data; test sends left out)."""
    require(actor, Permission.VIEW)
    flow = get_flow(flow_ref, include_archived=True)
    status = runtime_status.runtime_status(flow.id)
    return FlowActivity(flow.id, flow.name, status["live_version"], [
        VersionActivity(v["version"], str(v["status"]), dict(v["instances"]), dict(v["cards"]))
        for v in status["versions"]])


def cancel_activity(actor: Actor, flow_ref: str | int, *, version: int | None = None,
                    with_cards: bool = False) -> CancelResult:
    """Cancel the running instances of ``version`` (None: every version) and, with
    ``with_cards``, every open card those versions sent — all of it or nothing."""
    with write_transaction():
        result = runtime_cancel.cancel_running(actor, flow_ref, version=version,
                                               with_cards=with_cards)
        cards = result.cards
        if with_cards:
            cards += runtime_cancel.cancel_open_cards(actor, flow_ref, version=version).cards
    return CancelResult(result.flow, result.versions, result.instances, cards, True)


# --- the test inbox ------------------------------------------------------------------------

@dataclass(frozen=True)
class InboxCard:
    id: int
    step: str
    version: int
    status: str
    title: str
    body: str
    priority: int
    buttons: list[CardButton]
    is_test: bool


@dataclass(frozen=True)
class InboxPush:
    step: str
    version: int
    title: str
    body: str
    is_test: bool


@dataclass(frozen=True)
class Inbox:
    customer: str
    cards: list[InboxCard]  # open cards, highest priority then newest first
    pushes: list[InboxPush]  # newest first
    closed_cards: int  # cards of that run the account no longer sees (closed)


def inbox_of(actor: Actor, external_id: str, flow_ref: str | int) -> Inbox:
    """What the test account ``external_id`` got from its latest run of the flow."""
    require(actor, Permission.VIEW)
    customer = get_customer(external_id)
    if not customer.is_test:
        raise Conflict(f"'{customer.external_id}' is not a test account: its cards are live "
                       "data.")
    flow = get_flow(flow_ref, include_archived=True)
    latest = (models.Instance.select(models.Instance.id)
              .where((models.Instance.flow == flow.id)
                     & (models.Instance.customer == customer.id))
              .order_by(models.Instance.id.desc()).scalar())
    if latest is None:
        return Inbox(customer.external_id, [], [], 0)
    card, version = models.Card, models.FlowVersion
    rows = list(card.select(card, version.number)
                .join(version, on=(card.version == version.id))
                .where(card.instance == latest)
                .order_by(card.priority.desc(), card.id.desc()).objects())
    open_rows = [row for row in rows if row.status in OPEN_CARD_STATUSES]
    buttons = card_buttons([row.id for row in open_rows])
    cards = [InboxCard(row.id, row.step_id, row.number, row.status, row.title, row.body,
                       row.priority, buttons.get(row.id, []), bool(row.is_test))
             for row in open_rows]
    push = models.PushNotification
    pushes = [InboxPush(row.step_id, row.number, row.title, row.body, bool(row.is_test))
              for row in push.select(push, version.number)
              .join(version, on=(push.version == version.id))
              .where(push.instance == latest).order_by(push.id.desc()).objects()]
    return Inbox(customer.external_id, cards, pushes, len(rows) - len(cards))
