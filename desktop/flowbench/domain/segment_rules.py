"""Segment rules: ``match`` all/any over conditions ``{attribute, op, value}``.

Pure Python, no database: the rule is checked when a segment is imported and evaluated
against customers' attributes when they change. Semantics a person would expect:

* ``eq``/``neq`` compare values, numbers as numbers (``1`` equals ``1.0`` and ``"1"``);
  a customer without the attribute is ``neq`` anything;
* ``in``/``not_in`` take a list; a missing attribute is ``not_in`` any list;
* ``gt``/``gte``/``lt``/``lte`` compare numbers with numbers and text with text (ISO
  dates compare correctly); anything else does not match;
* ``exists``/``not_exists`` ask whether the attribute is set (takes no value);
* ``contains``: text containing the value (ignoring case), or a list holding it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flowbench.domain.json_input import number_problem
from flowbench.domain.safe_text import described, text_problem

OPS = ("eq", "neq", "in", "not_in", "gt", "gte", "lt", "lte", "exists", "not_exists",
       "contains")
NO_VALUE_OPS = ("exists", "not_exists")
LIST_OPS = ("in", "not_in")
MAX_ATTRIBUTE_NAME = 200
MAX_VALUE_TEXT = 1_000
MAX_LIST_VALUES = 1_000
MAX_CONDITIONS = 100


class RuleError(ValueError):
    """The rule is malformed; the message says where and what."""


@dataclass(frozen=True)
class Condition:
    attribute: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Rule:
    match: str  # "all" or "any"
    conditions: tuple[Condition, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"match": self.match, "conditions": [
            {"attribute": c.attribute, "op": c.op}
            | ({} if c.op in NO_VALUE_OPS else {"value": c.value}) for c in self.conditions]}

    def matches(self, attributes: Mapping[str, Any]) -> bool:
        results = (_check(condition, attributes) for condition in self.conditions)
        return all(results) if self.match == "all" else any(results)


def parse_condition(data: Any, where: str) -> Condition:
    if not isinstance(data, Mapping):
        raise RuleError(f"{where} must be an object with attribute, op and value.")
    unknown = set(data) - {"attribute", "op", "value"}
    if unknown:
        raise RuleError(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
    attribute = data.get("attribute")
    if not isinstance(attribute, str) or not attribute.strip():
        raise RuleError(f"{where} needs an attribute name.")
    problem = text_problem(attribute, MAX_ATTRIBUTE_NAME)
    if problem is not None:
        raise RuleError(described(f"{where}: the attribute name", problem) + ".")
    op = data.get("op")
    if op not in OPS:
        raise RuleError(f"{where} uses the unknown op '{op}'; use one of {', '.join(OPS)}.")
    if op in NO_VALUE_OPS:
        return Condition(attribute.strip(), op)
    if "value" not in data:
        raise RuleError(f"{where} ({op}) needs a value.")
    value = data["value"]
    if op in LIST_OPS and not isinstance(value, list):
        raise RuleError(f"{where} ({op}) needs a list of values, e.g. [\"a\", \"b\"].")
    if op not in LIST_OPS and isinstance(value, list | dict):
        raise RuleError(f"{where} ({op}) needs a single value, not a list or object.")
    if isinstance(value, list):
        if len(value) > MAX_LIST_VALUES:
            raise RuleError(f"{where} ({op}) has more than {MAX_LIST_VALUES:,} values.")
        for item in value:
            _check_value(item, where, op)
    else:
        _check_value(value, where, op)
    return Condition(attribute.strip(), op, value)


def _check_value(value: Any, where: str, op: str) -> None:
    """A value compared with attributes: text, a number, true/false or null, bounded."""
    if isinstance(value, list | dict):
        raise RuleError(f"{where} ({op}): a value is text, a number, true, false or null, "
                        "not a list or object.")
    problem: str | None = None
    if isinstance(value, str):
        found = text_problem(value, MAX_VALUE_TEXT)
        problem = described("the value", found) if found else None
    elif isinstance(value, int | float):
        found = number_problem(value)
        problem = f"the value {found}" if found else None
    if problem is not None:
        raise RuleError(f"{where} ({op}): {problem}.")


def parse_rule(data: Mapping[str, Any]) -> Rule:
    match = data.get("match", "all")
    if match not in ("all", "any"):
        raise RuleError(f"match must be \"all\" or \"any\", not {match!r}.")
    conditions = data.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        raise RuleError("conditions must be a list with at least one condition.")
    if len(conditions) > MAX_CONDITIONS:
        raise RuleError(f"a rule has at most {MAX_CONDITIONS} conditions.")
    return Rule(match, tuple(parse_condition(item, f"condition {index}")
                             for index, item in enumerate(conditions, 1)))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _equal(left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return a == b
    return bool(left == right)


def _ordered(left: Any, right: Any, compare: Callable[[Any, Any], bool]) -> bool:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return compare(a, b)
    if isinstance(left, str) and isinstance(right, str):
        return compare(left, right)
    return False


def _contains(have: Any, wanted: Any) -> bool:
    if isinstance(have, str):
        return str(wanted).casefold() in have.casefold()
    if isinstance(have, list):
        return any(_equal(item, wanted) for item in have)
    return False


def _check(condition: Condition, attributes: Mapping[str, Any]) -> bool:
    present = attributes.get(condition.attribute) is not None
    have = attributes.get(condition.attribute)
    op, value = condition.op, condition.value
    if op == "exists":
        return present
    if op == "not_exists":
        return not present
    if op == "neq":
        return not present or not _equal(have, value)
    if op == "not_in":
        return not present or not any(_equal(have, item) for item in value)
    if not present:
        return False
    if op == "eq":
        return _equal(have, value)
    if op == "in":
        return any(_equal(have, item) for item in value)
    if op == "contains":
        return _contains(have, value)
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}
    return _ordered(have, value, comparisons[op])
