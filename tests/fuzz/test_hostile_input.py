"""Every input path, fuzzed as a hostile user would: flow files, customer CSVs, attribute
values, events (JSON Lines and a single payload), segment rules and durations (waits and
the clock). Each example must be accepted or refused cleanly, a refusal writes nothing,
and after an accepted input the next commands still answer (tests/support/hostile_input.py).

The suite runs a few hundred examples per path; ``--hypothesis-profile=long`` runs 20
times as many (see docs/reliability.md, "Hostile input").
"""

from __future__ import annotations

import json
from typing import Any

from hostile_input import (
    Rehearsal,
    answer,
    durations,
    examples,
    hostile_text,
    json_scalars,
    json_texts,
    json_values,
    later_commands_work,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from flowbench.domain.definition import FlowDefinition, Step, Trigger
from flowbench.domain.flow_file import flow_file_dict
from flowbench.runtime.segment_rules import OPS
from flowbench.services import drafts, flow_files, flows
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime import segments as runtime_segments


def fuzz(count: int) -> settings:
    """``count`` examples (scaled by the profile), hostile values being large at times."""
    return settings(max_examples=examples(count),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def accepted_then_later_commands_work(rehearsal: Rehearsal, call: Any,
                                      flow_names: tuple[str, ...] = ()) -> str | None:
    result, refusal = answer(call)
    event("accepted" if refusal is None else "refused")  # --hypothesis-show-statistics
    if refusal is None:
        names = (result[0].name,) if isinstance(result, tuple) and result \
            and hasattr(result[0], "name") else flow_names
        later_commands_work(rehearsal, names)
    return refusal


# --- flow files -------------------------------------------------------------------------------

@st.composite
def hostile_flow_files(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["send_card", "send_push", "wait_duration",
                                 "wait_card_action"]))
    count = draw(st.sampled_from([1, 2, 3, 4, 499, 500, 501, 1001])) \
        if draw(st.integers(0, 19)) == 0 else draw(st.integers(1, 4))
    text = draw(hostile_text) if draw(st.booleans()) else "Hello"
    steps = []
    for index in range(count):
        step: dict[str, Any] = {"id": f"s{index}", "kind": kind if count < 10 else
                                "send_push", "title": text, "body": "Body"}
        if index:
            step["parent"] = f"s{index - 1}" if count >= 10 or draw(st.booleans()) \
                else "missing"
        if step["kind"] == "wait_duration":
            step = {"id": step["id"], "kind": "wait_duration", "duration": draw(durations),
                    **({"parent": step["parent"]} if "parent" in step else {})}
        elif step["kind"] == "wait_card_action":
            step = {"id": step["id"], "kind": "wait_card_action", "card": "s0",
                    "action": "any", "timeout": draw(durations),
                    **({"parent": step["parent"]} if "parent" in step else {})}
        elif step["kind"] == "send_card":
            step["expires_after"] = draw(durations)
            step["buttons"] = [{"label": draw(hostile_text), "action": "submit"}]
            step["priority"] = draw(st.integers(-10**20, 10**20) | st.integers(1, 10))
        steps.append(step)
    document = {"format": "flowbench.flow", "format_version": 1,
                "name": draw(st.sampled_from(["Fuzzed", "Fuzzed two"]) | hostile_text),
                "description": draw(hostile_text),
                "trigger": {"kind": "api_event", "event": draw(st.sampled_from(
                    ["signup", "other"]) | hostile_text)},
                "steps": steps}
    return json.dumps(document, ensure_ascii=draw(st.booleans()))


@fuzz(150)
@given(text=hostile_flow_files())
def test_flow_files(rehearsal: Rehearsal, text: str) -> None:
    refusal = accepted_then_later_commands_work(
        rehearsal, lambda: flow_files.import_flow(rehearsal.editor, text))
    if refusal is not None:
        assert ": " in refusal  # "steps[4].timeout: at most 10 years"


# --- customers CSV and attribute values -----------------------------------------------------

def _cell(text: str) -> str:
    if any(char in text for char in ',"\r\n') and text:
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def hostile_csvs(draw: st.DrawFn) -> str | bytes:
    columns = draw(st.lists(st.sampled_from(["plan", "score", "test"]) | hostile_text,
                            min_size=0, max_size=4))
    rows = draw(st.lists(st.tuples(st.sampled_from(["tester", "ann", "bob"]) | hostile_text,
                                   st.lists(hostile_text | st.sampled_from(["1", "1e400"]),
                                            min_size=len(columns), max_size=len(columns))),
                         max_size=4))
    lines = [",".join(_cell(name) for name in ["id", *columns])]
    lines += [",".join(_cell(cell) for cell in [customer, *cells]) for customer, cells in rows]
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 4)) == 0:
        return text.encode("utf-8", errors="surrogatepass")  # lone surrogates: bad UTF-8
    return text


@fuzz(200)
@given(data=hostile_csvs())
def test_customer_csv_files(rehearsal: Rehearsal, data: str | bytes) -> None:
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_customers.import_customers_csv(rehearsal.editor, data,
                                                                  "fuzz.csv"))


@fuzz(200)
@given(customer=st.sampled_from(["ann", "new"]) | hostile_text,
       pairs=st.lists(st.builds("{}={}".format, hostile_text | st.just("plan"),
                                hostile_text), min_size=1, max_size=3))
def test_attribute_values(rehearsal: Rehearsal, customer: str, pairs: list[str]) -> None:
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_customers.set_customer(rehearsal.editor, customer, pairs))


# --- events -----------------------------------------------------------------------------------

@st.composite
def event_lines(draw: st.DrawFn) -> str:
    plain = draw(st.integers(0, 2)) > 0  # two in three lines name a customer and event
    item: dict[str, Any] = {
        "customer": draw(st.sampled_from(["tester", "ann"]) if plain
                         else hostile_text | json_values),
        "event": draw(st.sampled_from(["signup", "other"]) if plain else hostile_text)}
    if draw(st.booleans()):
        item["payload"] = draw(st.dictionaries(hostile_text, json_scalars, max_size=3)
                               if plain else json_values)
    if draw(st.integers(0, 3)) == 0:
        return draw(json_texts(st.just(item)))
    return json.dumps(item, ensure_ascii=draw(st.booleans()))


@fuzz(200)
@given(lines=st.lists(event_lines(), min_size=1, max_size=3))
def test_event_files(rehearsal: Rehearsal, lines: list[str]) -> None:
    data = "\n".join(lines) + "\n"
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_events.import_events_jsonl(rehearsal.editor, data,
                                                              "fuzz.jsonl"))


@fuzz(200)
@given(payload=json_texts(st.dictionaries(hostile_text, json_values, max_size=3))
       | json_texts() | hostile_text)
def test_event_payloads(rehearsal: Rehearsal, payload: str) -> None:
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_events.send_event(rehearsal.editor, "tester", "signup",
                                                     payload))


# --- segment rules ----------------------------------------------------------------------------

@st.composite
def segment_documents(draw: st.DrawFn) -> str:
    plain = draw(st.integers(0, 2)) > 0  # two in three rules are well formed
    conditions = draw(st.lists(st.fixed_dictionaries({
        "attribute": st.sampled_from(["plan", "score"]) if plain else hostile_text,
        "op": st.sampled_from(["eq", "neq", "gt", "lte", "contains"] if plain
                              else [*OPS, "bad"]),
        "value": json_scalars if plain else st.sampled_from(["pro", 1, [1, "x"]])
        | json_values}), min_size=1 if plain else 0, max_size=3))
    document = {"name": draw(st.sampled_from(["VIPs", "Pros"]) | hostile_text),
                "match": draw(st.sampled_from(["all", "any"] if plain
                                              else ["all", "any", "most"])),
                "conditions": conditions}
    return draw(json_texts(st.just(document))) if not plain and draw(st.booleans()) \
        else json.dumps(document)


@fuzz(200)
@given(text=segment_documents())
def test_segment_rules(rehearsal: Rehearsal, text: str) -> None:
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_segments.import_segments_json(rehearsal.editor, text,
                                                                 "fuzz.json"))


# --- durations: a wait in a draft, and the clock ------------------------------------------------

@fuzz(200)
@given(duration=durations, field=st.sampled_from(["duration", "timeout", "expires_after"]))
def test_durations_in_a_draft(rehearsal: Rehearsal, duration: str, field: str) -> None:
    steps = [Step("card", "send_card", title="Hi", body="Body", priority=5,
                  expires_after=duration if field == "expires_after" else None)]
    if field == "timeout":
        steps.append(Step("answer", "wait_card_action", parent="card", card="card",
                          action="any", timeout=duration))
    if field == "duration":
        steps.append(Step("later", "wait_duration", parent="card", duration=duration))
    definition = FlowDefinition(trigger=Trigger("api_event", event="signup"),
                                steps=tuple(steps))
    flow = next((f for f in flows.list_flows() if f.name == "Durations"), None)
    if flow is None:
        flow = flows.create_flow(rehearsal.owner, "Durations")
    seen = drafts.open_flow(flow.id)

    def save() -> None:
        drafts.save_draft(rehearsal.editor, flow.id, definition,
                          expected_version=seen.version, expected_revision=seen.revision)

    refusal = accepted_then_later_commands_work(rehearsal, save, ("Durations",))
    if refusal is not None:
        assert refusal.startswith("steps["), refusal  # "steps[1].duration: at most 10 years"
    else:  # what was saved is what a flow file of it says
        assert flow_file_dict("Durations", drafts.open_flow(flow.id).definition)["steps"]


@fuzz(200)
@given(duration=durations)
def test_clock_values(rehearsal: Rehearsal, duration: str) -> None:
    accepted_then_later_commands_work(
        rehearsal, lambda: runtime_clock.advance_clock(rehearsal.editor, duration))
