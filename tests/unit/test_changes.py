"""What changed, value by value: every kind of change names its old and new value, and the
side-by-side comparison aligns steps by id whatever fields they carry."""

from __future__ import annotations

from flowbench.domain.changes import NO_CHANGES, list_changes
from flowbench.domain.comparison import StepState, aligned_ids, compare_definitions
from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger

WELCOME = Step("welcome", "send_card", title="Welcome", body="Hi",
               buttons=(Button("OK", "submit"),), priority=5)
PAUSE = Step("pause", "wait_duration", parent="welcome", duration="P1D")
REMIND = Step("remind", "send_push", parent="pause", title="Reminder", body="Still there?")
THANKS = Step("thanks", "send_card", parent="welcome", title="Thanks", body="Bye",
              buttons=(Button("OK", "submit"),), priority=5)
LIVE = FlowDefinition(Trigger("segment_entered", segment="Trial"),
                      (WELCOME, PAUSE, REMIND, THANKS), "Onboarding")


def changed(new: FlowDefinition, old: FlowDefinition = LIVE) -> list[tuple]:
    return [(c.text, c.step, c.field, c.before, c.after) for c in list_changes(old, new)]


def test_a_changed_title_names_both_titles() -> None:
    new = LIVE.with_step(WELCOME.with_changes(title="Welcome aboard!"))
    assert changed(new) == [("Changed the card “Welcome aboard!” (step welcome): title “Welcome” → "
                             "“Welcome aboard!”.",
                             "welcome", "title", "Welcome", "Welcome aboard!")]


def test_a_longer_wait_is_said_in_days() -> None:
    new = LIVE.with_step(PAUSE.with_changes(duration="P2D"))
    assert changed(new) == [("Changed the wait of 2 days (step pause): wait 1 day → 2 days.",
                             "pause", "duration", "P1D", "P2D")]


def test_an_added_button_is_named_by_its_label() -> None:
    show = Button("Show me", "link", "https://example.com/tour")
    new = LIVE.with_step(WELCOME.with_changes(buttons=(Button("OK", "submit"), show)))
    assert changed(new) == [
        ("Changed the card “Welcome” (step welcome): button added “Show me”.", "welcome",
         "buttons", None, show.to_dict())]


def test_a_removed_step_says_what_it_did() -> None:
    new = LIVE.with_steps((WELCOME, PAUSE, THANKS))
    assert changed(new) == [("Removed: Send push “Reminder” (step remind).", "remind", None,
                             REMIND.to_dict(), None)]


def test_a_moved_step_says_where_it_went() -> None:
    new = LIVE.with_step(THANKS.with_changes(parent="pause"))
    assert changed(new) == [("Moved the card “Thanks” (step thanks) under “pause”.", "thanks",
                             "parent", "welcome", "pause")]
    top = LIVE.with_step(THANKS.with_changes(parent=None))
    assert changed(top)[0][0] == ("Moved the card “Thanks” (step thanks) to the top (right "
                                  "after the trigger).")


def test_the_trigger_segment_names_both_segments() -> None:
    new = LIVE.with_trigger(Trigger("segment_entered", segment="Trial users"))
    assert changed(new) == [("Trigger: segment “Trial” → “Trial users”.", None,
                             "trigger.segment", "Trial", "Trial users")]
    on_event = LIVE.with_trigger(Trigger("api_event", event="signup"))
    assert changed(on_event) == [(
        "Trigger: when a customer enters the segment “Trial” → when the API event “signup” "
        "arrives.", None, "trigger", {"kind": "segment_entered", "segment": "Trial"},
        {"kind": "api_event", "event": "signup"})]


def test_an_added_step_a_new_kind_and_other_fields() -> None:
    bye = Step("bye", "send_push", parent="thanks", title="Bye", body="See you")
    new = LIVE.with_steps((WELCOME.with_changes(expires_after="P3D", priority=7),
                           PAUSE.with_changes(kind="send_push", duration=None,
                                              title="Nudge", body="Hey"),
                           REMIND, THANKS, bye)).with_description("Onboarding, v2")
    texts = [text for text, *_ in changed(new)]
    assert texts == [
        "Description “Onboarding” → “Onboarding, v2”.",
        "Changed the card “Welcome” (step welcome): expiry none → 3 days.",
        "Changed the card “Welcome” (step welcome): priority 5 → 7.",
        "Changed the push “Nudge” (step pause): kind Wait for a duration → Send push "
        "notification.",
        "Changed the push “Nudge” (step pause): title none → “Nudge”.",
        "Changed the push “Nudge” (step pause): text none → “Hey”.",
        "Changed the push “Nudge” (step pause): duration 1 day → none.",
        "Added: Send push “Bye” (step bye).",
    ]


def test_a_button_changed_in_place_and_buttons_reordered() -> None:
    two = (Button("OK", "submit"), Button("Later", "dismiss"))
    old = LIVE.with_step(WELCOME.with_changes(buttons=two))
    relabelled = old.with_step(WELCOME.with_changes(
        buttons=(Button("OK", "link", "https://example.com"), Button("Later", "dismiss"))))
    assert [t for t, *_ in changed(relabelled, old)] == [
        "Changed the card “Welcome” (step welcome): button “OK”: action “submit” → "
        "“link”, url none → “https://example.com”."]
    reordered = old.with_step(WELCOME.with_changes(buttons=tuple(reversed(two))))
    assert [t for t, *_ in changed(reordered, old)] == [
        "Changed the card “Welcome” (step welcome): buttons reordered (“Later”, “OK”)."]


def test_nothing_changed_and_first_version() -> None:
    assert changed(LIVE) == [(NO_CHANGES, None, None, None, None)]
    assert list_changes(None, LIVE)[0].text == "First version: everything is new."


def test_the_comparison_aligns_steps_by_id_and_keeps_removed_ones_in_place() -> None:
    new = LIVE.with_steps((WELCOME.with_changes(title="Hello"), PAUSE, THANKS))
    diff = compare_definitions(LIVE, new)
    assert [(s.id, s.state, s.depth) for s in diff.steps] == [
        ("welcome", StepState.CHANGED, 0), ("pause", StepState.SAME, 1),
        ("remind", StepState.REMOVED, 2), ("thanks", StepState.SAME, 1)]
    welcome = diff.step("welcome")
    assert [f.name for f in welcome.changed_fields] == ["title"]
    assert [f.name for f in welcome.fields] == ["kind", "parent", "title", "body", "buttons",
                                                "priority"]
    assert not diff.trigger_changed and diff.changed


def test_fields_the_comparison_does_not_know_are_compared_like_any_other() -> None:
    """A step kind or field added later (a split, a child's path) needs nothing here."""
    base = {"trigger": {"kind": "manual"}, "steps": [
        {"id": "split", "kind": "split", "conditions": [{"attribute": "plan", "op": "eq",
                                                         "value": "pro"}]},
        {"id": "yes", "kind": "send_card", "parent": "split", "path": "yes", "title": "Pro"}]}
    mine = {"trigger": {"kind": "manual"}, "steps": [
        {"id": "split", "kind": "split", "conditions": [{"attribute": "plan", "op": "eq",
                                                         "value": "team"}]},
        {"id": "yes", "kind": "send_card", "parent": "split", "path": "no", "title": "Pro"}]}
    diff = compare_definitions(base, mine)
    assert [(s.id, [(f.name, f.before, f.after) for f in s.changed_fields])
            for s in diff.steps] == [
        ("split", [("conditions", base["steps"][0]["conditions"],
                    mine["steps"][0]["conditions"])]),
        ("yes", [("path", "yes", "no")])]
    theirs = {"trigger": {"kind": "manual"}, "steps": [base["steps"][0]]}
    assert aligned_ids(diff, compare_definitions(base, theirs)) == ["split", "yes"]


LONG = ("Greets new trial users, nudges them through the tour and asks how the first week "
        "went.")


def test_a_long_text_changed_near_its_end_shows_where_it_differs() -> None:
    """Cut at the same place from the start, both sides of the arrow read the same: a
    long text is cut where the two start to differ, the same start elided."""
    new = LIVE.with_description(LONG.replace("first week", "first two weeks"))
    [(text, *_)] = changed(new, LIVE.with_description(LONG))
    assert text == ("Description “…asks how the first week went.” → “…asks how the first "
                    "two weeks went.”.")
    body = LIVE.with_step(WELCOME.with_changes(body=LONG))
    [(text, *_)] = changed(body.with_step(WELCOME.with_changes(body=LONG + " Thanks!")), body)
    assert text.endswith("text “…first week went.” → “…first week went. Thanks!”.")


def test_a_long_text_changed_at_its_start_is_cut_at_its_end() -> None:
    [(text, *_)] = changed(LIVE.with_description("Welcomes " + LONG[7:]),
                           LIVE.with_description(LONG))
    assert text == ("Description “Greets new trial users, nudges them through the tour and "
                    "as…” → “Welcomes new trial users, nudges them through the tour and …”.")
