"""Which invisible formatting characters names, titles, labels and ids refuse, and that
the editor's validation shows the refusal as a problem of the step as you type."""

from __future__ import annotations

import sys
import unicodedata

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.domain.safe_text import hides_in_names, text_problem
from flowbench.domain.validation import validate

# format characters (category Cf) names keep, and why
KEPT = {
    "\u200c": "zero width non-joiner: Persian, the Indic scripts",
    "\u200d": "zero width joiner: emoji sequences, the Indic scripts",
    "\u200e": "left-to-right mark: places punctuation, reorders no letters",
    "\u200f": "right-to-left mark: the same",
    "\u061c": "Arabic letter mark: the same",
    "\u180e": "Mongolian vowel separator: Mongolian",
    **{chr(c): "prepended concatenation marks: visible in Arabic, Syriac, Kaithi"
       for c in (*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2,
                 0x110BD, 0x110CD)},
    **{chr(c): "Egyptian hieroglyph format controls" for c in range(0x13430, 0x13440)},
    **{chr(c): "Duployan shorthand format controls" for c in range(0x1BCA0, 0x1BCA4)},
}
FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1)
                     if unicodedata.category(chr(c)) == "Cf"]


def test_every_format_character_is_refused_in_names_unless_a_script_needs_it() -> None:
    refused = [c for c in FORMAT_CHARACTERS if c not in KEPT]
    assert all(hides_in_names(c) for c in refused), \
        [f"U+{ord(c):04X}" for c in refused if not hides_in_names(c)]
    assert not any(hides_in_names(c) for c in KEPT)
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)):  # the brief's list
        assert hides_in_names(chr(code))


def test_a_name_refuses_them_naming_the_character_and_a_body_keeps_them() -> None:
    for char in (c for c in FORMAT_CHARACTERS if c not in KEPT):
        problem = text_problem(f"ab{char}", 200)
        assert problem is not None and problem.startswith(
            f"contains an invisible formatting character (U+{ord(char):04X} "), problem
        assert problem.endswith("at character 3")
        assert text_problem(f"ab{char}", 200, lines=True) is None
    assert text_problem("\U0001f469\u200d\U0001f4bb Onboarding", 200) is None


def test_validation_reports_an_invisible_character_in_a_title_as_a_problem() -> None:
    definition = FlowDefinition(trigger=Trigger("manual"), steps=(
        Step("a", "send_card", title="Welcome\u202egnp.exe", body="Body \u202e ok",
             buttons=(Button("OK\u2069"),)),))
    found = {(p.step, p.field): p.message for p in validate("Limits", definition)}
    assert "invisible formatting character (U+202E right-to-left override)" in \
        found[("a", "title")]
    assert "invisible formatting character (U+2069" in found[("a", "buttons[0].label")]
    assert ("a", "body") not in found
    named = {p.field: p.message for p in validate("Welcome\u2066", definition)}
    assert "invisible formatting character (U+2066" in named["name"]
