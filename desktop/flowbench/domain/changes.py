"""What changed between two definitions, value by value and in a person's words (for the
publish summary and the dry run's ``changes``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from flowbench.domain.comparison import DefinitionDiff, StepDiff, StepState, compare_definitions
from flowbench.domain.definition import (
    STEP_FIELDS,
    STEP_LABELS,
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
    "event": "event", "segment": "segment",
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


@dataclass(frozen=True)
class Change:
    """One change, value by value: where (step and field), before, after, in words."""

    text: str
    step: str | None = None  # None: the trigger or the description
    field: str | None = None  # None: a whole step added or removed
    before: Any = None  # JSON values as the definitions hold them (None: absent)
    after: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "step": self.step, "field": self.field,
                "before": self.before, "after": self.after}


FIRST_VERSION = "First version: everything is new."
NO_CHANGES = "No changes to the content since the live version."
SHORT_TEXT = 60  # longer texts are cut in sentences (the JSON keeps them whole)
CONTEXT = 20  # what a cut text keeps of the same start before where two texts differ
DURATION_FIELDS = {"duration", "timeout", "expires_after"}


def _quoted(text: str) -> str:
    return f"“{text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 1] + '…'}”"


def _excerpts(before: str, after: str) -> tuple[str, str]:
    """Two texts as a change shows them: cut where they start to differ when either is
    long (the same start elided with “…”), so that the change itself shows — cut at the
    same place from the start, a long description edited near its end would read the
    same on both sides of the arrow."""
    if len(before) <= SHORT_TEXT and len(after) <= SHORT_TEXT:
        return _quoted(before), _quoted(after)
    same = len(os.path.commonprefix([before, after]))
    start = max(0, same - CONTEXT)
    if start:  # from the start of the next word, when one begins near
        space = before.find(" ", start, start + CONTEXT // 2)
        start = space + 1 if 0 <= space < same else start

    def cut(text: str) -> str:
        lead = "…" if start else ""
        piece = text[start:]
        if len(lead) + len(piece) > SHORT_TEXT:
            piece = piece[:SHORT_TEXT - 1 - len(lead)] + "…"
        return f"“{lead}{piece}”"

    return cut(before), cut(after)


def change_words(name: str, before: Any, after: Any) -> str:
    """``before → after`` as a person reads it (see ``value_words``); two texts cut where
    they differ (``_excerpts``)."""
    words = value_words(name, before), value_words(name, after)
    if isinstance(before, str) and isinstance(after, str) \
            and words == (_quoted(before), _quoted(after)):  # plain texts, both
        words = _excerpts(before, after)
    return " → ".join(words)


def value_words(name: str, value: Any) -> str:
    """A field's value as a person reads it: “Welcome”, 2 days, none, 5."""
    if value is None or value == "" or value == []:
        return "none"
    if name in DURATION_FIELDS and isinstance(value, str):
        return describe_duration(value)
    if name == "buttons" and isinstance(value, list):
        return ", ".join(f"{_quoted(str(b.get('label', '')))} ({b.get('action', '?')})"
                         if isinstance(b, dict) else str(b) for b in value)
    if name == "kind" and value in STEP_FIELDS:
        return STEP_LABELS[StepKind(value)]
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _field_word(step: Step | None, name: str) -> str:
    if name == "duration" and step is not None and step.kind == StepKind.WAIT_DURATION:
        return "wait"
    return FIELD_WORDS.get(name, name.replace("_", " "))


def _button_changes(where: str, step_id: str, before: Any, after: Any) -> list[Change]:
    old = {str(b.get("label")): b for b in before or () if isinstance(b, dict)}
    new = {str(b.get("label")): b for b in after or () if isinstance(b, dict)}
    found = [Change(f"{where}: button removed {_quoted(label)}.", step_id, "buttons", button,
                    None) for label, button in old.items() if label not in new]
    for label, button in new.items():
        if label not in old:
            found.append(Change(f"{where}: button added {_quoted(label)}.", step_id,
                                "buttons", None, button))
        elif old[label] != button:
            parts = [f"{key} {change_words(key, old[label].get(key), button.get(key))}"
                     for key in sorted(set(old[label]) | set(button))
                     if old[label].get(key) != button.get(key)]
            found.append(Change(f"{where}: button {_quoted(label)}: {', '.join(parts)}.",
                                step_id, "buttons", old[label], button))
    if not found and list(old) != list(new):
        found.append(Change(f"{where}: buttons reordered ({', '.join(map(_quoted, new))}).",
                            step_id, "buttons", before, after))
    return found


def _step_changes(diff: StepDiff, old: FlowDefinition, new: FlowDefinition) -> list[Change]:
    """Steps named for people (by title or what they do), the id as a detail."""
    if diff.state == StepState.ADDED:
        added = new.step(diff.id) or Step.from_dict(diff.after or {})
        return [Change(f"Added: {describe_step(added, new)} (step {diff.id}).", diff.id, None,
                       None, diff.after)]
    if diff.state == StepState.REMOVED:
        removed = old.step(diff.id) or Step.from_dict(diff.before or {})
        return [Change(f"Removed: {describe_step(removed, old)} (step {diff.id}).", diff.id,
                       None, diff.before, None)]
    step = new.step(diff.id) or Step.from_dict(diff.after or {})
    where = f"Changed {step_words(step, new)} (step {diff.id})"
    found: list[Change] = []
    for field_diff in diff.changed_fields:
        name, before, after = field_diff.name, field_diff.before, field_diff.after
        if name == "parent":
            into = f"under “{after}”" if after else "to the top (right after the trigger)"
            found.append(Change(f"Moved {step_words(step, new)} (step {diff.id}) {into}.",
                                diff.id, name, before, after))
        elif name == "buttons":
            found.extend(_button_changes(where, diff.id, before, after))
        else:
            found.append(Change(f"{where}: {_field_word(step, name)} "
                                f"{change_words(name, before, after)}.",
                                diff.id, name, before, after))
    return found


def _trigger_changes(comparison: DefinitionDiff, old: Trigger, new: Trigger) -> list[Change]:
    if not comparison.trigger_changed:
        return []
    if old.kind != new.kind:
        return [Change(f"Trigger: {_lower_first(describe_trigger(old))} → "
                       f"{_lower_first(describe_trigger(new))}.", None, "trigger",
                       old.to_dict(), new.to_dict())]
    return [Change(f"Trigger: {FIELD_WORDS.get(f.name, f.name)} "
                   f"{change_words(f.name, f.before, f.after)}.", None, f"trigger.{f.name}",
                   f.before, f.after) for f in comparison.trigger if f.changed]


def list_changes(old: FlowDefinition | None, new: FlowDefinition) -> list[Change]:
    """What ``new`` changes compared with ``old``, value by value (one entry saying so
    when it is the first version or nothing changed)."""
    if old is None:
        return [Change(FIRST_VERSION)]
    comparison = compare_definitions(old, new)
    found = _trigger_changes(comparison, old.trigger, new.trigger)
    if comparison.description.changed:
        found.append(Change(
            f"Description {change_words('description', old.description, new.description)}.",
            None, "description", old.description, new.description))
    removed_last = sorted(comparison.steps, key=lambda d: d.state == StepState.REMOVED)
    for diff in removed_last:  # stable: the new tree's order, then what was removed
        found.extend(_step_changes(diff, old, new))
    return found or [Change(NO_CHANGES)]


def describe_changes(old: FlowDefinition | None, new: FlowDefinition) -> list[str]:
    """Sentences saying what ``new`` changes compared with ``old`` (None: first version)."""
    return [change.text for change in list_changes(old, new)]
