"""Reading the runtime's input files: customers CSV, segments JSON, events JSON Lines.

Pure Python, no database. Any problem refuses the whole file with the line it is on
(``InvalidInput``), before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import json.scanner
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, cast

from flowbench.domain import json_input
from flowbench.domain.errors import InvalidInput
from flowbench.domain.safe_text import described, text_problem
from flowbench.domain.segment_rules import Rule, RuleError, parse_condition, parse_rule
from flowbench.domain.validation import EVENT_NAME
from flowbench.runtime.customers import CustomerChange

TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}
MAX_ID = 200
MAX_NAME = 200
MAX_ATTRIBUTES = 200          # columns of a customers file, attributes of a customer
MAX_ATTRIBUTE_NAME = 200
MAX_ATTRIBUTE_TEXT = 10_000   # line breaks allowed; other control characters are not
MAX_PAYLOAD = 64 * 1024       # characters of one event's payload (JSON)
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


def decode(data: bytes | str, source: str) -> str:
    """Text of a file (UTF-8, with or without a byte-order mark)."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InvalidInput(f"{source}, line {line}: this is not UTF-8 text; save the file "
                           "as UTF-8. Nothing was imported.") from None


def _refuse(source: str, line: int, message: str) -> InvalidInput:
    return InvalidInput(f"{source}, line {line}: {message} Nothing was imported.")


def parse_value(text: str) -> Any:
    """A cell or VALUE: numbers become numbers, anything else stays text; empty is None.
    ValueError when it cannot be stored: a number too large (``1e400`` is not kept as
    Infinity), a text too long or holding a control character other than a line break."""
    value = text.strip()
    if value == "":
        return None
    if _INTEGER.fullmatch(value):
        return int(value)
    if _DECIMAL.fullmatch(value):
        number = float(value)
        problem = json_input.number_problem(number)
        if problem is not None:
            raise ValueError(f"'{_shown(value)}' {problem}")
        return number
    problem = text_problem(value, MAX_ATTRIBUTE_TEXT, lines=True)
    if problem is not None:
        raise ValueError(described(f"the text '{_shown(value)}'", problem))
    return value


def _shown(text: str) -> str:
    return text if len(text) <= 24 else text[:24] + "…"


def attribute_name_problem(name: str) -> str | None:
    return text_problem(name, MAX_ATTRIBUTE_NAME)


def parse_flag(text: str) -> bool | None:
    word = text.strip().lower()
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(text)


def check_external_id(value: str) -> str | None:
    """Why ``value`` cannot be a customer id, or None when it can."""
    if not value:
        return "the id is empty"
    if len(value) > MAX_ID:
        return f"the id is longer than {MAX_ID} characters"
    problem = text_problem(value, MAX_ID)
    if problem is not None:
        return described("the id", problem)
    return None


# --- customers CSV ---------------------------------------------------------------------

def parse_customers_csv(data: bytes | str, source: str = "the file") -> list[CustomerChange]:
    """Header row with an ``id`` column, an optional ``test`` column, attribute columns."""
    text = decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 0  # the last line read: a malformed record starts on the next one
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise _refuse(source, 1, "the header row is missing; the first line names the "
                          "columns, one of them 'id'.")
        names = [cell.strip() for cell in header]
        lowered = [name.lower() for name in names]
        if "id" not in lowered:
            raise _refuse(source, 1, "there is no 'id' column in the header row.")
        if len(names) > MAX_ATTRIBUTES + 2:
            raise _refuse(source, 1, f"a customer has at most {MAX_ATTRIBUTES} attributes; "
                          f"this file has {len(names):,} columns.")
        for index, name in enumerate(names):
            if not name:
                raise _refuse(source, 1, f"column {index + 1} has no name.")
            problem = attribute_name_problem(name)
            if problem:
                column = f"the name of column {index + 1}"
                raise _refuse(source, 1, described(column, problem) + ".")
            if lowered.index(name.lower()) != index:
                raise _refuse(source, 1, f"the column '{name}' appears twice.")
        id_column = lowered.index("id")
        test_column = lowered.index("test") if "test" in lowered else None
        changes: list[CustomerChange] = []
        first_line: dict[str, int] = {}
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                cells = f"{len(row)} cell{'s' if len(row) != 1 else ''}"
                raise _refuse(source, start, f"the row has {cells} but the header has "
                              f"{len(names)} columns.")
            external_id = row[id_column].strip()
            problem = check_external_id(external_id)
            if problem:
                raise _refuse(source, start, problem + ".")
            if external_id in first_line:
                raise _refuse(source, start, f"the customer '{external_id}' is already on "
                              f"line {first_line[external_id]}.")
            first_line[external_id] = start
            is_test = None
            if test_column is not None:
                try:
                    is_test = parse_flag(row[test_column])
                except ValueError:
                    raise _refuse(source, start, f"the test column says '{row[test_column]}';"
                                  " write true/false, yes/no or 1/0.") from None
            try:
                attributes = {names[i]: parse_value(cell) for i, cell in enumerate(row)
                              if i != id_column and i != test_column}
            except ValueError as exc:
                raise _refuse(source, start, f"{exc}.") from None
            changes.append(CustomerChange(external_id, attributes, is_test))
    except csv.Error as exc:
        raise _refuse(source, line + 1, f"the CSV is malformed ({exc}).") from None
    return changes


def parse_assignments(pairs: Iterable[str]) -> tuple[dict[str, Any], bool | None]:
    """``KEY=VALUE`` words: attributes (empty VALUE removes) and an optional ``test=…``."""
    attributes: dict[str, Any] = {}
    is_test: bool | None = None
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"'{pair}' is not KEY=VALUE.")
        if key.lower() == "test":
            try:
                is_test = parse_flag(value)
            except ValueError:
                raise InvalidInput(f"test={value}: write true/false, yes/no or 1/0.") from None
            continue
        if key.lower() == "id":
            raise InvalidInput("A customer's id cannot be changed.")
        problem = attribute_name_problem(key)
        if problem:
            raise InvalidInput(described(f"The attribute name '{_shown(key)}'", problem) + ".")
        try:
            attributes[key] = parse_value(value)
        except ValueError as exc:
            raise InvalidInput(f"{key}: {exc}.") from None
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidInput(f"A customer has at most {MAX_ATTRIBUTES} attributes.")
    return attributes, is_test


# --- segments JSON ---------------------------------------------------------------------

class _Located(dict[str, Any]):
    """A JSON object that remembers the line it starts on."""

    line = 1


class _PureScanner(Protocol):
    """``json.scanner`` as CPython has it, with the pure-Python scanner typeshed leaves
    out: it calls the decoder's ``parse_object``, where the C scanner does not."""

    def py_make_scanner(self, context: json_input.Decoder,
                        /) -> Callable[[str, int], tuple[Any, int]]: ...


def _located_loads(text: str) -> Any:
    """``json.loads`` whose objects know their line (for messages that point at it)."""
    decoder = json_input.decoder()
    parse_object = decoder.parse_object

    def parse(state: tuple[str, int], *args: Any) -> tuple[Any, int]:
        source, end = state
        value, stop = parse_object(state, *args)
        located = _Located(value)
        located.line = source.count("\n", 0, end) + 1
        return located, stop

    decoder.parse_object = parse
    decoder.scan_once = cast(_PureScanner, json.scanner).py_make_scanner(decoder)
    return decoder.decode(text)


@dataclass(frozen=True)
class SegmentSpec:
    name: str
    rule: Rule
    line: int


def _line_of(value: Any, fallback: int) -> int:
    return value.line if isinstance(value, _Located) else fallback


def parse_segments_json(data: bytes | str, source: str = "the file") -> list[SegmentSpec]:
    """One segment ``{"name", "match", "conditions"}`` or a list of them."""
    text = decode(data, source)
    try:
        document = _located_loads(text)
        json_input.check(document)
    except json.JSONDecodeError as exc:
        raise _refuse(source, exc.lineno, f"this is not valid JSON ({exc.msg}).") from None
    except RecursionError:
        raise _refuse(source, 1, f"this is nested more than {json_input.MAX_NESTING} levels "
                      "deep.") from None
    except json_input.JsonRefused as exc:  # the bounds: numbers, nesting, texts
        raise _refuse(source, 1, f"this {exc}.") from None
    except ValueError:  # int()'s own digit limit
        raise _refuse(source, 1, "this holds a number with too many digits.") from None
    items = document if isinstance(document, list) else [document]
    specs: list[SegmentSpec] = []
    seen: dict[str, int] = {}
    for item in items:
        line = _line_of(item, 1)
        if not isinstance(item, Mapping):
            raise _refuse(source, line, "a segment is an object with name, match and "
                          "conditions.")
        unknown = set(item) - {"name", "match", "conditions"}
        if unknown:
            raise _refuse(source, line, "unknown fields: " + ", ".join(sorted(unknown)) + ".")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _refuse(source, line, "the segment needs a name.")
        problem = text_problem(name, MAX_NAME)
        if problem is not None:
            raise _refuse(source, line, described("the name", problem) + ".")
        name = " ".join(name.split())
        if name.lower() in seen:
            raise _refuse(source, line, f"the segment '{name}' is already on line "
                          f"{seen[name.lower()]}.")
        seen[name.lower()] = line
        conditions = item.get("conditions")
        if isinstance(conditions, list):
            for index, condition in enumerate(conditions, 1):
                try:
                    parse_condition(condition, f"condition {index}")
                except RuleError as exc:
                    raise _refuse(source, _line_of(condition, line),
                                  f"segment '{name}': {exc}") from None
        try:
            rule = parse_rule(item)
        except RuleError as exc:
            raise _refuse(source, line, f"segment '{name}': {exc}") from None
        specs.append(SegmentSpec(name, rule, line))
    if not specs:
        raise _refuse(source, 1, "the file holds no segment.")
    return specs


# --- events JSON Lines -----------------------------------------------------------------

class EventLine(NamedTuple):  # a tuple: a file holds 100,000s of them
    line: int
    customer: str
    event: str
    payload: str  # canonical JSON object


def check_event(customer: Any, event: Any, payload: Any) -> str | None:
    """Why these cannot make an event, or None when they can."""
    if not isinstance(customer, str):
        return "\"customer\" must be the customer's id as text"
    problem = check_external_id(customer.strip())
    if problem:
        return problem
    if not isinstance(event, str) or not EVENT_NAME.fullmatch(event):
        return (f"{event!r} is not an event name: use letters, digits, '_', '.' or '-', "
                "at most 100 characters")
    if payload is not None and not isinstance(payload, Mapping):
        return "\"payload\" must be a JSON object"
    return None


def check_payload(payload: Any) -> str | None:
    """Why a payload cannot be stored (too deep, too large, not valid text), or None."""
    try:
        json_input.check(payload)
        text = payload_text(payload)
    except ValueError as exc:  # json_input's refusals, and NaN/Infinity made elsewhere
        return f"the payload {exc}" if isinstance(exc, json_input.JsonRefused) else \
            "the payload holds a number JSON does not allow"
    if len(text) > MAX_PAYLOAD:
        return f"the payload is larger than {MAX_PAYLOAD // 1024} KB"
    return None


def payload_text(payload: Any) -> str:
    """The payload as stored: JSON text of an object (``{}`` when there is none)."""
    return json.dumps(payload, allow_nan=False) if payload else "{}"


_EVENT_FIELDS = frozenset({"customer", "event", "payload"})
_scan_object = json_input.decoder().scan_once  # the C scanner: json.loads minus 3 calls
_encode_payload = json.JSONEncoder(allow_nan=False).encode  # what payload_text does


def _event_line(source: str, number: int, raw: str, good_names: set[str]) -> EventLine:
    """One line's event; the checks and messages of ``check_event``, with a fast path for
    the usual line (an object alone on its line, text id, a name already seen valid)."""
    item: Any = None
    if len(raw) > MAX_PAYLOAD + 1024:
        raise _refuse(source, number, f"the line is longer than {MAX_PAYLOAD // 1024 + 1} KB.")
    if raw[:1] == "{" and raw[-1:] == "}" and not json_input.might_be_hostile(raw):
        try:
            item, end = _scan_object(raw, 0)
            if end != len(raw):
                item = None
        except (StopIteration, ValueError):
            item = None
    if item is None:  # anything unusual: json_input says what is wrong, or accepts it
        try:
            item = json_input.loads(raw)
        except json_input.JsonRefused as exc:
            raise _refuse(source, number, f"this {exc}.") from None
    if not isinstance(item, dict):
        raise _refuse(source, number, "each line is one object: {\"customer\": …, "
                      "\"event\": …, \"payload\": {…}}.")
    if not item.keys() <= _EVENT_FIELDS:
        unknown = set(item) - _EVENT_FIELDS
        raise _refuse(source, number, "unknown fields: " + ", ".join(sorted(unknown)) + ".")
    customer: Any = item.get("customer")
    event: Any = item.get("event")
    payload: Any = item.get("payload")
    if customer.__class__ is str and event.__class__ is str and event in good_names and (
            payload is None or payload.__class__ is dict):
        external_id = customer.strip()
        if external_id and len(external_id) <= MAX_ID and external_id.isprintable():
            return EventLine(number, external_id, event,
                             _encode_payload(payload) if payload else "{}")
    problem = check_event(customer, event, payload) or check_payload(payload)
    if problem:
        raise _refuse(source, number, problem + ".")
    good_names.add(event)
    return EventLine(number, customer.strip(), event, payload_text(payload))


def parse_events_jsonl(data: bytes | str, source: str = "the file") -> list[EventLine]:
    """One ``{"customer", "event", "payload"?}`` per line; blank lines are skipped."""
    text = decode(data, source)
    good_names: set[str] = set()  # event names already checked on an earlier line
    return [_event_line(source, number, raw, good_names)
            for number, raw in enumerate(text.splitlines(), 1) if raw and not raw.isspace()]
