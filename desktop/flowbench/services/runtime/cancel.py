"""Cancelling in the local runtime: running instances (optionally with their cards), or
open cards alone — for one version of a flow or all of them. Live data only: test
instances and cards are left to test sends.

Permissions: ``cancel_instances`` (and ``cancel_cards`` too with cards), ``cancel_cards``
(see ``runtime_access``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flowbench.domain.errors import NotFound
from flowbench.domain.versions import version_label
from flowbench.runtime import clock, engine
from flowbench.services.context import Actor, audit, get_flow, require
from flowbench.services.runtime.access import CANCEL_CARDS, CANCEL_INSTANCES
from flowbench.store import models
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class CancelResult:
    flow: str
    versions: list[int]
    instances: int
    cards: int
    with_instances: bool

    def details(self) -> dict[str, Any]:
        """For the audit entry (which names the flow itself)."""
        return {key: value for key, value in self.to_dict().items() if key != "flow"}

    def to_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "versions": self.versions,
                "cancelled_instances": self.instances, "cancelled_cards": self.cards}

    def describe(self) -> str:
        where = f"of '{self.flow}' ({version_label(self.versions)})" if self.versions \
            else f"of '{self.flow}'"
        if self.with_instances:
            text = f"Cancelled {self.instances:,} running instance" \
                   f"{'s' if self.instances != 1 else ''} {where}"
            return text + (f" and {self.cards:,} open card{'s' if self.cards != 1 else ''}."
                           if self.cards else ".")
        return f"Cancelled {self.cards:,} open card{'s' if self.cards != 1 else ''} {where}."


def _versions(flow: models.Flow, number: int | None) -> list[models.FlowVersion]:
    query = models.FlowVersion.select(models.FlowVersion.id, models.FlowVersion.number).where(
        models.FlowVersion.flow == flow.id)
    if number is not None:
        query = query.where(models.FlowVersion.number == number)
    found = list(query.order_by(models.FlowVersion.number))
    if number is not None and not found:
        raise NotFound(f"'{flow.name}' has no Version {number}.")
    return found


def cancel_running(actor: Actor, flow_ref: str | int, *, version: int | None = None,
                   with_cards: bool = False) -> CancelResult:
    """Cancel the running instances of the flow (one version or all); their waits stop.

    ``with_cards``: also every open card those versions sent, whether the instance that
    sent it still runs or has ended."""
    with write_transaction():
        member = require(actor, CANCEL_INSTANCES)
        if with_cards:
            require(actor, CANCEL_CARDS)
        flow = get_flow(flow_ref, include_archived=True)
        versions = _versions(flow, version)
        instances, cards = engine.cancel_instances_and_cards(
            [v.id for v in versions], now=clock.current_time(),
            reason=f"Cancelled by {member.name}", with_cards=with_cards)
        result = CancelResult(flow.name, [v.number for v in versions] if version else [],
                              instances, cards, True)
        audit(member, "runtime.cancel_instances", result.describe(), flow=flow,
              version=version, with_cards=with_cards, **result.details())
    return result


def cancel_open_cards(actor: Actor, flow_ref: str | int, *,
                      version: int | None = None) -> CancelResult:
    """Cancel the open cards of the flow (one version or all); instances go on."""
    with write_transaction():
        member = require(actor, CANCEL_CARDS)
        flow = get_flow(flow_ref, include_archived=True)
        versions = _versions(flow, version)
        cards = engine.cancel_cards([v.id for v in versions], now=clock.current_time())
        result = CancelResult(flow.name, [v.number for v in versions] if version else [],
                              0, cards, False)
        audit(member, "runtime.cancel_cards", result.describe(), flow=flow, version=version,
              **result.details())
    return result
