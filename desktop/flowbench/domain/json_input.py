"""JSON from outside (event payloads, segment rules, attribute values), held to bounds.

Standard JSON only: ``NaN``/``Infinity`` and numbers that overflow to infinity are
refused, whole numbers have at most 18 digits (they fit the database's integers),
nesting is at most ``MAX_NESTING`` levels, texts are valid Unicode (a ``\\ud800`` escape
alone is not). ``JsonRefused`` carries a message without the place; callers add it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

MAX_NESTING = 32
MAX_INTEGER_DIGITS = 18
MAX_TEXT = 10_000


class JsonRefused(ValueError):
    """The JSON is malformed or past a bound; ``str()`` says what without a subject
    ("is nested more than 32 levels deep"): callers put the place in front."""


def _constant(name: str) -> Any:
    raise JsonRefused(f"holds {name}, which JSON does not allow")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(f"holds the number {text[:20]}{'…' if len(text) > 20 else ''}, "
                          "which is too large")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise JsonRefused(f"holds the number {text[:20]}…, which has more than "
                          f"{MAX_INTEGER_DIGITS} digits")
    return int(text)


class Decoder(json.JSONDecoder):
    """``json.JSONDecoder`` with two members its ``__init__`` sets that typeshed leaves
    out: the object parser the pure-Python scanner calls, and the scanner itself (the C
    one where there is one)."""

    parse_object: Callable[..., tuple[Any, int]]
    scan_once: Callable[[str, int], tuple[Any, int]]


def decoder() -> Decoder:
    """A decoder with the bounds on numbers (nesting and texts: ``check``)."""
    return Decoder(parse_constant=_constant, parse_float=_float, parse_int=_int)


def number_problem(value: float | int) -> str | None:
    """Why a number taken from text cannot be stored, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return "is too large a number"
    if isinstance(value, int) and not isinstance(value, bool) \
            and abs(value) >= 10 ** MAX_INTEGER_DIGITS:
        return f"has more than {MAX_INTEGER_DIGITS} digits"
    return None


def might_be_hostile(text: str) -> bool:
    """Whether ``text`` could hold deep nesting or a surrogate escape (else ``check`` can
    be skipped: most event lines are flat and plain)."""
    return "\\u" in text or text.count("{") + text.count("[") > MAX_NESTING


def check(value: Any, max_nesting: int = MAX_NESTING) -> None:
    """Refuse nesting deeper than ``max_nesting`` and texts that are not valid Unicode."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth >= max_nesting:
                raise JsonRefused(f"is nested more than {max_nesting} levels deep")
            if isinstance(item, dict):
                for key, inner in item.items():
                    _check_text(key)
                    stack.append((inner, depth + 1))
            else:
                stack.extend((inner, depth + 1) for inner in item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JsonRefused("holds a lone surrogate (\\ud800…), which is not valid "
                          "text") from None
    if len(text) > MAX_TEXT:
        raise JsonRefused(f"holds a text longer than {MAX_TEXT:,} characters")


def loads(text: str, max_nesting: int = MAX_NESTING) -> Any:
    """``json.loads`` held to the bounds above; JsonRefused says what is wrong."""
    try:
        value = decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"is not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise JsonRefused(f"is nested more than {max_nesting} levels deep") from None
    except JsonRefused:
        raise
    except ValueError:  # int()'s own digit limit
        raise JsonRefused("holds a number with too many digits") from None
    check(value, max_nesting)
    return value
