"""What the fuzzing pass of issue 13 found, as a member would meet it on the command line:
each is now exit 1 with one line naming the place and the reason, nothing written, never
"unexpected error", never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DEEP = "[" * 1000 + "]" * 1000
DEEPEST = "[" * 100_000 + "]" * 100_000  # the issue's: refused by its size at once
DIGITS = "9" * 5000


@pytest.fixture
def files(tmp_path: Path):
    def write(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str)
                         else content)
        return str(path)

    return write


@pytest.fixture
def staged(prepare):
    prepare(lambda world: world.customers("id,plan,test\nann,pro,no\ntia,pro,yes\n"))


def _clean(outcome) -> None:
    assert "unexpected error" not in outcome.err and "Traceback" not in outcome.err


@pytest.mark.parametrize(("content", "fragment"), [
    ('{"customer": "ann", "event": "go", "payload": {"x": "\\ud800"}}\n',
     "e.jsonl, line 1: this holds a lone surrogate"),
    ('{"customer": "ann", "event": "go", "payload": {"x": ' + DEEP + '}}\n',
     "e.jsonl, line 1: this is nested more than 32 levels deep"),
    ('{"customer": "ann", "event": "go", "payload": {"x": ' + DEEPEST + '}}\n',
     "e.jsonl, line 1: the line is longer than 65 KB"),
    ('{"customer": "ann", "event": "go"}\n{"customer": "ann", "event": "go", "payload": '
     '{"n": ' + DIGITS + '}}\n', "e.jsonl, line 2: this holds the number 9999"),
    ('{"customer": "ann", "event": "go", "payload": {"n": 1e400}}\n',
     "e.jsonl, line 1: this holds the number 1e400, which is too large"),
    ('{"customer": "ann", "event": "go", "payload": {"n": NaN}}\n',
     "e.jsonl, line 1: this holds NaN"),
    ('{"customer": "ann\\u001b[2J", "event": "go"}\n',
     "e.jsonl, line 1: the id contains a control character (escape)"),
])
def test_hostile_event_files_are_refused_cleanly(run, files, staged, db_rows, refused,
                                                 content, fragment) -> None:
    before = db_rows()
    outcome = run("events", "import", files("e.jsonl", content), as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert db_rows() == before


@pytest.mark.parametrize(("payload", "fragment"), [
    ('{"x": "\\ud800"}', "The payload holds a lone surrogate"),
    (DEEP, "The payload is nested more than 32 levels deep"),
    (DEEPEST, "The payload is larger than 64 KB"),
    ('{"n": ' + DIGITS + "}", "The payload holds the number 9999"),
    ('{"n": -1e999}', "which is too large"), ('{"n": Infinity}', "holds Infinity"),
    ('{"x": "' + "y" * 70_000 + '"}', "The payload is larger than 64 KB"),
    ("\x00", "The payload is not valid JSON"), ("[1, 2]", "must be a JSON object")])
def test_hostile_payloads_are_refused_cleanly(run, staged, db_rows, refused, payload,
                                              fragment) -> None:
    before = db_rows()
    outcome = run("events", "send", "--customer", "ann", "--event", "go", "--payload",
                  payload, as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert db_rows() == before


@pytest.mark.parametrize(("rule", "fragment"), [
    ('{"name": "S", "conditions": [{"attribute": "a", "op": "eq", "value": "\\udc00"}]}',
     "s.json, line 1: this holds a lone surrogate"),
    ('{"name": "S", "conditions": [{"attribute": "a", "op": "eq", "value": ' + DEEP + "}]}",
     "s.json, line 1: this is nested more than 32 levels deep"),
    ('{"name": "S", "conditions": [{"attribute": "a", "op": "eq", "value": ' + DEEPEST
     + "}]}", "s.json, line 1: this is nested more than 32 levels deep"),
    ('{"name": "S", "conditions": [{"attribute": "a", "op": "gt", "value": ' + DIGITS + "}]}",
     "s.json, line 1: this holds the number 9999"),
    ('{"name": "S", "conditions": [{"attribute": "a", "op": "gt", "value": 1e400}]}',
     "s.json, line 1: this holds the number 1e400"),
    ('{"name": "S\\u001b]0;x", "conditions": [{"attribute": "a", "op": "exists"}]}',
     "s.json, line 1: the name contains a control character (escape)"),
    ('{"name": "S\\u202egnp.exe", "conditions": [{"attribute": "a", "op": "exists"}]}',
     "s.json, line 1: the name contains an invisible formatting character (U+202E "
     "right-to-left override)"),
    ('{"name": "S", "conditions": [{"attribute": "a\\u0000", "op": "exists"}]}',
     "condition 1: the attribute name contains a control character (NUL)"),
])
def test_hostile_segment_rules_are_refused_cleanly(run, files, staged, db_rows, refused,
                                                   rule, fragment) -> None:
    before = db_rows()
    outcome = run("segments", "import", files("s.json", rule), as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert db_rows() == before


@pytest.mark.parametrize(("csv", "fragment"), [
    ("id,score\nbob,1e400\n", "c.csv, line 2: '1e400' is too large a number"),
    ("id,score\nbob," + DIGITS + "\n", "c.csv, line 2: '9999"),
    ("id,score\nbob\x1b[2J,1\n", "c.csv, line 2: the id contains a control character"),
    ("id,sc\x00ore\nbob,1\n", "c.csv, line 1: the name of column 2 contains a control"),
    ("id,note\nbob,\x07\n", "c.csv, line 2: the text"),
    ("id,note\nbob,\ud800\n", "c.csv, line 2: this is not UTF-8 text"),
])
def test_hostile_customer_files_are_refused_cleanly(run, files, staged, db_rows, refused,
                                                    csv, fragment) -> None:
    before = db_rows()
    outcome = run("customers", "import", files("c.csv", csv), as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert db_rows() == before


@pytest.mark.parametrize(("assignment", "fragment"), [
    ("score=1e400", "score: '1e400' is too large a number"),
    ("score=-" + DIGITS, "score: '-9999"),
    ("no\x1bte=x", "The attribute name"), ("note=\x1b[2J", "contains a control character")])
def test_hostile_attribute_values_are_refused_cleanly(run, staged, db_rows, refused,
                                                      assignment, fragment) -> None:
    before = db_rows()
    outcome = run("customers", "set", "ann", assignment, as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert db_rows() == before


def test_a_customer_attribute_of_1e400_is_never_stored_as_infinity(run, files, staged) -> None:
    run("customers", "import", files("c.csv", "id,score\nbob,1e400\n"), as_="editor")
    run("customers", "set", "ann", "score=1e400", as_="editor")
    listed = run("customers", "list", "--json")
    assert "Infinity" not in listed.out
    assert {c["id"]: c["attributes"].get("score") for c in listed.json()} == \
        {"ann": None, "tia": None}


@pytest.mark.parametrize(("value", "fragment"), [
    ("P99999999999999D", "far too long: at most 10 years"),
    ("PT999999999999999999H", "far too long: at most 10 years"),
    ("P11Y", "moves at most 10 years at a time"), ("-PT1H", "never moves backwards"),
    ("PT1e400S", "is not a duration"), ("\x1b[2J", "is not a duration"),
    ("P" + DIGITS + "D", "far too long")])
def test_odd_clock_values_are_refused_cleanly(run, staged, db_rows, refused, value,
                                              fragment) -> None:
    before = db_rows()
    outcome = run("clock", "advance", "--", value, as_="editor")
    refused(outcome, fragment)
    _clean(outcome)
    assert "\x1b" not in outcome.err
    assert db_rows() == before


def test_a_flow_of_100_000_steps_is_refused_naming_its_steps(run, files, staged, refused,
                                                             db_rows) -> None:
    steps = [{"id": f"s{i}", "kind": "wait_duration", "duration": "P1D",
              **({"parent": f"s{i - 1}"} if i else {})} for i in range(100_000)]
    document = {"format": "flowbench.flow", "format_version": 1, "name": "Chain",
                "trigger": {"kind": "manual"}, "steps": steps}
    before = db_rows()
    outcome = run("flows", "import", files("chain.json", json.dumps(document)),
                  as_="editor")
    refused(outcome, "chain.json: steps: at most 1,000 steps (this file has 100,000)")
    assert db_rows() == before
