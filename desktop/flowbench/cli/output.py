"""Printing for the command line: tables, JSON, one-line messages.

Everything printed goes through ``printable``: a control character in a flow name, a
title or a customer id (an escape sequence, NUL …) is shown as ``\\x1b``, never sent to
the terminal. ``--json`` output is standard JSON: no NaN or Infinity, and DEL, the C1
controls and lone surrogates are written as ``\\u`` escapes.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from flowbench.domain.safe_text import printable, safe_json_text

PROGRAM = "flowbench"
T = TypeVar("T", bound="Document")


class Document(Protocol):
    """A result the command line prints: ``to_dict()`` is what --json prints."""

    def to_dict(self) -> Any: ...


def say(text: str) -> None:
    """A line of output for the person (stdout); line breaks kept, other controls escaped."""
    print(printable(text, keep_lines=True))


def refuse(message: str) -> None:
    """The one line a refusal prints on stderr."""
    line = printable(" ".join(str(message).split()))
    print(f"{PROGRAM}: {line}", file=sys.stderr)


def emit_json(data: Any) -> None:
    """Machine-readable output: indented, standard JSON on stdout."""
    print(json_text(data))


def json_text(data: Any) -> str:
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:  # a non-finite number stored before it was refused: as text
        text = json.dumps(_finite(data), indent=2, ensure_ascii=False, default=str,
                          allow_nan=False)
    return safe_json_text(text)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(inner) for inner in value]
    return value


def cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return printable(", ".join(" ".join(str(item).split()) for item in value)) or "–"
    return printable(" ".join(str(value).split()))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]],
          empty: str = "Nothing to show.") -> None:
    """Rows under headers in aligned columns (or ``empty`` when there are none)."""
    texts = [[cell(value) for value in row] for row in rows]
    if not texts:
        say(empty)
        return
    widths = [max(len(header), *(len(row[i]) for row in texts))
              for i, header in enumerate(headers)]
    for row in [list(headers), *texts]:
        say("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
            .rstrip())


def print_result(result: Document, as_json: bool, text: str | Sequence[str]) -> None:
    """One result: its document with --json, else ``text`` (a line, or lines)."""
    if as_json:
        emit_json(result.to_dict())
        return
    for line in [text] if isinstance(text, str) else text:
        say(line)


def print_table(items: Sequence[T], as_json: bool, headers: Sequence[str],
                row: Callable[[T], Sequence[object]], empty: str = "Nothing to show.") -> None:
    """Several results: a list of their documents with --json, else a table of one
    ``row(item)`` each under ``headers`` (``empty`` when there are none)."""
    if as_json:
        emit_json([item.to_dict() for item in items])
        return
    table(headers, [row(item) for item in items], empty)


def on_off(value: bool) -> str:
    return "on" if value else "off"
