"""The ``forecast`` command: what the draft would have done with the last days' history.

    flowbench forecast NAME [--days N] [--json]

Replays the recorded history of the last N days (default 14) through the live version
and through the draft, each as if it had been live all along, in a scratch copy: the
workspace is not changed. Prints the instances started, completed and still waiting,
the cards and pushes sent per step, and the difference in one sentence.
"""

from __future__ import annotations

import argparse
from typing import Any

from flowbench.cli.output import emit_json, say, table
from flowbench.cli.session import Session
from flowbench.domain.forecast import Forecast, VersionForecast
from flowbench.services import forecast as forecasting

KIND_WORDS = {"send_card": "cards", "send_push": "pushes"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "forecast", help="replay recent history through the live version and the draft",
        description="Replay the recorded runtime history of the last days (the triggers "
        "this flow saw and the card actions customers took; test accounts left out) "
        "through the live version and through the draft, each as if it had been live "
        "for the whole period, in a scratch copy. Nothing in the workspace changes.")
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--days", type=int, default=forecasting.DEFAULT_DAYS, metavar="N",
                        help=f"how many days to replay (default {forecasting.DEFAULT_DAYS})")
    parser.add_argument("--json", action="store_true", help="print the forecast as JSON")
    parser.set_defaults(run=_forecast)


def _forecast(args: argparse.Namespace, session: Session) -> None:
    result = forecasting.forecast(args.name, args.days)
    if args.json:
        emit_json(result.to_dict())
    else:
        print_forecast(result)


def _column(result: Forecast, side: VersionForecast | None, status: str) -> str:
    return f"VERSION {side.version} ({status})" if side else "NOTHING LIVE"


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
    live_steps = {s.id: s for s in live.steps} if live else {}
    draft_steps = {s.id: s for s in draft.steps}
    for step_id in dict.fromkeys([*draft_steps, *live_steps]):
        step = draft_steps.get(step_id) or live_steps[step_id]
        rows.append((f"{step_id}: {KIND_WORDS.get(step.kind, step.kind)} sent",
                     live_steps[step_id].sent if step_id in live_steps else "–",
                     draft_steps[step_id].sent if step_id in draft_steps else "–"))
    table(("", _column(result, live, "LIVE"), _column(result, draft, "DRAFT")), rows)
    for note in result.notes():
        say(f"Note: {note}")
    say("Nothing in the workspace was changed.")
