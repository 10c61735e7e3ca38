"""Flow files: a flow as a JSON document that can be imported and exported.

Reading is strict about the *shape* of the file — bad JSON, wrong types, unknown keys,
unknown trigger or step kinds, unknown button or card actions and a wrong ``format`` are
refused with a ``FlowFileError`` whose message starts with the place
(``steps[2].duration: expected a string, found a number``). What the shape allows but the
flow gets wrong — an empty title, ``P0D``, a dangling parent — is left to validation:
such a file reads fine, and the editor shows the problems. A file past one of the limits
every flow keeps (``domain.limits``: steps, depth, durations, texts) is refused the same
way, naming the place (``steps[4].timeout: at most 10 years``), without reading further
than it must: a file of 100,000 steps is refused before any step is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from flowbench.domain.definition import (
    STEP_FIELDS,
    TRIGGER_FIELDS,
    AwaitedCardAction,
    Button,
    ButtonAction,
    FlowDefinition,
    Step,
    StepKind,
    StepPath,
    Trigger,
    TriggerKind,
    condition_from_dict,
)
from flowbench.domain.errors import PlacedInvalidInput
from flowbench.domain.limits import MAX_STEPS, LimitExceeded, check_limits
from flowbench.domain.safe_text import safe_json_text
from flowbench.domain.segment_rules import NO_VALUE_OPS, OPS

FORMAT = "flowbench.flow"
FORMAT_VERSION = 1
MAX_FILE_CHARACTERS = 64 * 1024 * 1024  # far above the largest flow the limits allow

T = TypeVar("T")

_TOP_KEYS = ("format", "format_version", "version", "name", "description", "trigger", "steps")
_BUTTON_KEYS = ("label", "action", "url")
_CONDITION_KEYS = ("attribute", "op", "value")
_TEXT_FIELDS = frozenset({"title", "body", "expires_after", "card", "duration", "action",
                          "timeout"})


class FlowFileError(PlacedInvalidInput):
    """A malformed flow file; ``place`` says where (``steps[2].duration``, ``line 3, …``)."""


@dataclass(frozen=True)
class FlowFile:
    """What a flow file holds: the flow's name and its definition."""

    name: str
    definition: FlowDefinition

    @property
    def description(self) -> str:
        return self.definition.description


class _Object(dict[str, Any]):
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    duplicates: list[str] = []


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):  # rare: find which keys came twice
        seen: set[str] = set()
        result.duplicates = []
        for key, _value in pairs:
            if key in seen:
                result.duplicates.append(key)
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a flow file")


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _at(place: str, key: str) -> str:
    """``steps[0]`` + ``title`` → ``steps[0].title`` (odd keys are quoted)."""
    plain = key.isascii() and key.replace("_", "a").isalnum()
    part = key if plain else json.dumps(key)
    if plain:
        return f"{place}.{part}" if place else part
    return f"{place}[{part}]"


def _object(value: Any, place: str, allowed: Collection[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FlowFileError(place, f"expected an object, found {_type_name(value)}")
    duplicates: list[str] = getattr(value, "duplicates", [])
    if duplicates:
        raise FlowFileError(_at(place, duplicates[0]), "appears twice")
    for key in value:
        if key not in allowed:
            raise FlowFileError(_at(place, key),
                                f"unknown key ({what} has {', '.join(allowed)})")
    return value


def _text(value: Any, place: str) -> str:
    if not isinstance(value, str):
        raise FlowFileError(place, f"expected a string, found {_type_name(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FlowFileError(place, "contains a character that is not valid text "
                                   "(an unpaired surrogate)") from None
    return value


def _optional_text(data: dict[str, Any], key: str, place: str) -> str | None:
    value = data.get(key)
    return None if value is None else _text(value, _at(place, key))


def _required(data: dict[str, Any], key: str, place: str) -> Any:
    if key not in data:
        raise FlowFileError(_at(place, key), "missing")
    return data[key]


def _choice(value: Any, place: str, choices: Collection[str], what: str) -> str:
    text = _text(value, place)
    if text not in choices:
        raise FlowFileError(place, f"{json.dumps(text)} is not {what}; expected one of "
                                   + ", ".join(choices))
    return text


def _whole_number(value: Any, place: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FlowFileError(place, f"expected a whole number, found {_type_name(value)}")
    return value


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _trigger(value: Any) -> Trigger:
    place = "trigger"
    if not isinstance(value, dict):
        raise FlowFileError(place, f"expected an object, found {_type_name(value)}")
    kind = _choice(_required(value, "kind", place), "trigger.kind", _values(TriggerKind),
                   "a trigger kind")
    fields = TRIGGER_FIELDS[kind]
    _object(value, place, ("kind", *fields), f"a {kind} trigger")
    return Trigger(kind=kind, event=_optional_text(value, "event", place),
                   segment=_optional_text(value, "segment", place))


def _button(value: Any, place: str) -> Button:
    data = _object(value, place, _BUTTON_KEYS, "a button")
    return Button(label=_text(_required(data, "label", place), _at(place, "label")),
                  action=_choice(_required(data, "action", place), _at(place, "action"),
                                 _values(ButtonAction), "a button action"),
                  url=_optional_text(data, "url", place))


def _list_of(read: Callable[[Any, str], T], value: Any, place: str) -> tuple[T, ...]:
    """A list (absent: empty) whose items ``read`` checks, each at ``place[index]``."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FlowFileError(place, f"expected a list, found {_type_name(value)}")
    return tuple(read(item, f"{place}[{index}]") for index, item in enumerate(value))


def _condition(value: Any, place: str) -> Any:
    data = _object(value, place, _CONDITION_KEYS, "a condition")
    _text(_required(data, "attribute", place), _at(place, "attribute"))
    op = _choice(_required(data, "op", place), _at(place, "op"), OPS, "a condition op")
    if op not in NO_VALUE_OPS:
        item = _required(data, "value", place)
        if isinstance(item, dict):
            raise FlowFileError(_at(place, "value"), "expected a value or a list, found "
                                                     "an object")
    return condition_from_dict(data)


def _step(value: Any, place: str) -> Step:
    if not isinstance(value, dict):
        raise FlowFileError(place, f"expected an object, found {_type_name(value)}")
    step_id = _text(_required(value, "id", place), _at(place, "id"))
    kind = _choice(_required(value, "kind", place), _at(place, "kind"), _values(StepKind),
                   "a step kind")
    fields = STEP_FIELDS[kind]
    _object(value, place, ("id", "kind", "parent", "path", *fields), f"a {kind} step")
    values: dict[str, Any] = {}
    for name in fields:
        where = _at(place, name)
        if name == "buttons":
            values[name] = _list_of(_button, value.get(name), where)
        elif name == "priority":
            values[name] = _whole_number(value.get(name), where)
        elif name == "action" and value.get(name) is not None:
            values[name] = _choice(value[name], where, _values(AwaitedCardAction),
                                   "a card action to wait for")
        elif name == "match" and value.get(name) is not None:
            values[name] = _choice(value[name], where, ("all", "any"), "a match")
        elif name == "conditions":
            values[name] = _list_of(_condition, value.get(name), where)
        elif name in _TEXT_FIELDS:
            values[name] = _optional_text(value, name, place)
    path = value.get("path")
    if path is not None:
        path = _choice(path, _at(place, "path"), _values(StepPath), "a path")
    return Step(id=step_id, kind=kind, parent=_optional_text(value, "parent", place),
                path=path, **values)


def _steps(value: Any) -> tuple[Step, ...]:
    if not isinstance(value, list):
        raise FlowFileError("steps", f"expected a list, found {_type_name(value)}")
    if len(value) > MAX_STEPS:
        raise FlowFileError("steps", f"at most {MAX_STEPS:,} steps (this file has "
                                     f"{len(value):,})")
    return tuple(_step(item, f"steps[{index}]") for index, item in enumerate(value))


def _load_json(text: str) -> Any:
    try:
        # a number too large for its place is refused there (domain.limits), naming it
        return json.loads(text, object_pairs_hook=_object_pairs,
                          parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise FlowFileError(f"line {exc.lineno}, column {exc.colno}",
                            f"not valid JSON ({exc.msg})") from None
    except ValueError as exc:  # NaN / Infinity, numbers too large
        raise FlowFileError("file", f"not valid JSON ({exc})") from None
    except RecursionError:
        raise FlowFileError("file", "nested too deeply to be a flow file") from None


LARGE_FILE_CHARACTERS = 1024 * 1024


def _refuse_too_many_steps(text: str) -> None:
    """A large file is first read by json's C parser alone (half the time of the careful
    reading below): a flow file with far too many steps is refused without the rest."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return  # the careful reading says what is wrong
    if isinstance(data, dict) and data.get("format") == FORMAT \
            and data.get("format_version") == FORMAT_VERSION \
            and isinstance(data.get("steps"), list) and len(data["steps"]) > MAX_STEPS:
        raise FlowFileError("steps", f"at most {MAX_STEPS:,} steps (this file has "
                                     f"{len(data['steps']):,})")


def parse_flow_file(text: str) -> FlowFile:
    """Read a flow file; raise ``FlowFileError`` (an ``InvalidInput``) if it is malformed."""
    if not isinstance(text, str):
        raise FlowFileError("file", "expected text")
    if len(text) > MAX_FILE_CHARACTERS:
        raise FlowFileError("file", f"larger than {MAX_FILE_CHARACTERS // 1024 // 1024} MB: "
                                    "no flow within the limits is that large")
    text = text.removeprefix("\ufeff")
    if len(text) > LARGE_FILE_CHARACTERS:
        _refuse_too_many_steps(text)
    data = _load_json(text)
    if not isinstance(data, dict):
        raise FlowFileError("file", f"expected a JSON object, found {_type_name(data)}")
    file_format = data.get("format")
    if file_format != FORMAT:
        found = "missing" if "format" not in data else f"is {json.dumps(file_format)}"
        raise FlowFileError("format", f"{found}, expected \"{FORMAT}\": this is not a "
                                      "Flowbench flow file")
    file_version = _whole_number(_required(data, "format_version", ""), "format_version")
    if file_version != FORMAT_VERSION:
        raise FlowFileError("format_version", f"this file uses format version {file_version}"
                                              f"; this Flowbench reads version {FORMAT_VERSION}")
    _object(data, "", _TOP_KEYS, "a flow file")
    name = _text(_required(data, "name", ""), "name")
    if not name.strip():
        raise FlowFileError("name", "the flow needs a name")
    description = _optional_text(data, "description", "") or ""
    trigger = _trigger(_required(data, "trigger", ""))
    steps = _steps(_required(data, "steps", ""))
    definition = FlowDefinition(trigger=trigger, steps=steps, description=description)
    try:
        check_limits(definition, name)
    except LimitExceeded as exc:
        raise FlowFileError(exc.place, exc.problem) from None
    return FlowFile(name, definition)


def flow_file_dict(name: str, definition: FlowDefinition,
                   version: int | None = None) -> dict[str, Any]:
    """The JSON object of a flow file (``version`` is informative; import ignores it)."""
    data: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": name}
    if version is not None:
        data["version"] = version
    data["description"] = definition.description
    data["trigger"] = definition.trigger.to_dict()
    data["steps"] = [step.to_dict() for step in definition.steps]
    return data


def dump_flow_file(name: str, definition: FlowDefinition, version: int | None = None) -> str:
    """The text of a flow file: indented UTF-8 JSON ending with a newline."""
    return safe_json_text(json.dumps(flow_file_dict(name, definition, version), indent=2,
                                     ensure_ascii=False)) + "\n"
