"""What changed between two definitions, in a person's words (for the publish summary)."""

from __future__ import annotations

from flowbench.domain.definition import (
    STEP_FIELDS,
    STEP_LABELS,
    TRIGGER_LABELS,
    FlowDefinition,
    Step,
    StepKind,
    Trigger,
    TriggerKind,
)
from flowbench.domain.durations import describe_duration
from flowbench.domain.flow_summary import describe_rule
from flowbench.domain.step_names import action_words, card_words, step_words

FIELD_WORDS = {
    "title": "title", "body": "text", "buttons": "buttons", "expires_after": "expiry",
    "priority": "priority", "card": "linked card", "duration": "duration",
    "action": "awaited action", "timeout": "timeout", "parent": "position", "kind": "kind",
    "path": "path", "match": "conditions", "conditions": "conditions",
}


def describe_trigger(trigger: Trigger) -> str:
    """'When the API event "signup" arrives', 'When a customer enters "Trial users"'."""
    if trigger.kind == TriggerKind.API_EVENT:
        return f"When the API event “{trigger.event or '?'}” arrives"
    if trigger.kind == TriggerKind.SEGMENT_ENTERED:
        return f"When a customer enters the segment “{trigger.segment or '?'}”"
    if trigger.kind == TriggerKind.MANUAL:
        return "Started manually by a member"
    return f"Unknown trigger “{trigger.kind}”"


def describe_step(step: Step, definition: FlowDefinition | None = None) -> str:
    """'Send card “Welcome!”', 'Wait 2 days', 'Wait until “Welcome!” is submitted'."""
    label = STEP_LABELS.get(StepKind(step.kind)) if step.kind in STEP_FIELDS else None
    if step.kind == StepKind.SEND_CARD:
        extra = f", expires after {describe_duration(step.expires_after)}" \
            if step.expires_after else ""
        return f"Send card “{step.title or ''}”{extra}"
    if step.kind == StepKind.SEND_PUSH:
        return f"Send push “{step.title or ''}”"
    if step.kind == StepKind.WAIT_DURATION:
        return f"Wait {describe_duration(step.duration or '')}"
    if step.kind == StepKind.WAIT_CARD_ACTION:
        timeout = f" (at most {describe_duration(step.timeout)})" if step.timeout else ""
        return (f"Wait until {card_words(definition, step.card)} is "
                f"{action_words(step.action)}{timeout}")
    if step.kind == StepKind.SPLIT:
        return f"Decision split: {describe_rule(step.match, step.conditions)}"
    return label or f"Unknown step “{step.kind}”"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _fields_changed(old: Step, new: Step) -> list[str]:
    names = ["kind", "parent", "path"] + list(STEP_FIELDS.get(new.kind, ()))
    words = [FIELD_WORDS.get(n, n) for n in names if getattr(old, n) != getattr(new, n)]
    return list(dict.fromkeys(words))


def describe_changes(old: FlowDefinition | None, new: FlowDefinition) -> list[str]:
    """Sentences saying what ``new`` changes compared with ``old`` (None: first version)."""
    if old is None:
        return ["First version: everything is new."]
    changes: list[str] = []
    if old.trigger != new.trigger:
        if old.trigger.kind != new.trigger.kind:
            before = TRIGGER_LABELS.get(TriggerKind(old.trigger.kind), old.trigger.kind) \
                if old.trigger.kind in set(TriggerKind) else old.trigger.kind
            changes.append(f"Trigger changed from {before} to "
                           f"{_lower_first(describe_trigger(new.trigger))}.")
        else:
            changes.append(f"Trigger changed: {_lower_first(describe_trigger(new.trigger))}.")
    if old.description != new.description:
        changes.append("Description changed.")
    old_steps = {s.id: s for s in old.steps}
    new_steps = {s.id: s for s in new.steps}
    for step in new.steps:
        earlier = old_steps.get(step.id)
        if earlier is None:
            changes.append(f"Added: {describe_step(step, new)} (step {step.id}).")
        elif earlier != step:
            fields = _fields_changed(earlier, step)
            changes.append(f"Changed {step_words(step, new)} (step {step.id}): "
                           f"{', '.join(fields) or 'details'}.")
    for step in old.steps:
        if step.id not in new_steps:
            changes.append(f"Removed: {describe_step(step, old)} (step {step.id}).")
    return changes or ["No changes to the content since the live version."]
