"""Moving the running instances of earlier versions onto the version being published.

An instance can move when every branch it has pending waits at a step whose id exists in
the new version with the same kind — and, for a wait for a card action, the card step it
awaits exists in the new version too. It moves whole: its pending waits keep their
deadlines, its cards stay its cards (cards keep their step ids and the version that sent
them), and from then on it follows the new version. The others stay where they are (or
are cancelled, when "cancel running instances" is chosen as well).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flowbench.domain.definition import FlowDefinition, StepKind
from flowbench.domain.versions import version_label


def blocking_steps(old: FlowDefinition, new: FlowDefinition, new_number: int,
                   waiting_at: Iterable[str]) -> dict[str, str]:
    """Of the steps of ``old`` where instances wait, those that stop them moving onto
    ``new``, each with the reason in words ("is not in Version 3")."""
    blocked: dict[str, str] = {}
    target = f"Version {new_number}"
    for step_id in sorted(set(waiting_at)):
        before, after = old.step(step_id), new.step(step_id)
        if after is None:
            blocked[step_id] = f"is not in {target}"
        elif before is None or before.kind != after.kind:
            blocked[step_id] = f"is another kind of step in {target}"
        elif after.kind == StepKind.WAIT_CARD_ACTION:
            awaited = new.step(before.card or "")
            if awaited is None or awaited.kind != StepKind.SEND_CARD:
                blocked[step_id] = f"awaits card “{before.card}”, which is not in {target}"
    return blocked


@dataclass(frozen=True)
class BlockedBy:
    """Instances of one earlier version that cannot move because of one step (an
    instance held by several steps is counted once, under the first of them)."""

    version: int
    step: str
    instances: int
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"version": self.version, "step": self.step, "instances": self.instances}


@dataclass(frozen=True)
class MigrationFigures:
    target: int  # the version being published
    versions: tuple[int, ...]  # earlier versions with running instances
    movable: int
    not_movable: int
    blocked_by: tuple[BlockedBy, ...] = ()
    # customers of the flow's segment (segment triggers) whose running instance can move:
    # moved, they keep running, so "start for existing segment members" skips them
    segment_members_moving: int = 0

    @property
    def running(self) -> int:
        return self.movable + self.not_movable

    def to_dict(self) -> dict[str, object]:
        return {"movable": self.movable, "not_movable": self.not_movable,
                "blocked_by": [b.to_dict() for b in self.blocked_by]}

    def why_not(self) -> str:
        """'their step “pause” is not in Version 3' (the reasons of every blocking step)."""
        reasons: dict[str, list[str]] = {}
        for blocked in self.blocked_by:
            steps = reasons.setdefault(blocked.reason, [])
            if blocked.step not in steps:
                steps.append(blocked.step)
        parts = []
        for reason, steps in reasons.items():
            named = _names([f"“{step}”" for step in steps])
            plural = len(steps) > 1
            verb = reason.replace("is ", "are ", 1) if plural and reason.startswith("is ") \
                else reason.replace("awaits", "await", 1) if plural else reason
            parts.append(f"their step{'s' if plural else ''} {named} {verb}")
        return "; ".join(parts)

    def choice_text(self) -> str:
        """'Move 312 running instances of Versions 1–2 onto Version 3 (8 cannot move: their
        step “pause” is not in Version 3)'."""
        text = self.move_text()
        return f"{text} ({self.held_text()})" if self.not_movable else text

    def move_text(self) -> str:
        """'Move 312 running instances of Versions 1–2 onto Version 3'."""
        label = version_label(list(self.versions))
        return (f"Move {_count(self.movable, 'running instance')} of {label} onto "
                f"Version {self.target}")

    def held_text(self) -> str:
        """'8 cannot move: their step “pause” is not in Version 3' ("" when all can)."""
        return f"{self.not_movable:,} cannot move: {self.why_not()}" if self.not_movable \
            else ""

    def cancel_text(self) -> str:
        """The cancel choice's label while moving is chosen too."""
        return f"Cancel the {self.not_movable:,} that cannot move"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
