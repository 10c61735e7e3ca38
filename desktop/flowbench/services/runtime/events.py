"""Events of the local runtime: send one, or import many from JSON Lines.

An ``api_event`` starts every flow whose live version has that trigger, for the customer
it names, unless they already run that flow. Events name existing customers (import them
first). Permission: ``edit_draft`` (rehearsal data; see ``runtime_access``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowbench.domain import json_input
from flowbench.domain.errors import InvalidInput, NotFound
from flowbench.runtime import clock
from flowbench.runtime.customers import customer_ids
from flowbench.runtime.events import EventOutcome, EventRecord, record_events
from flowbench.runtime.plans import live_flows
from flowbench.services.context import Actor, audit, require
from flowbench.services.runtime.access import REHEARSAL
from flowbench.services.runtime.files import (
    MAX_PAYLOAD,
    EventLine,
    check_event,
    check_payload,
    parse_events_jsonl,
    payload_text,
)
from flowbench.store import models
from flowbench.store.connection import write_transaction


@dataclass(frozen=True)
class EventsResult:
    recorded: int
    started: dict[str, int] = field(default_factory=dict)  # flow name -> instances

    def to_dict(self) -> dict[str, Any]:
        return {"recorded": self.recorded, "started": self.started}

    def describe(self) -> str:
        text = f"Recorded {self.recorded:,} event{'s' if self.recorded != 1 else ''}."
        if not self.started:
            return text + " No flow started."
        return text + " Started " + ", ".join(
            f"'{name}' for {count:,} customer{'s' if count != 1 else ''}"
            for name, count in sorted(self.started.items())) + "."


def _named(outcome: EventOutcome) -> EventsResult:
    names = {flow.id: flow.name for flow in models.Flow.select(models.Flow.id, models.Flow.name)
             .where(models.Flow.id.in_(list(outcome.started)))} if outcome.started else {}
    return EventsResult(outcome.recorded, {names[flow_id]: count for flow_id, count
                                           in outcome.started.items() if count})


def _record(actor: Actor, lines: list[EventLine], source: str | None) -> EventsResult:
    with write_transaction():
        member = require(actor, REHEARSAL, "send events to the runtime")
        ids = customer_ids(line.customer for line in lines)
        if len(ids) < len({line.customer for line in lines}):
            for line in lines:
                if line.customer not in ids:
                    where = f"{source}, line {line.line}: t" if source else "T"
                    raise NotFound(f"{where}here is no customer '{line.customer}'; import "
                                   "customers first. Nothing was recorded.")
        outcome = record_events([EventRecord(ids[customer], event, payload)
                                 for _, customer, event, payload in lines],
                                clock.current_time())
        result = _named(outcome)
        summary = (f"Imported events from {source}: " if source else
                   f"Sent '{lines[0].event}' for customer '{lines[0].customer}': ")
        audit(member, "events.import" if source else "events.send",
              summary + result.describe(), **result.to_dict())
    return result


def send_event(actor: Actor, customer: str, event: str,
               payload: str | None = None) -> EventsResult:
    """One event for one customer; ``payload`` is a JSON object as text."""
    data: Any = None
    if payload is not None and payload.strip():
        if len(payload) > MAX_PAYLOAD:
            raise InvalidInput(f"The payload is larger than {MAX_PAYLOAD // 1024} KB.")
        try:
            data = json_input.loads(payload)
        except json_input.JsonRefused as exc:
            raise InvalidInput(f"The payload {exc}.") from None
    problem = check_event(customer, event, data) or check_payload(data)
    if problem:
        raise InvalidInput(problem[0].upper() + problem[1:] + ".")
    return _record(actor, [EventLine(1, customer.strip(), event, payload_text(data))], None)


def import_events_jsonl(actor: Actor, data: bytes | str,
                        source: str = "the file") -> EventsResult:
    """Every line's event, in order; a bad line refuses the whole file."""
    return _record(actor, parse_events_jsonl(data, source), source)


def listened_events() -> dict[str, list[str]]:
    """Event name -> the flows whose live version starts on it (names, sorted)."""
    listening = [(flow.plan.trigger.event, flow.flow_id) for flow in live_flows()
                 if flow.plan.trigger.kind == "api_event" and flow.plan.trigger.event]
    if not listening:
        return {}
    names = {flow.id: flow.name for flow in models.Flow.select(models.Flow.id, models.Flow.name)
             .where(models.Flow.id.in_([flow_id for _, flow_id in listening]))}
    found: dict[str, list[str]] = {}
    for event, flow_id in listening:
        found.setdefault(str(event), []).append(names.get(flow_id, "?"))
    return {event: sorted(flows) for event, flows in sorted(found.items())}
