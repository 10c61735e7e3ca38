"""Printing for the command line: tables, JSON, one-line messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

PROGRAM = "flowbench"


def say(text: str) -> None:
    """A line of output for the person (stdout)."""
    print(text)


def refuse(message: str) -> None:
    """The one line a refusal prints on stderr."""
    line = " ".join(str(message).split())
    print(f"{PROGRAM}: {line}", file=sys.stderr)


def emit_json(data: Any) -> None:
    """Machine-readable output: indented JSON on stdout."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "–"
    return " ".join(str(value).split())


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


def on_off(value: bool) -> str:
    return "on" if value else "off"
