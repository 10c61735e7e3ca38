"""The command line: flows list/import/export, validate, versions, approve, reject, publish."""

from __future__ import annotations

import json

import pytest

from flowbench.domain.flow_file import parse_flow_file


@pytest.fixture
def welcome(run, flow_file):
    """'Welcome series' imported by its editor: Version 1 draft, revision 1."""
    outcome = run("flows", "import", str(flow_file()), as_="editor")
    assert outcome.code == 0, outcome
    return "Welcome series"


@pytest.fixture
def published(run, welcome):
    """'Welcome series' with Version 1 live and no draft."""
    assert run("publish", welcome, as_="publisher").code == 0
    return welcome


def flows_by_name(run):
    return {f["name"]: f for f in run("flows", "list", "--json").json()}


# --- flows import -----------------------------------------------------------------------

def test_import_of_a_new_name_creates_version_1_draft(run, flow_file):
    outcome = run("flows", "import", str(flow_file()), as_="editor")
    assert outcome.code == 0
    assert "Imported 'Welcome series' as a new flow: Version 1 (draft)" in outcome.out
    listed = flows_by_name(run)["Welcome series"]
    assert listed["live_version"] is None and listed["draft_version"] == 1
    assert run("validate", "Welcome series").code == 0


def test_importing_a_new_flow_writes_one_audit_entry(run, flow_file) -> None:
    assert run("flows", "import", str(flow_file()), as_="editor").code == 0
    entries = run("audit", "--flow", "Welcome series", "--json", as_="publisher").json()
    assert [(e["action"], e["member"]) for e in entries] == [
        ("flow.import", "ed@example.com")]
    assert entries[0]["details"]["created"] is True


def test_import_of_a_known_name_replaces_the_draft(run, welcome, flow_file):
    outcome = run("flows", "import", str(flow_file(title="Hello again")), as_="editor")
    assert outcome.code == 0
    assert "into its draft: Version 1" in outcome.out
    exported = parse_flow_file(run("flows", "export", welcome).out)
    assert exported.definition.steps[0].title == "Hello again"
    versions = run("versions", welcome, "--json").json()
    assert [(v["version"], v["status"], v["revision"]) for v in versions] == [(1, "draft", 2)]


def test_import_after_publishing_starts_the_next_draft(run, published, flow_file):
    outcome = run("flows", "import", str(flow_file(title="Version two")), as_="editor")
    assert outcome.code == 0
    listed = flows_by_name(run)[published]
    assert (listed["live_version"], listed["draft_version"]) == (1, 2)
    live = parse_flow_file(run("flows", "export", published, "--version", "1").out)
    draft = parse_flow_file(run("flows", "export", published).out)
    assert live.definition.steps[0].title == "Welcome!"
    assert draft.definition.steps[0].title == "Version two"


def test_import_of_a_flow_with_validation_problems_is_accepted(run, flow_file):
    outcome = run("flows", "import", str(flow_file(title="", wait="P0D")), as_="editor")
    assert outcome.code == 0
    assert flows_by_name(run)["Welcome series"]["draft_version"] == 1


@pytest.mark.parametrize(("content", "place"), [
    ('{"format": "flowbench.flow", "format_version": 1,\n  "name": "x",,}', "line 2, column"),
    ({"format": "flowbench.flow", "format_version": 1, "name": "X",
      "trigger": {"kind": "manual"}, "steps": [{"id": "a", "kind": "wait_duration"},
                                               {"id": "b", "kind": "wait_duration"},
                                               {"id": "c", "kind": "wait_duration",
                                                "duration": 2}]}, "steps[2].duration"),
    ({"format": "flowbench.flow", "format_version": 1, "name": "X", "colour": "red",
      "trigger": {"kind": "manual"}, "steps": []}, "colour: unknown key"),
    ({"format": "flowbench.flow", "format_version": 1, "name": "X",
      "trigger": {"kind": "cron"}, "steps": []}, "trigger.kind"),
    ({"format": "flowbench.flow", "format_version": 1, "name": "X",
      "trigger": {"kind": "manual"}, "steps": [{"id": "a", "kind": "teleport"}]},
     "steps[0].kind"),
    ({"format": "something.else", "format_version": 1}, "format"),
    ({"format": "flowbench.flow", "format_version": 9}, "format_version"),
    (b"\xff\xfe not utf-8", "not UTF-8"),
])
def test_a_malformed_file_is_refused_naming_the_place_and_writes_nothing(
        run, welcome, flow_file, db_rows, refused, content, place):
    path = flow_file(content)
    before = db_rows()
    refused(run("flows", "import", str(path), as_="editor"), path.name, place)
    assert db_rows() == before


def test_import_is_refused_for_a_viewer_and_for_a_missing_file(run, flow_file, db_rows,
                                                               refused):
    before = db_rows()
    refused(run("flows", "import", str(flow_file()), as_="viewer"),
            "does not allow you to import flows")
    refused(run("flows", "import", "no-such-file.json", as_="editor"), "no-such-file.json")
    assert db_rows() == before


def test_import_reads_standard_input(run, monkeypatch, document):
    import io

    data = json.dumps(document(name="From stdin")).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run("flows", "import", "-", as_="editor").code == 0
    assert "From stdin" in flows_by_name(run)


# --- flows list and export ----------------------------------------------------------------

def test_flows_list_as_table_and_json(run, published, flow_file):
    assert run("flows", "list").out.strip() != ""
    run("flows", "import", str(flow_file(name="Second flow")), as_="editor")
    table = run("flows", "list").out.splitlines()
    assert table[0].split() == ["NAME", "LIVE", "DRAFT", "APPROVAL"]
    assert any(line.startswith("Second flow") for line in table)
    listed = flows_by_name(run)
    assert listed[published]["live_version"] == 1 and listed[published]["draft_version"] is None
    assert listed["Second flow"]["live_version"] is None
    assert listed["Second flow"]["draft_version"] == 1


def test_flows_list_with_no_flows(run):
    assert run("flows", "list").out.strip() == "No flows yet."
    assert run("flows", "list", "--json").json() == []


def test_export_round_trips_and_writes_a_file(run, welcome, flow_file, tmp_path, document):
    target = tmp_path / "out.json"
    outcome = run("flows", "export", welcome, "-o", str(target))
    assert outcome.code == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    expected = document()
    assert {k: v for k, v in written.items() if k != "version"} == expected
    assert written["version"] == 1
    # importing the export changes nothing: same content, same revision
    assert run("flows", "import", str(target), as_="editor").code == 0
    assert run("versions", welcome, "--json").json()[0]["revision"] == 1


def test_export_defaults_to_the_live_version_without_a_draft(run, published):
    assert json.loads(run("flows", "export", published).out)["version"] == 1


def test_export_refusals(run, welcome, refused):
    refused(run("flows", "export", "No such flow"), "no flow named 'No such flow'")
    refused(run("flows", "export", welcome, "--version", "7"), "has no Version 7")


# --- validate and versions ---------------------------------------------------------------

def test_validate_a_sound_flow(run, welcome):
    outcome = run("validate", welcome)
    assert outcome.code == 0
    assert "0 errors" in outcome.out
    assert run("validate", welcome, "--json").json() == []


def test_validate_reports_errors_and_exits_1(run, flow_file):
    run("flows", "import", str(flow_file(title="", wait="P0D")), as_="editor")
    outcome = run("validate", "Welcome series")
    assert outcome.code == 1
    assert "2 errors" in outcome.out
    assert "step welcome · title: The card title is empty." in outcome.out
    assert "step later · duration" in outcome.out
    assert outcome.err.strip() == "flowbench: 'Welcome series' has 2 validation errors."
    problems = run("validate", "Welcome series", "--json")
    assert problems.code == 1
    assert {(p["severity"], p["step"], p["field"]) for p in problems.json()} == {
        ("error", "welcome", "title"), ("error", "later", "duration")}
    assert all(set(p) >= {"severity", "step", "field", "message"} for p in problems.json())


def test_validate_with_only_warnings_exits_0(run, flow_file):
    run("flows", "import", str(flow_file(wait="P2Y")), as_="editor")  # long, not too long
    outcome = run("validate", "Welcome series", "--json")
    assert outcome.code == 0
    assert [(p["severity"], p["field"]) for p in outcome.json()] == [("warning", "duration")]


def test_validate_the_trigger_problem_has_no_step(run, flow_file, document):
    doc = document()
    doc["trigger"] = {"kind": "api_event", "event": "has spaces"}
    run("flows", "import", str(flow_file(doc)), as_="editor")
    problems = run("validate", "Welcome series", "--json").json()
    assert [(p["step"], p["field"]) for p in problems] == [(None, "trigger.event")]


def test_validate_and_versions_of_an_unknown_flow(run, refused):
    refused(run("validate", "Nope"), "no flow named 'Nope'")
    refused(run("versions", "Nope", "--json"), "no flow named 'Nope'")


def test_versions_lists_draft_live_and_previous(run, published, flow_file):
    run("flows", "import", str(flow_file(title="Two")), as_="editor")
    run("publish", published, as_="publisher")
    run("flows", "import", str(flow_file(title="Three")), as_="editor")
    versions = run("versions", published, "--json").json()
    assert [(v["version"], v["status"]) for v in versions] == [
        (3, "draft"), (2, "live"), (1, "previous")]
    assert versions[1]["published_by"] == "Pat"
    table = run("versions", published).out.splitlines()
    assert table[0].split() == ["VERSION", "STATUS", "REVISION", "BY", "WHEN"]
    assert table[1].split()[:2] == ["3", "draft"]


# --- approvals ---------------------------------------------------------------------------

@pytest.fixture
def approvals_on(run):
    assert run("settings", "set", "approvals", "on", as_="owner").code == 0


def test_approve_and_reject_then_publish(run, welcome, approvals_on, refused):
    refused(run("publish", welcome, as_="publisher"), "Approvals are missing")
    outcome = run("approve", welcome, "--group", "Legal", as_="viewer")
    refused(outcome, "does not allow you to approve")
    # the editor edited the draft, so they may not approve it themselves
    refused(run("approve", welcome, "--group", "Legal", as_="editor"), "You edited this draft")
    outcome = run("approve", welcome, "--group", "Marketing", as_="publisher")
    assert outcome.code == 0
    assert "Still waiting for: Legal." in outcome.out
    refused(run("approve", welcome, "--group", "Legal", as_="publisher"),
            "not a member of the approval group 'Legal'")
    outcome = run("reject", welcome, "--group", "Marketing", "--comment", "Tone it down",
                  as_="publisher")
    assert outcome.code == 0 and "Rejected Version 1" in outcome.out
    assert run("approve", welcome, "--group", "Marketing", as_="publisher").code == 0
    run("groups", "add-member", "Legal", "ada@example.com", as_="owner")
    outcome = run("approve", welcome, "--group", "Legal", "--revision", "1", as_="admin")
    assert outcome.code == 0, outcome
    assert "Every approval group has approved it." in outcome.out
    assert run("publish", welcome, as_="publisher").code == 0
    assert flows_by_name(run)[welcome]["live_version"] == 1


def test_approve_refusals(run, welcome, approvals_on, flow_file, db_rows, refused):
    refused(run("reject", welcome, "--group", "Legal", "--comment", " ", as_="admin"),
            "comment is required")
    refused(run("approve", welcome, "--group", "Finance", as_="admin"),
            "no approval group named 'Finance'")
    refused(run("approve", "Nope", "--group", "Legal", as_="admin"), "no flow named")
    run("flows", "import", str(flow_file(title="Changed")), as_="editor")  # revision 2
    run("groups", "add-member", "Marketing", "ada@example.com", as_="owner")
    before = db_rows()
    refused(run("approve", welcome, "--group", "Marketing", "--revision", "1", as_="admin"),
            "changed since you looked")
    assert db_rows()["approval"] == before["approval"]
    assert run("reject", welcome, "--group", "Marketing", "--comment", "nope",
               as_="publisher").code == 0


def test_a_second_approval_by_the_same_group_is_already_approved(run, welcome, approvals_on,
                                                                  db_rows, refused):
    assert run("approve", welcome, "--group", "Marketing", as_="publisher").code == 0
    run("groups", "add-member", "Marketing", "ada@example.com", as_="owner")
    before = db_rows()
    for who in ("publisher", "admin"):  # the same member, or another of the group
        refused(run("approve", welcome, "--group", "Marketing", as_=who), "already approved")
    assert db_rows() == before  # no approval row, no audit entry


def test_approve_while_approvals_are_off_is_refused(run, welcome, refused):
    refused(run("approve", welcome, "--group", "Legal", as_="admin"), "switched off")


# --- publish -----------------------------------------------------------------------------

def test_publish_makes_the_draft_live(run, welcome):
    outcome = run("publish", welcome, as_="publisher")
    assert outcome.code == 0
    assert outcome.out.strip() == "Published Version 1 of 'Welcome series'."
    listed = flows_by_name(run)[welcome]
    assert listed["live_version"] == 1 and listed["draft_version"] is None


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_publish_is_refused_for_editors_and_viewers(run, welcome, db_rows, refused, role):
    before = db_rows()
    refused(run("publish", welcome, as_=role), "does not allow you to publish flows")
    assert db_rows()["flow_version"] == before["flow_version"]


def test_publish_is_refused_with_validation_errors(run, flow_file, db_rows, refused):
    run("flows", "import", str(flow_file(title="")), as_="editor")
    before = db_rows()
    refused(run("publish", "Welcome series", as_="owner"), "1 validation error",
            "card title is empty")
    assert db_rows()["flow_version"] == before["flow_version"]


def test_publish_refusals_nothing_to_publish_not_found_and_stale(run, published, flow_file,
                                                                 db_rows, refused):
    refused(run("publish", published, as_="publisher"), "no draft")
    refused(run("publish", "Nope", as_="publisher"), "no flow named 'Nope'")
    run("flows", "import", str(flow_file(title="v2")), as_="editor")
    run("flows", "import", str(flow_file(title="v2 again")), as_="editor")  # revision 2
    before = db_rows()
    refused(run("publish", published, "--revision", "1", as_="publisher"),
            "changed since you looked")
    assert db_rows()["flow_version"] == before["flow_version"]
    assert run("publish", published, "--revision", "2", as_="publisher").code == 0


def test_publish_with_an_override_reason(run, welcome, approvals_on, refused):
    refused(run("publish", welcome, "--override-reason", "outage", as_="publisher"),
            "does not allow you to publish without approvals")
    outcome = run("publish", welcome, "--override-reason", "Fixing an outage", "--json",
                  as_="admin")
    assert outcome.code == 0, outcome
    assert outcome.json()["overridden"] is True
    assert outcome.json()["version"] == 1


def test_paths_and_splits_through_the_command_line(run, flow_file, document, refused):
    flow = document(name="Paths")
    steps = flow["steps"]
    steps.append({"id": "plan", "kind": "split", "parent": "later", "match": "all",
                  "conditions": [{"attribute": "plna", "op": "eq", "value": "pro"}]})
    steps.append({"id": "pro", "kind": "send_push", "parent": "plan", "path": "yes",
                  "title": "Pro", "body": "Tips"})
    steps.append({"id": "lost", "kind": "send_push", "parent": "ping", "path": "otherwise",
                  "title": "Lost", "body": "A path under a push"})
    assert run("customers", "import", str(flow_file("id,plan\nann,pro\n")),
               as_="editor").code == 0
    assert run("flows", "import", str(flow_file(flow)), as_="editor").code == 0
    checked = run("validate", "Paths", "--json")
    problems = {(p["step"], p["field"], p["severity"]) for p in checked.json()}
    assert ("plan", "conditions[0]", "warning") in problems  # no customer has "plna"
    assert ("lost", "path", "error") in problems
    assert checked.code == 1
    dry = run("publish", "Paths", "--dry-run")
    assert "If the card is submitted:" in dry.out and "Otherwise:" in dry.out
    assert "If yes:" in dry.out
    bad = document(name="Bad path")
    bad["steps"][1]["path"] = "maybe"
    refused(run("flows", "import", str(flow_file(bad)), as_="editor"),
            "steps[1].path", "is not a path")
