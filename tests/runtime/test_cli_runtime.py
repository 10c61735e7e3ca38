"""The runtime commands, run in-process: output, JSON shapes, exit codes, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CARD_KEYS = {"id", "customer", "flow", "version", "step", "status"}


@pytest.fixture
def files(tmp_path: Path):
    def write(name: str, content: str | bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    return write


@pytest.fixture
def staged(prepare):
    """Customers ann, bob (live) and tia (test); segment Trial; flows Go (api_event "go",
    live, with a draft), Hand (manual) and Onboarding (entering Trial)."""
    def build(world) -> None:
        world.segment("Trial", {"attribute": "plan", "op": "eq", "value": "trial"})
        world.customers("id,plan,test\nann,pro,no\nbob,pro,no\ntia,pro,yes\n")
        go = world.on_event("Go", "go", world.card("c"), world.wait("w", "c", "P1D"),
                            world.card("later", "w"))
        world.redraft(go, world.card("draft"))
        world.manual("Hand", world.card("h"), world.wait("w", "h", "P3D"))
        world.on_segment("Onboarding", "Trial", world.card("hi", expires="P2D"))

    prepare(build)


def test_customers_import_set_and_list(run, files, staged) -> None:
    path = files("c.csv", "id,plan,age,test\ncy,trial,41,no\nann,trial,,\n")
    done = run("customers", "import", path, "--json", as_="editor")
    assert done.code == 0, done.err
    assert done.json() == {"added": 1, "updated": 1, "unchanged": 0,
                           "entered": {"Trial": 2}, "left": {}, "started": 2}
    said = run("customers", "set", "cy", "age=42", "vip=yes", as_="editor")
    assert said.code == 0 and "1 updated" in said.out
    listed = run("customers", "list", "--segment", "Trial", "--json")
    assert [(c["id"], c["attributes"], c["segments"]) for c in listed.json()] == [
        ("ann", {"plan": "trial"}, ["Trial"]),
        ("cy", {"age": 42, "plan": "trial", "vip": "yes"}, ["Trial"])]
    table = run("customers", "list", "--test")
    assert table.code == 0 and "tia" in table.out and "ann" not in table.out


@pytest.mark.parametrize(("content", "line"), [
    ("id,plan\ncy,trial\ndee\n", 3),
    ("id,test\ncy,no\ndee,perhaps\n", 3),
    ("plan\ntrial\n", 1),
    (b"id\ncy\n\xfe\xff\n", 3),
])
def test_a_bad_csv_is_refused_with_its_line_and_nothing_changes(run, files, staged, db_rows,
                                                                refused, content,
                                                                line) -> None:
    path = files("bad.csv", content)
    before = db_rows()
    refused(run("customers", "import", path, as_="editor"), f"bad.csv, line {line}:",
            "Nothing was imported")
    assert db_rows() == before


def test_segments_import_and_list(run, files, staged) -> None:
    path = files("s.json", json.dumps([
        {"name": "Pro", "match": "any", "conditions": [
            {"attribute": "plan", "op": "eq", "value": "pro"}]}]))
    done = run("segments", "import", path, as_="editor")
    assert done.code == 0 and "Segment 'Pro' created: 3 customers entered" in done.out
    listed = run("segments", "list", "--json").json()
    assert [(s["name"], s["members"], s["test_members"]) for s in listed] == [
        ("Pro", 2, 1), ("Trial", 0, 0)]
    assert "Pro" in run("segments", "list").out
    refused = run("segments", "delete", "Pro", as_="viewer")
    assert refused.code == 1 and "does not allow you to change segments" in refused.err
    deleted = run("segments", "delete", "Pro", as_="editor")
    assert deleted.out.strip() == "Deleted the segment 'Pro' (3 members)."
    assert [s["name"] for s in run("segments", "list", "--json").json()] == ["Trial"]


def test_a_bad_segment_file_is_refused_with_its_line(run, files, staged, db_rows,
                                                     refused) -> None:
    path = files("s.json", '{"name": "X",\n "conditions": [\n  {"attribute": "a",'
                           ' "op": "about", "value": 1}\n]}\n')
    before = db_rows()
    refused(run("segments", "import", path, as_="editor"), "s.json, line 3:", "about")
    broken = files("t.json", '{"name": "X",\n "conditions": [\n')
    refused(run("segments", "import", broken, as_="editor"), "t.json, line 3:", "JSON")
    assert db_rows() == before


def test_events_send_and_import(run, files, staged) -> None:
    sent = run("events", "send", "--customer", "ann", "--event", "go", "--payload",
               '{"source": "web"}', "--json", as_="editor")
    assert sent.code == 0, sent.err
    assert sent.json() == {"recorded": 1, "started": {"Go": 1}}
    path = files("e.jsonl", '{"customer": "bob", "event": "go"}\n\n'
                            '{"customer": "ann", "event": "go", "payload": {"n": 2}}\n')
    done = run("events", "import", path, as_="editor")
    assert done.code == 0
    assert done.out.strip() == "Recorded 2 events. Started 'Go' for 1 customer."


@pytest.mark.parametrize(("content", "line", "fragment"), [
    ('{"customer": "ann", "event": "go"}\n{"customer": "ann", "event": "go"\n', 2, "JSON"),
    ('{"customer": "ann", "event": "go"}\n\n{"customer": "zed", "event": "go"}\n', 3,
     "no customer 'zed'"),
    ('{"customer": "ann", "event": "bad name"}\n', 1, "not an event name"),
    ('{"customer": "ann", "event": "go", "payload": [1]}\n', 1, "payload"),
    ('["ann", "go"]\n', 1, "one object"),
])
def test_a_bad_events_file_is_refused_with_its_line(run, files, staged, db_rows, refused,
                                                    content, line, fragment) -> None:
    path = files("e.jsonl", content)
    before = db_rows()
    refused(run("events", "import", path, as_="editor"), f"e.jsonl, line {line}:", fragment)
    assert db_rows() == before


def test_events_send_refuses_bad_payloads_and_unknown_customers(run, staged,
                                                                refused) -> None:
    refused(run("events", "send", "--customer", "ann", "--event", "go", "--payload", "{",
                as_="editor"), "payload is not valid JSON")
    refused(run("events", "send", "--customer", "zed", "--event", "go", as_="editor"),
            "no customer 'zed'")


def test_start_a_manual_flow(run, staged, refused) -> None:
    done = run("start", "Hand", "--customer", "ann", "bob", "--json", as_="publisher")
    assert done.code == 0, done.err
    assert done.json()["sent"] == ["ann", "bob"]
    again = run("start", "Hand", "--customer", "ann", as_="publisher")
    assert again.code == 0 and "Skipped ann: already runs this flow." in again.out
    refused(run("start", "Go", "--customer", "ann", as_="publisher"), "not by hand")
    refused(run("start", "Hand", "--customer", "cy", as_="editor"),
            "does not allow you to start flows for customers")


def test_clock_show_and_advance(run, staged, refused) -> None:
    shown = run("clock", "show", "--json").json()
    assert shown == {"now": "2027-01-15T08:00:00Z", "seconds": 1_800_000_000}
    run("events", "send", "--customer", "ann", "--event", "go", as_="editor")
    moved = run("clock", "advance", "P1D", "--json", as_="editor")
    assert moved.code == 0
    assert moved.json()["now"] == "2027-01-16T08:00:00Z"
    assert moved.json()["woken_branches"] == 1
    assert "2027-01-16T08:00:00Z" in run("clock", "show").out
    in_words = run("clock", "advance", "2 hours", "--json", as_="editor")
    assert in_words.json()["now"] == "2027-01-16T10:00:00Z"
    assert run("clock", "advance", "1 day 12 hours", "--json",
               as_="editor").json()["now"] == "2027-01-17T22:00:00Z"
    refused(run("clock", "advance", "soon", as_="editor"), "write e.g. 2 hours")
    assert run("clock", "advance", "-P1D", as_="editor").code == 2  # looks like an option


def test_cards_list_and_act(run, staged, refused) -> None:
    run("events", "send", "--customer", "ann", "--event", "go", as_="editor")
    run("events", "send", "--customer", "tia", "--event", "go", as_="editor")
    cards = run("cards", "list", "--json").json()
    assert all(set(card) >= CARD_KEYS for card in cards)
    assert [(c["customer"], c["flow"], c["version"], c["step"], c["status"]) for c in cards] \
        == [("tia", "Go", 1, "c", "active"), ("ann", "Go", 1, "c", "active")]
    mine = run("cards", "list", "--customer", "ann", "--flow", "Go", "--json").json()
    assert [c["customer"] for c in mine] == ["ann"]
    card_id = str(mine[0]["id"])
    acted = run("cards", "act", card_id, "submit", as_="editor")
    assert acted.code == 0 and "is now completed" in acted.out
    refused(run("cards", "act", card_id, "dismiss", as_="editor"),
            "already completed: a closed card cannot change")
    assert run("cards", "act", card_id, "explode", as_="editor").code == 2
    assert run("cards", "list", "--status", "open", "--json").json()[0]["customer"] == "tia"
    assert "No cards." in run("cards", "list", "--customer", "bob").out


def test_runtime_status_json_shape(run, staged) -> None:
    run("events", "send", "--customer", "ann", "--event", "go", as_="editor")
    run("events", "send", "--customer", "tia", "--event", "go", as_="editor")  # test data
    status = run("runtime-status", "Go", "--json")
    assert status.code == 0
    assert status.json() == {"flow": "Go", "live_version": 1, "versions": [
        {"version": 2, "status": "draft",
         "instances": {"running": 0, "completed": 0, "cancelled": 0},
         "cards": {"active": 0, "snoozed": 0, "dismissed": 0, "completed": 0, "expired": 0,
                   "cancelled": 0}},
        {"version": 1, "status": "live",
         "instances": {"running": 1, "completed": 0, "cancelled": 0},
         "cards": {"active": 1, "snoozed": 0, "dismissed": 0, "completed": 0, "expired": 0,
                   "cancelled": 0}}]}
    assert "live version: 1" in run("runtime-status", "Go").out


def test_cancel_and_cancel_cards(run, staged, refused) -> None:
    for customer in ("ann", "bob"):
        run("events", "send", "--customer", customer, "--event", "go", as_="editor")
    refused(run("cancel", "Go", as_="editor"), "does not allow you to cancel")
    cards = run("cancel-cards", "Go", "--version", "1", "--json", as_="publisher")
    assert cards.json() == {"versions": [1], "cancelled_instances": 0, "cancelled_cards": 2,
                            "flow": "Go"}
    done = run("cancel", "Go", "--with-cards", as_="publisher")
    assert done.code == 0
    assert done.out.strip() == "Cancelled 2 running instances of 'Go'."
    status = run("runtime-status", "Go", "--json").json()["versions"][1]
    assert status["instances"]["cancelled"] == 2 and status["cards"]["cancelled"] == 2
    refused(run("cancel", "Go", "--version", "9", as_="publisher"), "no Version 9")


def test_cancel_with_cards_cancels_the_cards_of_finished_instances_too(run, staged) -> None:
    for customer in ("ann", "bob"):
        run("events", "send", "--customer", customer, "--event", "go", as_="editor")
    run("cancel", "Go", as_="publisher")  # the instances end; their cards stay open
    done = run("cancel", "Go", "--with-cards", "--json", as_="publisher")
    assert (done.json()["cancelled_instances"], done.json()["cancelled_cards"]) == (0, 2)


def test_test_send_and_inbox(run, staged, refused) -> None:
    sent = run("test-send", "Go", "--to", "tia", "ann", as_="editor")
    assert sent.code == 0, sent.err
    assert "sent to 1 customer: tia" in sent.out
    assert "Skipped ann: not a test account" in sent.out
    as_json = run("test-send", "Go", "--to", "tia", "--json", as_="editor").json()
    assert (as_json["version"], as_json["sent"], as_json["replaced"]) == (2, ["tia"], 0)
    inbox = run("test-inbox", "tia", "--json").json()
    assert all(set(card) >= CARD_KEYS for card in inbox)
    assert [(c["step"], c["version"], c["status"]) for c in inbox] == [
        ("draft", 2, "active"), ("draft", 2, "cancelled")]  # the first run was replaced
    assert run("cards", "list", "--customer", "ann", "--json").json() == []
    refused(run("test-inbox", "ann"), "not a test account")
    refused(run("test-send", "Go", "--to", "tia", as_="viewer"), "send tests")


def test_changes_need_a_member_and_viewers_change_nothing(run, files, staged, db_rows,
                                                          refused) -> None:
    before = db_rows()
    assert run("clock", "advance", "P1D").code == 2  # no --as
    refused(run("clock", "advance", "P1D", as_="viewer"), "(Viewer) does not allow")
    refused(run("customers", "import", files("c.csv", "id\nzz\n"), as_="viewer"), "Viewer")
    refused(run("customers", "import", str(Path(files("x", "")).parent / "none.csv"),
                as_="editor"), "no file")
    assert db_rows() == before
