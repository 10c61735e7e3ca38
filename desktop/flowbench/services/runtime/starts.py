"""Starting flows by hand: a live ``manual`` flow for chosen customers, and test sends.

A test send runs the flow's **draft** for test accounts only: a customer who is not a
test account is never sent anything and is reported as skipped, with the reason. A test
account's earlier run of the flow is replaced, so every test send shows the draft as it
is now (its running instance and its open cards of the flow are cancelled first). Test
instances and cards are marked and never counted in live figures.

Permissions: ``publish`` to start a live flow, ``send_test`` for test sends (see
``runtime_access``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flowbench.domain.definition import FlowDefinition, TriggerKind
from flowbench.domain.errors import Conflict, InvalidInput, NotFound
from flowbench.domain.versions import VersionStatus
from flowbench.domain.wording import count_of
from flowbench.runtime import clock, engine
from flowbench.runtime.customers import existing_customers
from flowbench.services.context import Actor, audit, get_flow, require
from flowbench.services.drafts import problems_of
from flowbench.services.runtime.access import START_LIVE, TEST_SEND
from flowbench.store import models
from flowbench.store.connection import write_transaction
from flowbench.store.query_rows import tuples

ALREADY_RUNNING = "already runs this flow"
NOT_TEST = "not a test account: a draft never reaches real customers"


@dataclass(frozen=True)
class StartResult:
    flow: str
    version: int
    test: bool
    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (customer, why)
    replaced: int = 0  # earlier test runs replaced

    def details(self) -> dict[str, Any]:
        """For the audit entry (which names the flow itself)."""
        return {key: value for key, value in self.to_dict().items() if key != "flow"}

    def to_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "version": self.version, "test": self.test,
                "sent": self.sent, "replaced": self.replaced,
                "skipped": [{"customer": c, "reason": why} for c, why in self.skipped]}

    def describe(self) -> list[str]:
        what = "the draft" if self.test else "the live version"
        lines = [f"'{self.flow}' Version {self.version} ({what}): sent to "
                 f"{len(self.sent):,} customer{'s' if len(self.sent) != 1 else ''}"
                 + (f": {', '.join(self.sent)}." if self.sent else ".")]
        lines += [f"Skipped {customer}: {why}." for customer, why in self.skipped]
        return lines


def _named(external_ids: Sequence[str]) -> dict[str, tuple[int, bool]]:
    names = [name.strip() for name in external_ids if name.strip()]
    if not names:
        raise InvalidInput("Name at least one customer.")
    found = existing_customers(names)
    unknown = [name for name in dict.fromkeys(names) if name not in found]
    if unknown:
        raise NotFound("There is no customer " + ", ".join(f"'{n}'" for n in unknown)
                       + "; nothing was started.")
    return {name: (found[name][0], found[name][2]) for name in dict.fromkeys(names)}


def _flow_version(flow_ref: str | int, status: VersionStatus,
                  missing: str) -> tuple[models.Flow, models.FlowVersion]:
    """The flow and its version of ``status``; refused with ``missing`` (naming the flow
    as ``{flow}``) when it has none."""
    flow = get_flow(flow_ref)
    version = models.FlowVersion.get_or_none((models.FlowVersion.flow == flow.id)
                                             & (models.FlowVersion.status == status.value))
    if version is None:
        raise NotFound(missing.format(flow=flow.name))
    return flow, version


def _started_of(flow_id: int, after_instance: int) -> set[int]:
    started = models.Instance.select(models.Instance.customer).where(
        (models.Instance.flow == flow_id) & (models.Instance.id > after_instance))
    return {customer_id for (customer_id,) in tuples(started, tuple[int])}


def _last_instance() -> int:
    return models.Instance.select(models.Instance.id).order_by(
        models.Instance.id.desc()).scalar() or 0


def start_manual(actor: Actor, flow_ref: str | int, customers: Sequence[str]) -> StartResult:
    """Start the live version of a ``manual`` flow for the named customers."""
    with write_transaction():
        member = require(actor, START_LIVE, "start flows for customers")
        flow, live = _flow_version(flow_ref, VersionStatus.LIVE,
                                   "'{flow}' has no live version: publish it first.")
        trigger = FlowDefinition.from_json(live.definition).trigger
        if trigger.kind != TriggerKind.MANUAL:
            how = (f"on the event '{trigger.event}'" if trigger.kind == TriggerKind.API_EVENT
                   else f"when customers enter '{trigger.segment}'")
            raise Conflict(f"'{flow.name}' starts {how}, not by hand.")
        named = _named(customers)
        before = _last_instance()
        engine.start_instances(flow.id, live.id, [cid for cid, _ in named.values()],
                               now=clock.current_time())
        started = _started_of(flow.id, before)
        result = StartResult(flow.name, live.number, False,
                             [name for name, (cid, _) in named.items() if cid in started],
                             [(name, ALREADY_RUNNING) for name, (cid, _) in named.items()
                              if cid not in started])
        audit(member, "runtime.start", f"Started '{flow.name}' Version {live.number} for "
              f"{len(result.sent):,} customer{'' if len(result.sent) == 1 else 's'}", flow=flow,
              **result.details())
    return result


def test_send(actor: Actor, flow_ref: str | int, customers: Sequence[str]) -> StartResult:
    """Run the draft for the named test accounts; everybody else is skipped."""
    with write_transaction():
        member = require(actor, TEST_SEND)
        flow, draft = _flow_version(flow_ref, VersionStatus.DRAFT,
                                    "'{flow}' has no draft to test: edit it to start one.")
        errors = [p for p in problems_of(flow.name, FlowDefinition.from_json(draft.definition))
                  if p.is_error]
        if errors:
            raise InvalidInput(f"The draft of '{flow.name}' has {len(errors)} validation "
                               f"error{'s' if len(errors) != 1 else ''}; fix "
                               f"{'them' if len(errors) != 1 else 'it'} before a test send: "
                               f"{errors[0].message}")
        named = _named(customers)
        testers = {name: cid for name, (cid, is_test) in named.items() if is_test}
        now = clock.current_time()
        replaced = engine.cancel_for_customers(flow.id, list(testers.values()), now=now,
                                               reason="Replaced by a new test send")
        engine.start_instances(flow.id, draft.id, list(testers.values()), now=now,
                               is_test=True)
        result = StartResult(flow.name, draft.number, True, list(testers),
                             [(name, NOT_TEST) for name, (_, is_test) in named.items()
                              if not is_test], replaced)
        audit(member, "runtime.test_send", f"Test send of '{flow.name}' Version "
              f"{draft.number} to {count_of(len(result.sent), 'test account')}"
              + (f" ({len(result.skipped)} skipped)" if result.skipped else ""),
              flow=flow, **result.details())
    return result
