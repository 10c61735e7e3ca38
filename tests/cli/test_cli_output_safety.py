"""Output is safe: a name holding an escape sequence, a NUL or a right-to-left override
(stored before such names were refused) is printed with those characters escaped,
--json stays standard JSON, and the name can still be addressed as it is printed. New
names like that are refused."""

from __future__ import annotations

import json
import logging

import pytest

from flowbench.services import flows, workspace
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.app_log import SafeFormatter

ODD = "Odd\x1b[31m name\x00end\x9b \u202egnp.exe"  # the last part shows as "exe.png"
PRINTED = "Odd\\x1b[31m name\\x00end\\x9b \\u202egnp.exe"
RAW_CONTROLS = ("\x1b", "\x00", "\x9b", "\x07", "\u202e")


@pytest.fixture
def odd_flow(run, ws_path):
    """A flow whose stored name holds ESC, NUL and a C1 control, and an audit entry and a
    customer attribute that hold them too (written past the services, as an old version
    or another tool might have)."""
    open_workspace(ws_path)
    try:
        owner = workspace.sign_in("olive@example.com", "correct horse battery")
        summary = flows.create_flow(owner, "Plain")
        models.Flow.update(name=ODD, name_key=ODD.lower()).where(
            models.Flow.id == summary.id).execute()
        models.AuditEntry.create(member=owner.member_id, action="flow.rename",
                                 summary=f"Renamed flow 'Plain' to '{ODD}'")
        models.Customer.create(external_id="ann\x1b]0;pwned\x07", is_test=True,
                               attributes=json.dumps({"score": float("inf")}),
                               created_at=1, updated_at=1)
    finally:
        close_workspace()
    return run


def _assert_no_raw_controls(text: str) -> None:
    for char in RAW_CONTROLS:
        assert char not in text, (char, text)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("flows", "list"), ("validate", PRINTED),
                                     ("versions", PRINTED), ("runtime-status", PRINTED),
                                     ("audit",), ("customers", "list")], ids=" ".join)
def test_odd_names_are_printed_escaped_and_addressed_as_printed(odd_flow, command) -> None:
    outcome = odd_flow(*command, as_="owner")
    assert outcome.code in (0, 1), outcome  # validate: the empty flow has errors
    _assert_no_raw_controls(outcome.out + outcome.err)
    assert "Traceback" not in outcome.err and "unexpected error" not in outcome.err
    if command[0] not in ("customers", "versions"):  # these do not show the name
        assert PRINTED in outcome.out


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("flows", "list"), ("validate", PRINTED),
                                     ("audit",), ("customers", "list"),
                                     ("runtime-status", PRINTED)], ids=" ".join)
def test_json_output_is_standard_json_even_for_odd_stored_data(odd_flow, command) -> None:
    outcome = odd_flow(*command, "--json", as_="owner")
    assert outcome.code in (0, 1), outcome
    _assert_no_raw_controls(outcome.out)
    json.loads(outcome.out, parse_constant=lambda name: pytest.fail(f"{name} in --json"))


@pytest.mark.sqlite_only
def test_the_json_keeps_the_odd_name_exactly(odd_flow) -> None:
    names = [flow["name"] for flow in odd_flow("flows", "list", "--json").json()]
    assert names == [ODD]


@pytest.mark.parametrize(("name", "says"), [
    ("Bad\x00name", "NUL"), ("Bad\x1b[2Jname", "escape"), ("Two\nlines", "line break"),
    ("Bell\x07", "U+0007")])
def test_a_new_flow_name_with_a_control_character_is_refused(run, flow_file, document,
                                                             refused, db_rows, name,
                                                             says) -> None:
    before = db_rows()
    outcome = run("flows", "import", str(flow_file(document(name=name))), as_="editor")
    refused(outcome, "name: contains a control character", says)
    _assert_no_raw_controls(outcome.err)
    assert db_rows() == before


def test_log_lines_escape_control_characters() -> None:
    record = logging.LogRecord("flowbench", logging.INFO, __file__, 1,
                               "opening workspace %s", (f"/tmp/{ODD}",), None)
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert line == f"INFO opening workspace /tmp/{PRINTED}"
