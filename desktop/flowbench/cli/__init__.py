"""The headless command line: the same services as the window, no Qt anywhere.

Each command module exposes ``register(subparsers)``, which declares its commands with
``cli.commands.add_command`` (name, help, description, arguments, handler)::

    add_command(subparsers, "versions", _versions, help="…", arguments=[NAME, JSON])
    # _versions(args, session) -> int | None, set as ``run`` on the parsed arguments

``session`` (``cli.session.Session``) has the workspace already open; ``session.actor()``
signs in the member named by ``--as`` — always checked when given, even by commands that
change nothing (those are declared ``read_only=True`` so that their help says they need
no ``--as``). A handler returns an exit code (None means 0)
and raises a ``FlowbenchError`` to refuse: ``main`` turns that into one line on stderr
and exit code 1. Usage errors exit with 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from flowbench import __version__
from flowbench.cli import (
    audit,
    compare,
    forecast,
    foundation,
    offline,
    publish,
    revisions,
    runtime,
)
from flowbench.cli.output import refuse
from flowbench.cli.session import Session, UsageError
from flowbench.domain.errors import FlowbenchError

PROGRAM = "flowbench"
EXIT_DONE, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
DEBUG_VARIABLE = "FLOWBENCH_DEBUG"


def command_modules() -> list[ModuleType]:
    return [foundation, publish, audit, revisions, runtime, compare, forecast, offline]


class _SelfTestAlone(argparse.Action):
    """``--self-test`` is listed here for ``--help``; ``flowbench --self-test`` itself is
    run by ``flowbench.app`` before the command line (which imports neither Qt nor the
    self-test). Anywhere else on a command line it is a usage error."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        parser.error("--self-test takes no other arguments")


class _Parser(argparse.ArgumentParser):
    """argparse, except that usage errors raise instead of exiting (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, self.format_usage())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROGRAM, description="Author, approve and publish Action Flows "
                     "from the command line. With no arguments, Flowbench opens its window.")
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    parser.add_argument("--self-test", action=_SelfTestAlone,
                        help="check this installation end to end in a throw-away workspace "
                             "(opens the window offscreen) and exit")
    parser.add_argument("--workspace", metavar="PATH",
                        help="the workspace file (default: $FLOWBENCH_WORKSPACE, else the "
                             "workspace in your user data folder)")
    parser.add_argument("--as", dest="as_email", metavar="EMAIL",
                        help="the member acting (password from $FLOWBENCH_PASSWORD, "
                             "else asked for); always checked when given. Commands that "
                             "change nothing run without it")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       parser_class=_Parser)
    subparsers.required = True
    for module in command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 done, 1 refused, 2 usage error)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(arguments)
    except UsageError as exc:
        sys.stderr.write(exc.usage)
        refuse(f"error: {exc}")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_DONE
    session = Session(args)
    code = EXIT_REFUSED
    try:
        session.open(create=getattr(args, "creates_workspace", False))
        if getattr(args, "as_email", None) and not getattr(args, "creates_workspace", False):
            session.actor()  # an identity given is an identity checked, read or write
        code = int(args.run(args, session) or EXIT_DONE)
        return code
    except UsageError as exc:
        refuse(f"error: {exc}")
        return EXIT_USAGE
    except FlowbenchError as exc:
        refuse(str(exc))
        return EXIT_REFUSED
    except KeyboardInterrupt:
        refuse("interrupted; nothing more was done.")
        return EXIT_REFUSED
    except OSError as exc:
        refuse(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        return EXIT_REFUSED
    except Exception as exc:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        refuse(f"unexpected error ({type(exc).__name__}: {exc}); set {DEBUG_VARIABLE}=1 "
               "to see the details.")
        return EXIT_REFUSED
    finally:
        session.close(succeeded=code == EXIT_DONE)
