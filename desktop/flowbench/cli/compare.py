"""The ``diff`` command: two versions of a flow side by side.

    flowbench diff NAME [--from A] [--to B] [--json]

A and B are version numbers, ``live`` or ``draft`` (defaults: ``--from live --to
draft``, what a publish would change). Steps are aligned by id: ``*`` marks a changed
step or field, ``+`` a step only B has, ``-`` a step only A has.
"""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.commands import NAME, Subparsers, add_command, argument, json_option
from flowbench.cli.output import emit_json, say, table
from flowbench.cli.session import Session
from flowbench.domain.changes import describe_step, value_words
from flowbench.domain.comparison import StepDiff, StepState
from flowbench.domain.definition import Step
from flowbench.services.version_compare import VersionComparison, compare_versions

MARKS = {StepState.SAME: "", StepState.CHANGED: "*", StepState.ADDED: "+",
         StepState.REMOVED: "-"}


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers, "diff", _diff,
        help="compare two versions of a flow (or a version and the draft)",
        description="Show two versions of a flow side by side, steps aligned by id, with "
        "every changed field's old and new value. Name a version by its number, 'live' or "
        "'draft'.", arguments=[
            NAME,
            argument("--from", dest="from_ref", default="live", metavar="A",
                     help="the version to compare from: a number, 'live' or 'draft' "
                          "(default: live)"),
            argument("--to", dest="to_ref", default="draft", metavar="B",
                     help="the version to compare with: a number, 'live' or 'draft' "
                          "(default: draft)"),
            json_option("print the comparison as JSON")])


def _diff(args: argparse.Namespace, session: Session) -> None:
    comparison = compare_versions(args.name, args.from_ref, args.to_ref)
    if args.json:
        emit_json(comparison.to_dict())
    else:
        print_comparison(comparison)


def _in_words(side: Any) -> str:
    return describe_step(Step.from_dict(side)) if side else "—"


def _step_rows(step: StepDiff) -> list[tuple[str, str, str, str, str]]:
    rows = [(MARKS[step.state], "  " * step.depth + step.id, "",
             _in_words(step.before), _in_words(step.after))]
    if step.state == StepState.CHANGED:
        rows.extend(("*", "", f.name, value_words(f.name, f.before),
                     value_words(f.name, f.after)) for f in step.changed_fields)
    return rows


def print_comparison(comparison: VersionComparison) -> None:
    diff = comparison.diff
    counts = {state: len(diff.in_state(state)) for state in StepState}
    say(f"'{comparison.flow}': {comparison.before.label} → {comparison.after.label}: "
        f"{counts[StepState.CHANGED]} changed, {counts[StepState.ADDED]} added, "
        f"{counts[StepState.REMOVED]} removed, {counts[StepState.SAME]} the same."
        + ("" if diff.changed else " No differences."))
    rows: list[tuple[str, str, str, str, str]] = [
        ("*" if f.changed else "", "trigger", f.name, value_words(f.name, f.before),
         value_words(f.name, f.after)) for f in diff.trigger]
    if diff.description.changed:
        rows.append(("*", "description", "", value_words("description", diff.description.before),
                     value_words("description", diff.description.after)))
    for step in diff.steps:
        rows.extend(_step_rows(step))
    table(("", "STEP", "FIELD", comparison.before.label.upper(),
           comparison.after.label.upper()), rows)
