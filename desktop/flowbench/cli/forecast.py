"""The ``forecast`` command: what the draft would have done with the last days' history.

    flowbench forecast NAME [--days N] [--json]

Replays the recorded history of the last N days (default 14) through the live version
and through the draft, each as if it had been live all along, in a scratch copy: the
workspace is not changed. Prints the instances started, completed and still waiting,
the cards and pushes sent per step, and the difference in one sentence.
"""

from __future__ import annotations

import argparse

from flowbench.cli.commands import NAME, Subparsers, add_command, argument, json_option
from flowbench.cli.output import emit_json, say, table
from flowbench.cli.session import Session
from flowbench.domain.forecast import Forecast, VersionForecast
from flowbench.services import forecast as forecasting


def register(subparsers: Subparsers) -> None:
    add_command(
        subparsers, "forecast", _forecast,
        help="replay recent history through the live version and the draft",
        description="Replay the recorded runtime history of the last days (the triggers "
        "this flow saw and the card actions customers took; test accounts left out) "
        "through the live version and through the draft, each as if it had been live "
        "for the whole period, in a scratch copy. Nothing in the workspace changes.",
        arguments=[NAME, argument("--days", type=int, default=forecasting.DEFAULT_DAYS,
                                  metavar="N", help="how many days to replay (default "
                                  f"{forecasting.DEFAULT_DAYS})"),
                   json_option("print the forecast as JSON")])


def _forecast(args: argparse.Namespace, session: Session) -> None:
    result = forecasting.forecast(args.name, args.days)
    if args.json:
        emit_json(result.to_dict())
    else:
        print_forecast(result)


def _column(result: Forecast, side: VersionForecast | None, status: str) -> str:
    return f"VERSION {side.version} ({status})" if side else "NOTHING LIVE"


def _or_dash(sent: int | None) -> object:
    return "–" if sent is None else sent


def print_forecast(result: Forecast) -> None:
    document = result.to_dict()
    say(f"Forecast for '{result.flow}': the last {result.days} days "
        f"({document['from']} – {document['to']}), {result.triggers:,} recorded trigger"
        f"{'' if result.triggers == 1 else 's'} and {result.card_actions:,} card action"
        f"{'' if result.card_actions == 1 else 's'} replayed.")
    say(result.difference())
    live, draft = result.live, result.draft
    rows: list[tuple[str, object, object]] = [
        (what, getattr(live, what) if live else "–", getattr(draft, what))
        for what in ("started", "completed", "waiting")]
    rows.extend((f"{step.id}: {step.what} sent", _or_dash(step.live), _or_dash(step.draft))
                for step in result.sent_by_step())
    table(("", _column(result, live, "LIVE"), _column(result, draft, "DRAFT")), rows)
    for note in result.notes():
        say(f"Note: {note}")
    say("Nothing in the workspace was changed.")
