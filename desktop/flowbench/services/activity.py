"""A flow's activity in the local runtime, cancelling it on demand, and a test inbox.

* ``flow_activity``: instances and cards per version and status — live figures only,
  read from the tallies the database keeps (a few rows whatever the runtime's size).
* ``cancel_activity``: cancel the running instances of one version (or of all), and
  optionally every open card those versions sent, in one transaction. It is made of
  ``runtime_cancel``'s two use cases, which check permissions and write the audit.
* ``inbox_of`` (in ``test_inbox``, named here too): what a test account received from
  its latest run of a flow.

Looking needs an active member (``view``); cancelling needs ``cancel_instances`` (and
``cancel_cards`` with cards).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowbench.domain.roles import Permission
from flowbench.services.context import Actor, get_flow, require
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import status as runtime_status
from flowbench.services.runtime.cancel import CancelResult
from flowbench.services.runtime.cards import OPEN_STATUSES
from flowbench.services.test_inbox import Inbox, InboxCard, InboxPush, inbox_of

__all__ = ["Inbox", "InboxCard", "InboxPush", "inbox_of"]  # the test inbox, moved
INSTANCE_STATUSES = runtime_status.INSTANCE_STATUSES
CARD_STATUSES = runtime_status.CARD_STATUSES


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
        return sum(self.cards.get(status, 0) for status in OPEN_STATUSES)

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
    return runtime_cancel.cancel_running(actor, flow_ref, version=version,
                                         with_cards=with_cards)


# --- the test inbox ------------------------------------------------------------------------

