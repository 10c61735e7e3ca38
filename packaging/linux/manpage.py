"""``flowbench.1``: the manual page, written at build time from the command line's own
argparse parser, so that it says exactly what ``flowbench --help`` and each command's
``--help`` say.

    python packaging/linux/manpage.py [OUTPUT]      (inside the build environment)

A small generator rather than argparse-manpage: the parser is ours and plain, and one
more build dependency would buy nothing the ~100 lines here do not do.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

NAME = "flowbench"
SUMMARY = "author, approve and publish customer-engagement Action Flows"


def escape(text: str) -> str:
    """Plain text as roff: backslashes and hyphens escaped, no line starting with a
    control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.splitlines() or [""]:
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def _subcommands(parser: argparse.ArgumentParser
                 ) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """Every command below ``parser``, depth first: (its words, its help, its parser)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for word, sub in action.choices.items():
            yield word, helps.get(word, ""), sub
            for deeper, deeper_help, deeper_parser in _subcommands(sub):
                yield f"{word} {deeper}", deeper_help, deeper_parser


def _options(parser: argparse.ArgumentParser) -> Iterator[str]:
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings and action.dest == "help":
            continue  # every command has -h/--help; said once in OPTIONS
        invocation = formatter._format_action_invocation(action)
        yield f".TP\n.B {escape(invocation)}\n{escape(action.help or '')}"


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = parser.format_usage().strip()
    usage = usage.removeprefix("usage: ")
    return f".nf\n{escape(' '.join(usage.split()))}\n.fi"


def render(parser: argparse.ArgumentParser, version: str, date: str) -> str:
    sections = [
        f'.TH FLOWBENCH 1 "{date}" "flowbench {version}" "User Commands"',
        ".SH NAME", f"{NAME} \\- {escape(SUMMARY)}",
        ".SH SYNOPSIS",
        f".B {NAME}\n[\\fIFILE\\fR.flowbench.json] [\\fB\\-\\-workspace\\fR \\fIPATH\\fR]",
        ".br", f".B {NAME}\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        escape(parser.description or ""),
        ".PP",
        escape("Started with no arguments, with only --workspace PATH, or with a flow file "
               "(as the desktop does when one is opened), Flowbench opens its window; a flow "
               "file is imported once someone has signed in. When Flowbench already runs "
               "for the same user, a second start hands its workspace and flow file to the "
               "running window and exits. Commands never open a window."),
        ".SH OPTIONS",
        ".TP\n.B \\-h, \\-\\-help\nshow the help of flowbench or of a command, and exit",
        *_options(parser),
        ".SH COMMANDS",
        escape("Each command has its own --help. Commands that change the workspace name "
               "the member acting with --as EMAIL."),
    ]
    for words, help_text, sub in _subcommands(parser):
        sections.append(f'.SS "{escape(words)}"')
        if help_text:
            sections.append(escape(help_text[:1].upper() + help_text[1:] + "."))
        sections.append(_usage(sub))
        sections.extend(_options(sub))
    sections += [
        ".SH ENVIRONMENT",
        ".TP\n.B FLOWBENCH_WORKSPACE\nthe workspace used when \\-\\-workspace is not given",
        ".TP\n.B FLOWBENCH_PASSWORD\nthe password of the member named by \\-\\-as",
        ".TP\n.B PGPASSWORD\nthe server password of a team workspace (PostgreSQL)",
        ".SH EXIT STATUS",
        "0 done, 1 refused (one line on standard error says why), 2 a usage error.",
        ".SH SEE ALSO",
        escape("flowbench --self-test checks an installation end to end."),
    ]
    return "\n".join(sections) + "\n"


def build_manpage(version: str, date: str) -> str:
    from flowbench.cli import build_parser

    return render(build_parser(), version, date)


def main(argv: list[str]) -> int:
    from flowbench import __version__

    text = build_manpage(__version__, datetime.date.today().isoformat())
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
