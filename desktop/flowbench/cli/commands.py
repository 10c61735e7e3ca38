"""Declaring a command: its name, help and description, its arguments in order, and the
handler that runs it — one call instead of an argparse paragraph per command::

    add_command(subparsers, "revisions", _revisions, help="…", description="…",
                arguments=[NAME, json_option("print the revisions as JSON")],
                read_only=True)

``add_group`` adds a command with actions of its own (``flowbench members add …``).
Arguments are added in the order given, so the help lists them in that order.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flowbench.cli.session import Session
from flowbench.cli.session import read_only as mark_read_only

Subparsers = Any  # argparse's private _SubParsersAction
Handler = Callable[[argparse.Namespace, Session], int | None]


@dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call, kept until the command is built."""

    flags: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)

    def add_to(self, parser: Any) -> None:
        parser.add_argument(*self.flags, **self.options)


@dataclass(frozen=True)
class OneOf:
    """Arguments that exclude each other (``[--test | --live]``)."""

    choices: tuple[Argument, ...]

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        for choice in self.choices:
            choice.add_to(group)


def argument(*flags: str, **options: Any) -> Argument:
    return Argument(flags, options)


def json_option(help: str = "print JSON") -> Argument:
    return argument("--json", action="store_true", help=help)


NAME = argument("name", metavar="NAME")  # a flow, a segment, a group …
EMAIL = argument("email", metavar="EMAIL")
REVIEWED_REVISION = argument("--revision", type=int, metavar="N",
                             help="the draft revision you reviewed: refused if it changed "
                                  "since")


def add_command(subparsers: Subparsers, name: str, run: Handler, *, help: str,
                description: str | None = None,
                arguments: Iterable[Argument | OneOf] = (), read_only: bool = False,
                **defaults: Any) -> argparse.ArgumentParser:
    """Add the command ``name``, run by ``run``. ``read_only`` says in its help that it
    changes nothing (so needs no --as); ``defaults`` are set on its arguments."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help,
                                                            description=description)
    for each in arguments:
        each.add_to(parser)
    if read_only:
        mark_read_only(parser)
    parser.set_defaults(run=run, **defaults)
    return parser


def add_group(subparsers: Subparsers, name: str, *, help: str,
              description: str | None = None) -> Subparsers:
    """Add the command ``name`` whose actions are added to what this returns."""
    group = subparsers.add_parser(name, help=help, description=description)
    return group.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
