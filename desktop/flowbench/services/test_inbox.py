"""A test account's inbox: what its latest run of a flow did, in time order (a test send
replaces the earlier run).

Cards (open ones with their buttons, closed ones with how they closed) and push
notifications as the customer got them, and where the run stands now: the waits it is
parked at (named by what they wait for, with the time left on the runtime clock) or
that it has ended. ``what_happened`` puts the difference between two looks in words,
for "You pressed “OK”; the flow now waits 2 hours". Looking needs ``view``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowbench.domain.definition import FlowDefinition, StepKind
from flowbench.domain.durations import describe_seconds
from flowbench.domain.errors import Conflict
from flowbench.domain.roles import Permission
from flowbench.domain.step_names import action_words, card_words
from flowbench.runtime import clock
from flowbench.services.context import Actor, get_flow, require
from flowbench.services.runtime.cards import OPEN_STATUSES, CardButton, card_buttons
from flowbench.services.runtime.customers import get_customer
from flowbench.store import models


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
    at: int = 0  # when it was sent (runtime clock seconds)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class InboxPush:
    step: str
    version: int
    title: str
    body: str
    is_test: bool
    at: int = 0
    id: int = 0


@dataclass(frozen=True)
class Waiting:
    """A branch of the run parked at a wait: what it waits for, and until when."""

    step: str
    words: str  # "waits 2 hours", "waits until “Welcome!” is submitted"
    until: int | None


@dataclass(frozen=True)
class Inbox:
    customer: str
    cards: list[InboxCard]  # open cards, highest priority then newest first
    pushes: list[InboxPush]  # newest first
    closed_cards: int  # cards of that run the account no longer sees (closed)
    closed: list[InboxCard] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    running: bool = False
    now: int = 0

    def timeline(self) -> list[InboxCard | InboxPush]:
        """Every card (open or closed) and push, oldest first."""
        items: list[InboxCard | InboxPush] = [*self.cards, *self.closed, *self.pushes]
        return sorted(items, key=lambda item: (item.at, isinstance(item, InboxPush),
                                               item.id))

    def next_wake(self) -> int | None:
        """Seconds until the first timed wait ends (None: nothing waits on the clock)."""
        times = [w.until for w in self.waiting if w.until is not None]
        return max(min(times) - self.now, 0) if times else None

    def where_now(self) -> str:
        """'The flow now waits 2 hours', '… has ended', for people."""
        if self.waiting:
            return "the flow now " + " and ".join(w.words for w in self.waiting)
        return "the flow is still running" if self.running else "the flow has ended"


def inbox_of(actor: Actor, external_id: str, flow_ref: str | int) -> Inbox:
    """What the test account ``external_id`` got from its latest run of the flow."""
    require(actor, Permission.VIEW)
    customer = get_customer(external_id)
    if not customer.is_test:
        raise Conflict(f"'{customer.external_id}' is not a test account: its cards are live "
                       "data.")
    flow = get_flow(flow_ref, include_archived=True)
    instance = models.Instance
    latest = (instance.select(instance.id, instance.status, instance.version)
              .where((instance.flow == flow.id) & (instance.customer == customer.id))
              .order_by(instance.id.desc()).first())
    now = clock.stored_time() or 0
    if latest is None:
        return Inbox(customer.external_id, [], [], 0, now=now)
    card, version = models.Card, models.FlowVersion
    # each row's version holds its id and number (joined, no query per row)
    rows = list(card.select(card, version.id, version.number)
                .join(version, on=(card.version == version.id))
                .where(card.instance == latest.id)
                .order_by(card.priority.desc(), card.id.desc()))
    open_rows = [row for row in rows if row.status in OPEN_STATUSES]
    buttons = card_buttons([row.id for row in open_rows])

    def as_card(row: models.Card) -> InboxCard:
        return InboxCard(row.id, row.step_id, row.version.number, row.status, row.title, row.body,
                         row.priority, buttons.get(row.id, []), bool(row.is_test),
                         row.created_at)

    push = models.PushNotification
    pushes = [InboxPush(row.step_id, row.version.number, row.title, row.body,
                        bool(row.is_test), row.created_at, row.id)
              for row in push.select(push, version.id, version.number)
              .join(version, on=(push.version == version.id))
              .where(push.instance == latest.id).order_by(push.id.desc())]
    cards = [as_card(row) for row in open_rows]
    closed = [as_card(row) for row in rows if row.status not in OPEN_STATUSES]
    definition = FlowDefinition.from_json(
        version.get_by_id(latest.version_id).definition)
    return Inbox(customer.external_id, cards, pushes, len(closed), closed,
                 _waiting(latest.id, definition, now), latest.status == "running", now)


def _waiting(instance_id: int, definition: FlowDefinition, now: int) -> list[Waiting]:
    branch = models.PendingBranch
    found: list[Waiting] = []
    for row in branch.select().where(branch.instance == instance_id).order_by(branch.id):
        step = definition.step(row.step_id)
        left = "" if row.wait_until is None else describe_seconds(max(row.wait_until - now,
                                                                      0))
        if step is not None and step.kind == StepKind.WAIT_CARD_ACTION:
            words = (f"waits until {card_words(definition, step.card)} is "
                     f"{action_words(step.action)}" + (f" (at most {left})" if left else ""))
        else:
            words = f"waits {left}" if left else "waits"
        found.append(Waiting(row.step_id, words, row.wait_until))
    return found


def what_happened(before: Inbox | None, after: Inbox) -> str:
    """What the run did between two looks: 'the flow sent “Tips” and now waits 2 days',
    'the flow now waits 2 hours', 'the flow has ended'."""
    seen_cards = {c.id for c in before.timeline() if isinstance(c, InboxCard)} \
        if before else set()
    seen_pushes = {p.id for p in before.pushes} if before else set()
    sent = [f"“{item.title}”" for item in after.timeline()
            if (isinstance(item, InboxCard) and item.id not in seen_cards)
            or (isinstance(item, InboxPush) and item.id not in seen_pushes)]
    where = after.where_now()
    if not sent:
        return where
    what = sent[0] if len(sent) == 1 else ", ".join(sent[:-1]) + " and " + sent[-1]
    return f"the flow sent {what} and {where.removeprefix('the flow ')}"
