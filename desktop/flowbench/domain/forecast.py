"""A forecast: what the live version and the draft would each have done with the recorded
history of the last days (counts per version and per sending step, and the difference in
words). Built by ``services/forecast.py``; shown by the CLI, the Publish tab and the
pre-publish dialog."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from flowbench.domain.definition import StepKind

DAY = 86_400
SENDING = (StepKind.SEND_CARD.value, StepKind.SEND_PUSH.value)
SENT_WORDS = {StepKind.SEND_CARD.value: "cards", StepKind.SEND_PUSH.value: "pushes"}


@dataclass(frozen=True)
class StepForecast:
    id: str
    kind: str
    sent: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "sent": self.sent}


@dataclass(frozen=True)
class VersionForecast:
    version: int
    started: int
    completed: int
    waiting: int
    steps: tuple[StepForecast, ...]  # the sending steps, in tree order

    @property
    def cards(self) -> int:
        return sum(s.sent for s in self.steps if s.kind == StepKind.SEND_CARD)

    @property
    def pushes(self) -> int:
        return sum(s.sent for s in self.steps if s.kind == StepKind.SEND_PUSH)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version,
                "instances": {"started": self.started, "completed": self.completed,
                              "waiting": self.waiting},
                "steps": [step.to_dict() for step in self.steps]}


@dataclass(frozen=True)
class StepSent:
    """What one sending step sent on each side (None: the side has no such step)."""

    id: str
    what: str  # "cards", "pushes"
    live: int | None
    draft: int | None


def _moment(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 'es' if word.endswith('sh') else 's'}"


@dataclass(frozen=True)
class Forecast:
    flow: str
    days: int
    start: int  # runtime clock seconds: the window replayed
    end: int
    triggers: int  # recorded triggers replayed (events or segment entries, test accounts out)
    card_actions: int  # recorded card actions replayed
    live: VersionForecast | None  # None: nothing is live yet
    draft: VersionForecast
    history_since: int | None = None  # the oldest runtime record (None: none at all)
    draft_only_card_steps: tuple[str, ...] = ()  # get no recorded actions
    trigger_note: str = ""  # when the draft starts on something else than the live version
    tick: int = 1  # seconds per replay step
    notes_extra: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The ``forecast --json`` document (an interface: keep its keys)."""
        return {"flow": self.flow, "days": self.days, "from": _moment(self.start),
                "to": _moment(self.end),
                "history": {"triggers": self.triggers, "card_actions": self.card_actions},
                "live": self.live.to_dict() if self.live else None,
                "draft": self.draft.to_dict()}

    def difference(self) -> str:
        """'Version 3 would have sent 1,240 cards (Version 2: 1,100) and 0 pushes (830).'"""
        draft, live = self.draft, self.live
        if live is None:
            return (f"Version {draft.version} would have sent {_count(draft.cards, 'card')} "
                    f"and {_count(draft.pushes, 'push')} (nothing is live to compare with).")
        return (f"Version {draft.version} would have sent {_count(draft.cards, 'card')} "
                f"(Version {live.version}: {live.cards:,}) and "
                f"{_count(draft.pushes, 'push')} ({live.pushes:,}).")

    def sent_by_step(self) -> list[StepSent]:
        """Each sending step of either version, the draft's order first."""
        live_steps = {s.id: s for s in self.live.steps} if self.live else {}
        draft_steps = {s.id: s for s in self.draft.steps}
        found = []
        for step_id in dict.fromkeys([*draft_steps, *live_steps]):
            step = draft_steps.get(step_id) or live_steps[step_id]
            found.append(StepSent(step_id, SENT_WORDS.get(step.kind, step.kind),
                                  live_steps[step_id].sent if step_id in live_steps else None,
                                  draft_steps[step_id].sent if step_id in draft_steps
                                  else None))
        return found

    @property
    def history_days(self) -> float:
        if self.history_since is None:
            return 0.0
        return max(0.0, (self.end - self.history_since) / DAY)

    def notes(self) -> list[str]:
        """What the reader must know about the figures, in sentences."""
        found: list[str] = []
        if self.history_since is None:
            found.append("There is no recorded runtime history yet: nothing to replay.")
        elif self.history_since > self.start:
            found.append(f"The recorded history covers only {self.history_days:.1f} days "
                         f"(since {_moment(self.history_since)}), not {self.days}.")
        for step in self.draft_only_card_steps:
            found.append(f"Step “{step}” is only in the draft: no recorded card actions, so "
                         "its cards are never acted on in the forecast.")
        if self.trigger_note:
            found.append(self.trigger_note)
        if self.tick > 1:
            found.append(f"Replayed in steps of {self.tick // 60} minutes "
                         f"({self.triggers + self.card_actions:,} records).")
        found.extend(self.notes_extra)
        return found
