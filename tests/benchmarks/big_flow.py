"""The large flows of the benchmark: 500 steps of every kind, as one line or a bushy tree."""

from __future__ import annotations

from flowbench.domain.definition import FlowDefinition, Step, StepKind, Trigger, default_step

KINDS = [StepKind.SEND_CARD, StepKind.WAIT_DURATION, StepKind.SEND_PUSH,
         StepKind.WAIT_CARD_ACTION]


def big_flow(size: int, spread: int = 1, event: str = "big.flow") -> FlowDefinition:
    """``size`` steps cycling through the four kinds; each follows one of the ``spread``
    steps before it, so a spread of 1 is one long line (the deepest tree) and 12 a bushy
    tree. Every wait-for-card-action waits for the nearest card above it, so a line is
    valid; the flow is triggered by the API event ``event``."""
    steps: list[Step] = []
    taken: set[str] = set()
    counters = {kind.value: 0 for kind in KINDS}
    stems = {"send_card": "card", "send_push": "push", "wait_duration": "wait",
             "wait_card_action": "await"}
    cards: dict[str, str | None] = {}  # step id -> the nearest card at or above it
    for number in range(size):
        kind = KINDS[number % 4].value
        if steps:
            parent_step = steps[-1 - (number * 7 % spread)] if len(steps) >= spread \
                else steps[-1]
            parent: str | None = parent_step.id
        else:
            parent = None
        counters[kind] += 1
        step_id = f"{stems[kind]}_{counters[kind]}"
        taken.add(step_id)
        step = default_step(kind, step_id, parent)
        above = cards.get(parent) if parent else None
        if kind in (StepKind.SEND_CARD, StepKind.SEND_PUSH):
            step = step.with_changes(title=f"Message {number}", body="Body text")
        if kind == StepKind.WAIT_CARD_ACTION:
            step = step.with_changes(card=above)
        cards[step_id] = step_id if kind == StepKind.SEND_CARD else above
        steps.append(step)
    return FlowDefinition(trigger=Trigger("api_event", event=event), steps=tuple(steps),
                          description=f"A {size}-step flow for the benchmark.")
