"""What the hostile-input fuzzers (tests/fuzz) share: hostile values, and the three
properties every input path must have.

1. **A clean answer**: the input is accepted, or refused with a ``FlowbenchError`` — one
   line a person can read (the command line prints it and exits 1). Anything else
   raised is an "unexpected error" and fails the test.
2. **Nothing written on refusal**: every row of every table is as it was.
3. **Nothing breaks later**: after an accepted input, what a member does next —
   validate, the pre-publish dry run, a test send, a clock advance, listing and printing
   customers, segments, cards and figures — answers cleanly too.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from workspaces import open_rows

from flowbench.cli.output import json_text, table
from flowbench.cli.publish import dry_run_document
from flowbench.domain.errors import FlowbenchError
from flowbench.domain.safe_text import printable
from flowbench.domain.validation import has_errors
from flowbench.services import drafts, flows
from flowbench.services.context import Actor
from flowbench.services.publish_plan import prepare_publish
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import segments as runtime_segments
from flowbench.services.runtime import starts as runtime_starts
from flowbench.services.runtime import status as runtime_status

BASE_EXAMPLES = 100  # hypothesis' own default: the "ci" profile's max_examples


def examples(count: int) -> int:
    """``count`` examples under the suite's profile; proportionally more under
    ``--hypothesis-profile=long`` (tests/conftest.py)."""
    return max(1, count * settings.default.max_examples // BASE_EXAMPLES)


@dataclass(frozen=True)
class Rehearsal:
    """The fuzzers' workspace: an Owner, an Editor, a test account and a live flow."""

    owner: Actor
    editor: Actor
    tester: str = "tester"
    event: str = "signup"


# --- hostile values -------------------------------------------------------------------------

ODD_PIECES = ["\x00", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\n", "\r\n", "\t", "\x7f",
              "\x9b", "\ud800", "\udfff", "\u202e", "\ufeff", "\u2028", "é", "😀", '"', "\\",
              ",", "=", " ", "'", "{", "["]
NUMBER_WORDS = ["1e400", "-1e400", "1e308", "NaN", "nan", "Infinity", "inf", "-0",
                "123456789012345678901", "9" * 5000, "0x10", "1_000", "١٢٣", "5", "2.5"]
hostile_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(ODD_PIECES), st.text(max_size=4)),
             max_size=6).map("".join),
    st.sampled_from(["", " ", "x" * 10_001, *NUMBER_WORDS]))
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**25, 10**25),
                         st.floats(allow_nan=False, allow_infinity=False), hostile_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner,
                                                                max_size=3),
    max_leaves=8)
JSON_SNIPPETS = ["1e400", "-1e999", "NaN", "Infinity", '"\\ud800"', "9" * 5000, "[" * 40,
                 "]" * 40, "{" * 3, "[" * 100_000, ",", "}", ":", "null", "\x00", "\\",
                 '"', "\ufeff", "\n"]


@st.composite
def json_texts(draw: st.DrawFn, value: st.SearchStrategy[Any] = json_values) -> str:
    """JSON text of a hostile value, sometimes with a hostile snippet put in."""
    text = json.dumps(draw(value), ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(JSON_SNIPPETS)) + text[at:]
    if draw(st.integers(0, 9)) == 0:
        depth = draw(st.integers(30, 3000))
        text = "[" * depth + text + "]" * depth
    return text


durations = st.one_of(
    st.builds("P{}{}".format, st.integers(-10**20, 10**20), st.sampled_from("YMWD")),
    st.builds("PT{}{}".format, st.integers(-10**20, 10**20), st.sampled_from("HMS")),
    st.builds("PT{}S".format, st.floats()),
    st.builds("{} {}".format, st.integers(-10**20, 10**20) | st.floats(),
              st.sampled_from(["days", "hours", "h", "min", "years", "weeks", "s"])),
    st.sampled_from(["P10Y", "P3650D", "P3651D", "PT87600H", "PT59S", "PT1M", "P0D",
                     "-P1D", "P1DT", "PT", "P", "P1,5D", "P1.5D", "P99999999999999D"]),
    hostile_text, st.text(max_size=12))


# --- the properties -------------------------------------------------------------------------

def answer(call: Callable[[], Any]) -> tuple[Any, str | None]:
    """Properties 1 and 2: (result, None) when accepted; (None, message) when refused
    cleanly with every row as it was. Anything else raised fails the test."""
    before = open_rows()
    try:
        return call(), None
    except FlowbenchError as refusal:
        message = str(refusal)
        assert message.strip(), "a refusal without a message"
        printable(" ".join(message.split())).encode("utf-8")  # the one line CLI prints
        assert open_rows() == before, f"refused ({message}) but something was written"
        return None, message


def later_commands_work(rehearsal: Rehearsal, flow_names: tuple[str, ...] = ()) -> None:
    """Property 3: what a member does next answers cleanly (FlowbenchError is an answer)
    — for the live "Welcome" flow and the flows named."""
    owner, editor = rehearsal.owner, rehearsal.editor
    for name in ("Welcome", *flow_names):
        with contextlib.suppress(FlowbenchError):
            _validate_and_dry_run(owner, name, rehearsal.tester)
        with contextlib.suppress(FlowbenchError):
            json_text(runtime_status.runtime_status(name))
    json_text([summary.to_dict() for summary in flows.list_flows()])
    with contextlib.suppress(FlowbenchError):
        runtime_clock.advance_clock(editor, "PT1H")
    found = runtime_customers.list_customers(limit=50)
    json_text([info.to_dict() for info in found])
    table(("ID", "ATTRIBUTES"), [(c.id, " ".join(f"{k}={v}" for k, v in c.attributes.items()))
                                 for c in found])
    json_text([info.to_dict() for info in runtime_segments.list_segments()])
    json_text([card.to_dict() for card in runtime_cards.list_cards(limit=50)])


def _validate_and_dry_run(owner: Actor, flow_id: int | str, tester: str) -> None:
    content = drafts.open_flow(flow_id)
    problems = drafts.problems_of(content.flow_name, content.definition)
    json_text([problem.to_dict() for problem in problems])
    if content.is_draft:
        json_text(dry_run_document(prepare_publish(owner, flow_id)))
        if not has_errors(problems):
            runtime_starts.test_send(owner, flow_id, [tester]).describe()
