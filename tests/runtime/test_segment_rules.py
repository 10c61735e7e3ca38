"""Segment rules evaluated in Python: every op, all/any, and malformed rules refused."""

from __future__ import annotations

import pytest

from flowbench.domain.segment_rules import RuleError, parse_rule

CUSTOMER = {"plan": "trial", "age": 34, "score": 7.5, "country": "DE",
            "tags": ["beta", "vip"], "bio": "Loves Gardening", "joined": "2026-03-01"}


@pytest.mark.parametrize(("attribute", "op", "value", "expected"), [
    ("plan", "eq", "trial", True), ("plan", "eq", "pro", False),
    ("age", "eq", 34, True), ("age", "eq", "34", True), ("age", "eq", 34.0, True),
    ("plan", "neq", "pro", True), ("plan", "neq", "trial", False),
    ("missing", "neq", "x", True), ("missing", "eq", "x", False),
    ("country", "in", ["DE", "FR"], True), ("country", "in", ["US"], False),
    ("country", "not_in", ["US"], True), ("missing", "not_in", ["US"], True),
    ("age", "gt", 30, True), ("age", "gt", 34, False), ("age", "gte", 34, True),
    ("score", "lt", 8, True), ("score", "lte", 7.5, True), ("age", "lt", 18, False),
    ("joined", "gte", "2026-01-01", True), ("joined", "lt", "2026-01-01", False),
    ("plan", "gt", 3, False), ("missing", "gt", 3, False),
    ("plan", "exists", None, True), ("missing", "exists", None, False),
    ("missing", "not_exists", None, True), ("plan", "not_exists", None, False),
    ("bio", "contains", "garden", True), ("bio", "contains", "cooking", False),
    ("tags", "contains", "vip", True), ("tags", "contains", "free", False),
    ("age", "contains", "3", False),
])
def test_each_op(attribute, op, value, expected) -> None:
    condition = {"attribute": attribute, "op": op}
    if value is not None:
        condition["value"] = value
    assert parse_rule({"match": "all", "conditions": [condition]}).matches(CUSTOMER) \
        is expected


def test_all_and_any() -> None:
    yes = {"attribute": "plan", "op": "eq", "value": "trial"}
    no = {"attribute": "age", "op": "lt", "value": 18}
    assert not parse_rule({"match": "all", "conditions": [yes, no]}).matches(CUSTOMER)
    assert parse_rule({"match": "any", "conditions": [yes, no]}).matches(CUSTOMER)
    assert parse_rule({"conditions": [yes]}).match == "all"


@pytest.mark.parametrize(("rule", "message"), [
    ({"match": "most", "conditions": [{"attribute": "a", "op": "exists"}]}, "match"),
    ({"match": "all", "conditions": []}, "at least one condition"),
    ({"conditions": [{"attribute": "", "op": "eq", "value": 1}]}, "attribute name"),
    ({"conditions": [{"attribute": "a", "op": "between", "value": 1}]}, "unknown op"),
    ({"conditions": [{"attribute": "a", "op": "eq"}]}, "needs a value"),
    ({"conditions": [{"attribute": "a", "op": "in", "value": "x"}]}, "list of values"),
    ({"conditions": [{"attribute": "a", "op": "eq", "value": [1]}]}, "single value"),
    ({"conditions": [{"attribute": "a", "op": "eq", "value": 1, "x": 2}]}, "unknown fields"),
])
def test_malformed_rules_are_refused(rule, message) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(rule)
