"""Commands for the local runtime: customers, segments, events, the clock, cards, starts,
cancels, test sends and the runtime status of a flow (issue 3).

Files named on the command line are read whole ('-' reads stdin); a bad row or line
refuses the whole file, naming its line, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flowbench.cli.commands import (
    NAME,
    OneOf,
    Subparsers,
    add_command,
    add_group,
    argument,
    json_option,
)
from flowbench.cli.output import emit_json, print_result, print_table, say, table
from flowbench.cli.session import Session
from flowbench.domain.errors import NotFound
from flowbench.domain.wording import count_of
from flowbench.services.runtime import cancel as runtime_cancel
from flowbench.services.runtime import cards as runtime_cards
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.runtime import customers as runtime_customers
from flowbench.services.runtime import events as runtime_events
from flowbench.services.runtime import segments as runtime_segments
from flowbench.services.runtime import starts as runtime_starts
from flowbench.services.runtime import status as runtime_status
from flowbench.services.runtime.access import iso

JSON = json_option()
LIMIT = argument("--limit", type=int, metavar="N")
VERSION = argument("--version", type=int, metavar="N")


def register(subparsers: Subparsers) -> None:
    _register_customers(subparsers)
    _register_segments(subparsers)
    _register_events(subparsers)
    _register_clock(subparsers)
    _register_cards(subparsers)
    _register_flow_commands(subparsers)


def _read(name: str) -> tuple[bytes, str]:
    """The bytes of the file ``name`` ('-': stdin) and the name messages use for it."""
    if name == "-":
        return sys.stdin.buffer.read(), "stdin"
    path = Path(name)
    if not path.is_file():
        raise NotFound(f"There is no file {name}.")
    return path.read_bytes(), path.name


# --- customers -------------------------------------------------------------------------

def _register_customers(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "customers", help="import, change and list customers")
    add_command(
        commands, "import", _customers_import, help="import customers from a CSV file",
        description="Import customers from CSV: a header row with an 'id' column, an "
        "optional 'test' column (true/false, yes/no, 1/0) and attribute columns (numbers "
        "become numbers; an empty cell removes the attribute). Unknown ids are added, known "
        "ones updated; a bad row refuses the whole file.",
        arguments=[argument("file", metavar="FILE.csv"), JSON])
    add_command(
        commands, "set", _customers_set, help="set attributes of a customer",
        description="Set attributes of a customer (added if new). KEY= removes an "
        "attribute; test=yes|no marks a test account.",
        arguments=[argument("id", metavar="ID"),
                   argument("assignments", metavar="KEY=VALUE", nargs="+"), JSON])
    add_command(commands, "list", _customers_list, help="list customers", arguments=[
        argument("--segment", metavar="NAME", help="only the members of a segment"),
        OneOf((argument("--test", action="store_true", default=None,
                        help="only test accounts"),
               argument("--live", action="store_true",
                        help="only customers who are not test accounts"))),
        LIMIT, JSON], read_only=True)


def _customers_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    data, source = _read(args.file)
    result = runtime_customers.import_customers_csv(actor, data, source)
    print_result(result, args.json, result.describe())


def _customers_set(args: argparse.Namespace, session: Session) -> None:
    result = runtime_customers.set_customer(session.actor(), args.id, args.assignments)
    print_result(result, args.json, result.describe())


def _customers_list(args: argparse.Namespace, session: Session) -> None:
    test = True if args.test else (False if args.live else None)
    found = runtime_customers.list_customers(segment=args.segment, test=test,
                                             limit=args.limit)
    print_table(found, args.json, ("ID", "TEST", "ATTRIBUTES", "SEGMENTS"), lambda c: (
        c.id, c.is_test, " ".join(f"{k}={v}" for k, v in sorted(c.attributes.items())),
        c.segments), "No customers yet.")


# --- segments --------------------------------------------------------------------------

def _register_segments(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "segments", help="import, list and delete segments")
    add_command(
        commands, "import", _segments_import, help="import segments from a JSON file",
        description='Import a segment {"name", "match": "all"|"any", "conditions": '
        '[{"attribute", "op", "value"}]} (or a list of them). A known name gets the new '
        "rule; customers who enter start the live flows triggered by the segment.",
        arguments=[argument("file", metavar="FILE.json"), JSON])
    add_command(commands, "list", _segments_list,
                help="list segments with their member counts", arguments=[JSON],
                read_only=True)
    add_command(commands, "delete", _segments_delete,
                help="delete a segment no live flow starts on", arguments=[NAME])


def _segments_delete(args: argparse.Namespace, session: Session) -> None:
    members = runtime_segments.delete_segment(session.actor(), args.name)
    say(f"Deleted the segment '{args.name.strip()}' ({members:,} member"
        f"{'' if members == 1 else 's'}).")


def _segments_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    data, source = _read(args.file)
    results = runtime_segments.import_segments_json(actor, data, source)
    if args.json:
        emit_json([result.to_dict() for result in results])
        return
    for result in results:
        say(result.describe())


def _segments_list(args: argparse.Namespace, session: Session) -> None:
    print_table(runtime_segments.list_segments(), args.json,
                ("SEGMENT", "MEMBERS", "TEST MEMBERS", "RULE"), lambda s: (
                    s.name, s.members, s.test_members,
                    f"{s.match} of {count_of(len(s.conditions), 'condition')}"),
                "No segments yet.")


# --- events ----------------------------------------------------------------------------

def _register_events(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "events", help="send events to the runtime")
    add_command(commands, "send", _events_send, help="send one event for a customer",
                description="Send an API event for a customer: every flow whose live "
                "version starts on it starts for them.",
                arguments=[argument("--customer", required=True, metavar="ID"),
                           argument("--event", required=True, metavar="NAME"),
                           argument("--payload", metavar="JSON", help="a JSON object"),
                           JSON])
    add_command(
        commands, "import", _events_import, help="import events from a JSON Lines file",
        description='One {"customer", "event", "payload"?} object per line; a bad line '
        "refuses the whole file.", arguments=[argument("file", metavar="FILE.jsonl"), JSON])


def _events_send(args: argparse.Namespace, session: Session) -> None:
    result = runtime_events.send_event(session.actor(), args.customer, args.event,
                                       args.payload)
    print_result(result, args.json, result.describe())


def _events_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    data, source = _read(args.file)
    result = runtime_events.import_events_jsonl(actor, data, source)
    print_result(result, args.json, result.describe())


# --- clock -----------------------------------------------------------------------------

def _register_clock(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "clock", help="show or advance the runtime clock")
    add_command(commands, "show", _clock_show, help="show the runtime's now",
                arguments=[JSON], read_only=True)
    add_command(
        commands, "advance", _clock_advance, help="move the clock forward",
        description="Move the runtime clock forward by a duration written as people do "
        "(\"2 hours\", 2h, \"90 min\", \"1 day 12 hours\") or in ISO 8601 (PT30M, P2D): "
        "cards expire and waits end on the way, in time order.",
        arguments=[argument("duration", metavar="DURATION"), JSON])


def _clock_show(args: argparse.Namespace, session: Session) -> None:
    info = runtime_clock.show_clock()
    print_result(info, args.json, f"The runtime clock says {iso(info.now)}.")


def _clock_advance(args: argparse.Namespace, session: Session) -> None:
    result = runtime_clock.advance_clock(session.actor(), args.duration)
    print_result(result, args.json, result.describe())


# --- cards -----------------------------------------------------------------------------

def _register_cards(subparsers: Subparsers) -> None:
    commands = add_group(subparsers, "cards", help="list cards, act on one as the customer")
    add_command(commands, "list", _cards_list, help="list cards, newest first", arguments=[
        argument("--customer", metavar="ID"), argument("--flow", metavar="NAME"),
        argument("--status", metavar="STATUS", help="open, or one of active, snoozed, "
                 "dismissed, completed, expired, cancelled"),
        LIMIT, JSON], read_only=True)
    add_command(commands, "act", _cards_act, help="submit, dismiss or snooze a card",
                description="Act on a card as its customer would: submit (completes it), "
                "dismiss, or snooze (it stays open). A closed card cannot change.",
                arguments=[argument("card", type=int, metavar="CARD_ID"),
                           argument("action", choices=("submit", "dismiss", "snooze")),
                           JSON])


def _print_cards(cards: list[runtime_cards.CardInfo], as_json: bool, empty: str) -> None:
    print_table(cards, as_json, ("CARD", "CUSTOMER", "FLOW", "VERSION", "STEP", "STATUS",
                                 "TITLE", "EXPIRES"), lambda c: (
        c.id, c.customer + (" (test)" if c.is_test else ""), c.flow, c.version, c.step,
        c.status, c.title, iso(c.expires_at)), empty)


def _cards_list(args: argparse.Namespace, session: Session) -> None:
    cards = runtime_cards.list_cards(customer=args.customer, flow=args.flow,
                                     status=args.status, limit=args.limit)
    _print_cards(cards, args.json, "No cards.")


def _cards_act(args: argparse.Namespace, session: Session) -> None:
    card = runtime_cards.act_on_card(session.actor(), args.card, args.action)
    print_result(card, args.json, f"Card {card.id} ('{card.title}' for {card.customer}) is "
                 f"now {card.status}.")


# --- flows in the runtime --------------------------------------------------------------

def _register_flow_commands(subparsers: Subparsers) -> None:
    add_command(subparsers, "start", _start, help="start a live manual flow for customers",
                description="Start the live version of a flow with a manual trigger for the "
                "named customers (those already running it are skipped).",
                arguments=[NAME, argument("--customer", required=True, nargs="+",
                                               action="extend", metavar="ID",
                                               dest="customers"), JSON])
    add_command(subparsers, "runtime-status", _runtime_status,
                help="instances and cards per version",
                description="Live figures of a flow per version: instances and cards by "
                "status (test data left out).", arguments=[NAME, JSON], read_only=True)
    add_command(subparsers, "cancel", _cancel, help="cancel running instances of a flow",
                description="Cancel the running instances of a flow (all versions, or "
                "--version N); --with-cards also cancels every open card those versions "
                "sent (of instances that already ended too).",
                arguments=[NAME, VERSION, argument("--with-cards", action="store_true"),
                           JSON])
    add_command(subparsers, "cancel-cards", _cancel_cards, help="cancel open cards of a flow",
                description="Cancel the open cards of a flow (all versions, or --version N); "
                "the instances go on, and waits for a cancelled card continue.",
                arguments=[NAME, VERSION, JSON])
    add_command(subparsers, "test-send", _test_send, help="run the draft for test accounts",
                description="Run the draft of a flow for the named test accounts (their "
                "earlier test run of the flow is replaced). Customers who are not test "
                "accounts are skipped and never sent anything.",
                arguments=[NAME, argument("--to", required=True, nargs="+",
                                               action="extend", metavar="ID",
                                               dest="customers"), JSON])
    add_command(subparsers, "test-inbox", _test_inbox, help="the cards a test account got",
                arguments=[argument("customer", metavar="ID"), JSON], read_only=True)


def _start(args: argparse.Namespace, session: Session) -> None:
    result = runtime_starts.start_manual(session.actor(), args.name, args.customers)
    print_result(result, args.json, result.describe())


def _test_send(args: argparse.Namespace, session: Session) -> None:
    result = runtime_starts.test_send(session.actor(), args.name, args.customers)
    print_result(result, args.json, result.describe())


def _runtime_status(args: argparse.Namespace, session: Session) -> None:
    status = runtime_status.runtime_status(args.name)
    if args.json:
        emit_json(status)
        return
    say(f"'{status['flow']}' — live version: {status['live_version'] or 'none'} "
        "(live figures; test data left out)")
    table(("VERSION", "STATUS", "RUNNING", "COMPLETED", "CANCELLED", "ACTIVE", "SNOOZED",
           "DISMISSED", "SUBMITTED", "EXPIRED", "CARDS CANCELLED"), [
        (v["version"], v["status"], *v["instances"].values(), *v["cards"].values())
        for v in status["versions"]], "No versions.")


def _cancel(args: argparse.Namespace, session: Session) -> None:
    result = runtime_cancel.cancel_running(session.actor(), args.name, version=args.version,
                                           with_cards=args.with_cards)
    print_result(result, args.json, result.describe())


def _cancel_cards(args: argparse.Namespace, session: Session) -> None:
    result = runtime_cancel.cancel_open_cards(session.actor(), args.name,
                                              version=args.version)
    print_result(result, args.json, result.describe())


def _test_inbox(args: argparse.Namespace, session: Session) -> None:
    _print_cards(runtime_cards.test_inbox(args.customer), args.json,
                 f"{args.customer} has no cards.")
