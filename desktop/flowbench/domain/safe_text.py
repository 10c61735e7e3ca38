"""Text from outside: what it may hold, and how it is shown safely.

Names, titles, labels and ids hold no control characters at all, and none of the
invisible format characters that can make a name display as something else: the
bidirectional embeddings, overrides and isolates (``Welcome\u202egnp.exe`` shows as
"Welcomeexe.png"), zero-width spaces, soft hyphens, byte-order marks, tags. They keep
what real names need: the zero-width joiner and non-joiner (emoji sequences, Persian,
the Indic scripts), the left-to-right and right-to-left marks (which place punctuation
but cannot reorder letters) and the format characters of particular scripts. Bodies and
descriptions may hold line breaks and tabs, nothing else of the kind, and any format
character (an emoji sequence in a card's text needs the joiner). Every text is
valid Unicode that can be written as UTF-8 (no lone surrogates). Whatever reaches a
terminal or a log line goes through ``printable`` first, so a name stored before
these rules (or typed by a hostile hand) cannot send escape sequences.
"""

from __future__ import annotations

import re
import unicodedata

from flowbench.domain.errors import InvalidInput

LINE_BREAKS = frozenset("\n\r\t")
# C0, DEL and C1 controls, and the surrogate code points (never valid text on their own).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Format characters (Unicode category Cf) a name, title, label or id may not hold: the
# rest of Cf is kept on purpose (see the module's docstring).
_INVISIBLE = re.compile("[\u00ad\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                        "\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# What a terminal or a log line must not receive raw: the controls above, and the
# bidirectional embeddings, overrides and isolates, which reorder the text after them
# ("Trojan Source"); a name stored before names refused them still reaches ``printable``.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_TERMINAL_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")
_TERMINAL_UNSAFE_BUT_LINES = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}]")
_NAMES = {"\x00": "NUL", "\x1b": "escape", "\n": "line break", "\r": "line break",
          "\t": "tab", "\x7f": "DEL"}


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: object, *, keep_lines: bool = False) -> str:
    """``text`` with control characters, lone surrogates and bidirectional controls
    written as ``\\x1b``- or ``\\u202e``-style escapes (line breaks kept when
    ``keep_lines``): safe for a terminal or a log line."""
    value = str(text)
    pattern = _TERMINAL_UNSAFE_BUT_LINES if keep_lines else _TERMINAL_UNSAFE
    if pattern.search(value) is None:
        return value
    return pattern.sub(lambda match: _escape(match.group()), value)


def character_name(char: str) -> str:
    """'NUL', 'escape', 'line break', 'U+0085', 'a lone surrogate (U+D800)'."""
    if char in _NAMES:
        return _NAMES[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X})"
    return f"U+{code:04X}"


def text_problem(value: str, limit: int, *, lines: bool = False) -> str | None:
    """What is wrong with ``value`` as a text of at most ``limit`` characters (line breaks
    and tabs allowed only when ``lines``), or None when it is fine."""
    if len(value) > limit:
        return f"at most {limit:,} characters (this one has {len(value):,})"
    found = (_UNSAFE_BUT_LINES if lines else _UNSAFE).search(value)
    if found is not None:
        char = found.group()
        if 0xD800 <= ord(char) <= 0xDFFF:
            return f"not valid text: {character_name(char)} at character {found.start() + 1}"
        return f"contains a control character ({character_name(char)}) at character " \
               f"{found.start() + 1}"
    invisible = None if lines else _INVISIBLE.search(value)
    if invisible is not None:
        return f"contains an invisible formatting character " \
               f"({format_character_name(invisible.group())}) at character " \
               f"{invisible.start() + 1}"
    return None


def described(subject: str, problem: str) -> str:
    """``subject`` and a ``text_problem`` in one sentence: "the name contains a control
    character (escape) at character 3", "the text is too long: at most 1,000 characters
    (this one has 1,200)", "the id is not valid text: a lone surrogate …"."""
    if problem.startswith("contains"):
        return f"{subject} {problem}"
    if problem.startswith("at most"):
        return f"{subject} is too long: {problem}"
    return f"{subject} is {problem}"


def hides_in_names(char: str) -> bool:
    """Whether ``char`` is a format character names, titles, labels and ids refuse."""
    return _INVISIBLE.fullmatch(char) is not None


def format_character_name(char: str) -> str:
    """'U+202E right-to-left override', 'U+200B zero width space'."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'format character').lower()}"


def check_name(value: str, what: str, limit: int) -> str:
    """``value`` with its spaces collapsed; InvalidInput if it is empty, too long or holds
    a control character (NUL, escape, a line break …) or an invisible formatting
    character (a right-to-left override …)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    problem = text_problem(value, max(limit, len(value)))
    if problem is not None:
        raise InvalidInput(f"{what} {problem}.")
    clean = " ".join(value.split())
    if not clean:
        raise InvalidInput(f"{what} is empty.")
    if len(clean) > limit:
        raise InvalidInput(f"{what} has at most {limit:,} characters.")
    return clean


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\ud800-\udfff{_BIDI}]")


def safe_json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, the C1 controls,
    lone surrogates and bidirectional controls written as ``\\u`` escapes — still the
    same JSON, but safe on a terminal and always encodable as UTF-8 (json escapes the C0
    controls itself)."""
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
