"""``flowbench diff``: two versions (or a version and the draft) side by side, steps aligned
by id, with each changed field's old and new value; bad version names are refused."""

from __future__ import annotations

import pytest

from flowbench.domain.definition import Step


@pytest.fixture
def three_versions(prepare):
    """Welcome: Version 1 (previous), Version 2 (live: longer wait, new title), Version 3
    (draft: the reminder push removed, a thanks card added under the wait)."""
    def build(world) -> None:
        card = world.card("welcome", title="Welcome")
        flow = world.on_event("Welcome", "signup", card, world.wait("pause", "welcome", "P1D"),
                              world.push("remind", "pause"))
        world.redraft(flow, card.with_changes(title="Welcome aboard!"),
                      world.wait("pause", "welcome", "P2D"), world.push("remind", "pause"))
        from flowbench.services import publishing
        publishing.publish_draft(world.cast.owner, flow)
        world.redraft(flow, card.with_changes(title="Welcome aboard!"),
                      world.wait("pause", "welcome", "P2D"),
                      Step("thanks", "send_card", parent="pause", title="Thanks", body="Bye"))

    prepare(build)


def test_diff_json_aligns_steps_and_names_old_and_new_values(run, three_versions,
                                                             db_rows) -> None:
    before = db_rows()
    outcome = run("diff", "Welcome", "--from", "1", "--to", "draft", "--json")
    assert outcome.code == 0, outcome
    result = outcome.json()
    assert (result["from"], result["to"]) == ({"version": 1, "status": "previous"},
                                              {"version": 3, "status": "draft"})
    assert [(s["id"], s["state"]) for s in result["steps"]] == [
        ("welcome", "changed"), ("pause", "changed"), ("remind", "removed"),
        ("thanks", "added")]
    assert [s["changed_fields"] for s in result["steps"][:2]] == [["title"], ["duration"]]
    assert result["steps"][2]["after"] is None and result["steps"][3]["before"] is None
    pause = next(s for s in result["steps"] if s["id"] == "pause")
    assert {"field": "duration", "before": "P1D", "after": "P2D", "changed": True} \
        in pause["fields"]
    assert [c["text"] for c in result["changes"]] == [
        "Changed the card “Welcome aboard!” (step welcome): title “Welcome” → "
        "“Welcome aboard!”.",
        "Changed the wait of 2 days (step pause): wait 1 day → 2 days.",
        "Added: Send card “Thanks” (step thanks).",
        "Removed: Send push “Push remind” (step remind)."]
    assert db_rows() == before


def test_diff_text_defaults_to_live_against_draft(run, three_versions) -> None:
    outcome = run("diff", "Welcome")
    assert outcome.code == 0, outcome
    lines = outcome.out.splitlines()
    assert lines[0] == ("'Welcome': Version 2 (live) → Version 3 (draft): 0 changed, "
                        "1 added, 1 removed, 2 the same.")
    assert lines[1].split() == ["STEP", "FIELD", "VERSION", "2", "(LIVE)", "VERSION", "3",
                                "(DRAFT)"]
    assert any(line.startswith("-") and "remind" in line and "Send push" in line
               for line in lines)
    assert any(line.startswith("+") and "thanks" in line and "Send card “Thanks”" in line
               for line in lines)


def test_two_published_versions_and_no_differences(run, three_versions) -> None:
    changed = run("diff", "Welcome", "--from", "v1", "--to", "live")
    assert changed.code == 0, changed
    assert [line.split() for line in changed.out.splitlines() if line.startswith("*")] == [
        ["*", "welcome", "Send", "card", "“Welcome”", "Send", "card", "“Welcome", "aboard!”"],
        ["*", "title", "“Welcome”", "“Welcome", "aboard!”"],
        ["*", "pause", "Wait", "1", "day", "Wait", "2", "days"],
        ["*", "duration", "1", "day", "2", "days"]]
    same = run("diff", "Welcome", "--from", "2", "--to", "2", "--json")
    assert same.json()["changed"] is False and same.json()["changes"] == []


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "7"), "'Welcome' has no Version 7."),
    (("--to", "latest"), "'latest' is not a version: give its number, 'live' or 'draft'."),
    (("--from", "0"), "'0' is not a version"),
])
def test_a_version_that_is_not_there_is_refused(run, three_versions, refused, args,
                                                message) -> None:
    refused(run("diff", "Welcome", *args), message)


def test_an_unknown_flow_is_refused(run, three_versions, refused) -> None:
    refused(run("diff", "Nope"), "There is no flow named 'Nope'.")
