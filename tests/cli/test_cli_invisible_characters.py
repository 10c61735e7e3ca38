"""Names hold no invisible formatting character that makes them display as something
else ("Welcome\u202egnp.exe" shows as "Welcomeexe.png"): refused on import, on create
(a duplicate's new name), for approval groups and members; the joiner that emoji
sequences need stays allowed, and bodies keep every format character."""

from __future__ import annotations

import pytest

from flowbench.domain.flow_file import parse_flow_file

SPOOF = "Welcome\u202egnp.exe"
EMOJI = "\U0001f469\u200d\U0001f4bb Onboarding"  # woman technologist: needs U+200D


@pytest.mark.parametrize(("where", "says"), [
    ("\u202a", "U+202A left-to-right embedding"), ("\u202b", "U+202B right-to-left embedding"),
    ("\u202c", "U+202C pop directional formatting"),
    ("\u202d", "U+202D left-to-right override"), ("\u202e", "U+202E right-to-left override"),
    ("\u2066", "U+2066 left-to-right isolate"), ("\u2067", "U+2067 right-to-left isolate"),
    ("\u2068", "U+2068 first strong isolate"), ("\u2069", "U+2069 pop directional isolate"),
    ("\u200b", "U+200B zero width space"), ("\ufeff", "U+FEFF zero width no-break space")])
def test_an_imported_flow_name_with_an_invisible_character_is_refused(
        run, flow_file, document, refused, db_rows, where, says) -> None:
    before = db_rows()
    outcome = run("flows", "import", str(flow_file(document(name=f"Welcome{where}x"))),
                  as_="editor")
    refused(outcome, f"name: contains an invisible formatting character ({says}) at "
                     "character 8")
    assert db_rows() == before


def test_a_step_title_and_a_button_label_refuse_them_too(run, flow_file, document,
                                                         refused) -> None:
    refused(run("flows", "import", str(flow_file(document(title=SPOOF))), as_="editor"),
            "steps[0].title: contains an invisible formatting character (U+202E")
    spoofed = document()
    spoofed["steps"][0]["buttons"][0]["label"] = "Start\u2066"
    refused(run("flows", "import", str(flow_file(spoofed)), as_="editor"),
            "steps[0].buttons[0].label: contains an invisible formatting character")


def test_emoji_sequences_stay_in_names_and_bodies_keep_format_characters(
        run, flow_file, document) -> None:
    content = document(name=EMOJI)
    content["steps"][0]["body"] = f"Hi \U0001f44b\U0001f3fd \u2067\u05e9\u05dc\u05d5\u05dd" \
                                  f"\u2069 {SPOOF}"
    assert run("flows", "import", str(flow_file(content)), as_="editor").code == 0
    exported = parse_flow_file(run("flows", "export", EMOJI).out)
    assert exported.name == EMOJI
    assert exported.definition.steps[0].body == content["steps"][0]["body"]


def test_a_duplicate_group_or_member_named_with_one_is_refused(run, flow_file, refused,
                                                                db_rows, monkeypatch) -> None:
    assert run("flows", "import", str(flow_file()), as_="editor").code == 0
    monkeypatch.setenv("FLOWBENCH_NEW_PASSWORD", "a brand new secret")
    before = db_rows()
    refused(run("flows", "duplicate", "Welcome series", "--name", SPOOF, as_="editor"),
            "A flow name contains an invisible formatting character (U+202E right-to-left "
            "override) at character 8.")
    refused(run("groups", "add", "Legal\u2067", as_="admin"),
            "contains an invisible formatting character (U+2067 right-to-left isolate)")
    refused(run("members", "add", "--email", "eve@example.com", "--name", "Olive\u202d",
                "--role", "editor", as_="admin"),
            "contains an invisible formatting character (U+202D left-to-right override)")
    assert db_rows() == before
