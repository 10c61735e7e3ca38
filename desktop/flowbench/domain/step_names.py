"""Steps named for people: by their title or what they do, never by their id alone.

``card_words`` and ``step_words`` are what messages, summaries, validation and audit
texts use; the id appears only as a secondary detail (``with_id``). A card action
"any" reads "closed" (any way a card closes).
"""

from __future__ import annotations

from flowbench.domain.definition import FlowDefinition, Step, StepKind
from flowbench.domain.durations import describe_duration

ACTION_WORDS = {"any": "closed", "submitted": "submitted", "dismissed": "dismissed",
                "cancelled": "cancelled", "expired": "expired"}


def action_words(action: str | None) -> str:
    """A card action as a sentence ends with it: "submitted", "closed" (for "any")."""
    if not action:
        return "acted on"
    return ACTION_WORDS.get(action, action)


def card_title(definition: FlowDefinition | None, card_id: str) -> str | None:
    """The title of the card step ``card_id`` in quotes (“Welcome!”); None without one."""
    step = definition.step(card_id) if definition is not None else None
    if step is not None and step.title and step.title.strip():
        return f"“{step.title.strip()}”"
    return None


def card_words(definition: FlowDefinition | None, card_id: str | None) -> str:
    """A card step as people know it: “Welcome!” (its title), else the card “welcome”."""
    if not card_id:
        return "no card"
    return card_title(definition, card_id) or f"the card “{card_id}”"


def step_words(step: Step, definition: FlowDefinition | None = None) -> str:
    """What a step is, in a few words: 'the card “Welcome!”', 'the wait of 2 days'."""
    title = (step.title or "").strip()
    if step.kind == StepKind.SEND_CARD:
        return f"the card “{title}”" if title else f"the untitled card “{step.id}”"
    if step.kind == StepKind.SEND_PUSH:
        return f"the push “{title}”" if title else f"the untitled push “{step.id}”"
    if step.kind == StepKind.WAIT_DURATION:
        return (f"the wait of {describe_duration(step.duration)}" if step.duration
                else f"the wait “{step.id}”")
    if step.kind == StepKind.WAIT_CARD_ACTION:
        if step.card:
            return (f"the wait until {card_words(definition, step.card)} is "
                    f"{action_words(step.action)}")
        return f"the wait for a card “{step.id}”"
    return f"the step “{step.id}”"


def with_id(words: str, step_id: str) -> str:
    """'the card “Welcome!” (step welcome)': the id as a secondary detail."""
    return f"{words} (step {step_id})"


def name_step(definition: FlowDefinition | None, step_id: str | None) -> str:
    """A step named by its id in a definition; the id itself when the step is unknown."""
    step = definition.step(step_id) if definition is not None and step_id else None
    if step is None:
        return f"the step “{step_id}”" if step_id else "the trigger"
    return step_words(step, definition)
