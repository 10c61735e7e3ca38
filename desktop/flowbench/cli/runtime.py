"""Commands for the local runtime: customers, segments, events, the clock, cards, starts,
cancels, test sends and the runtime status of a flow (issue 3).

Files named on the command line are read whole ('-' reads stdin); a bad row or line
refuses the whole file, naming its line, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from flowbench.cli.output import emit_json, say, table
from flowbench.cli.session import Session, read_only
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

Subparsers = Any  # argparse's private _SubParsersAction


def register(subparsers: Subparsers) -> None:
    _register_customers(subparsers)
    _register_segments(subparsers)
    _register_events(subparsers)
    _register_clock(subparsers)
    _register_cards(subparsers)
    _register_flow_commands(subparsers)


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


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
    group = subparsers.add_parser("customers", help="import, change and list customers")
    commands = group.add_subparsers(dest="customers_command", metavar="ACTION", required=True)
    imported = commands.add_parser(
        "import", help="import customers from a CSV file",
        description="Import customers from CSV: a header row with an 'id' column, an "
        "optional 'test' column (true/false, yes/no, 1/0) and attribute columns (numbers "
        "become numbers; an empty cell removes the attribute). Unknown ids are added, known "
        "ones updated; a bad row refuses the whole file.")
    imported.add_argument("file", metavar="FILE.csv")
    _json_option(imported)
    imported.set_defaults(run=_customers_import)
    changed = commands.add_parser(
        "set", help="set attributes of a customer",
        description="Set attributes of a customer (added if new). KEY= removes an "
        "attribute; test=yes|no marks a test account.")
    changed.add_argument("id", metavar="ID")
    changed.add_argument("assignments", metavar="KEY=VALUE", nargs="+")
    _json_option(changed)
    changed.set_defaults(run=_customers_set)
    listing = commands.add_parser("list", help="list customers")
    listing.add_argument("--segment", metavar="NAME", help="only the members of a segment")
    kind = listing.add_mutually_exclusive_group()
    kind.add_argument("--test", action="store_true", default=None,
                      help="only test accounts")
    kind.add_argument("--live", action="store_true", help="only customers who are not "
                      "test accounts")
    listing.add_argument("--limit", type=int, metavar="N")
    _json_option(listing)
    read_only(listing).set_defaults(run=_customers_list)


def _print_import(result: runtime_customers.CustomerImport, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_dict())
    else:
        say(result.describe())


def _customers_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    data, source = _read(args.file)
    _print_import(runtime_customers.import_customers_csv(actor, data, source), args.json)


def _customers_set(args: argparse.Namespace, session: Session) -> None:
    result = runtime_customers.set_customer(session.actor(), args.id, args.assignments)
    _print_import(result, args.json)


def _customers_list(args: argparse.Namespace, session: Session) -> None:
    test = True if args.test else (False if args.live else None)
    found = runtime_customers.list_customers(segment=args.segment, test=test,
                                             limit=args.limit)
    if args.json:
        emit_json([info.to_dict() for info in found])
        return
    table(("ID", "TEST", "ATTRIBUTES", "SEGMENTS"), [
        (c.id, c.is_test, " ".join(f"{k}={v}" for k, v in sorted(c.attributes.items())),
         c.segments) for c in found], "No customers yet.")


# --- segments --------------------------------------------------------------------------

def _register_segments(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("segments", help="import, list and delete segments")
    commands = group.add_subparsers(dest="segments_command", metavar="ACTION", required=True)
    imported = commands.add_parser(
        "import", help="import segments from a JSON file",
        description='Import a segment {"name", "match": "all"|"any", "conditions": '
        '[{"attribute", "op", "value"}]} (or a list of them). A known name gets the new '
        "rule; customers who enter start the live flows triggered by the segment.")
    imported.add_argument("file", metavar="FILE.json")
    _json_option(imported)
    imported.set_defaults(run=_segments_import)
    listing = commands.add_parser("list", help="list segments with their member counts")
    _json_option(listing)
    read_only(listing).set_defaults(run=_segments_list)
    delete = commands.add_parser("delete", help="delete a segment no live flow starts on")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(run=_segments_delete)


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
    found = runtime_segments.list_segments()
    if args.json:
        emit_json([info.to_dict() for info in found])
        return
    table(("SEGMENT", "MEMBERS", "TEST MEMBERS", "RULE"), [
        (s.name, s.members, s.test_members,
         f"{s.match} of {count_of(len(s.conditions), 'condition')}")
        for s in found], "No segments yet.")


# --- events ----------------------------------------------------------------------------

def _register_events(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("events", help="send events to the runtime")
    commands = group.add_subparsers(dest="events_command", metavar="ACTION", required=True)
    sent = commands.add_parser("send", help="send one event for a customer",
                               description="Send an API event for a customer: every flow "
                               "whose live version starts on it starts for them.")
    sent.add_argument("--customer", required=True, metavar="ID")
    sent.add_argument("--event", required=True, metavar="NAME")
    sent.add_argument("--payload", metavar="JSON", help="a JSON object")
    _json_option(sent)
    sent.set_defaults(run=_events_send)
    imported = commands.add_parser(
        "import", help="import events from a JSON Lines file",
        description='One {"customer", "event", "payload"?} object per line; a bad line '
        "refuses the whole file.")
    imported.add_argument("file", metavar="FILE.jsonl")
    _json_option(imported)
    imported.set_defaults(run=_events_import)


def _print_events(result: runtime_events.EventsResult, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_dict())
    else:
        say(result.describe())


def _events_send(args: argparse.Namespace, session: Session) -> None:
    result = runtime_events.send_event(session.actor(), args.customer, args.event,
                                       args.payload)
    _print_events(result, args.json)


def _events_import(args: argparse.Namespace, session: Session) -> None:
    actor = session.actor()
    data, source = _read(args.file)
    _print_events(runtime_events.import_events_jsonl(actor, data, source), args.json)


# --- clock -----------------------------------------------------------------------------

def _register_clock(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("clock", help="show or advance the runtime clock")
    commands = group.add_subparsers(dest="clock_command", metavar="ACTION", required=True)
    show = commands.add_parser("show", help="show the runtime's now")
    _json_option(show)
    read_only(show).set_defaults(run=_clock_show)
    advance = commands.add_parser(
        "advance", help="move the clock forward",
        description="Move the runtime clock forward by a duration written as people do "
        "(\"2 hours\", 2h, \"90 min\", \"1 day 12 hours\") or in ISO 8601 (PT30M, P2D): "
        "cards expire and waits end on the way, in time order.")
    advance.add_argument("duration", metavar="DURATION")
    _json_option(advance)
    advance.set_defaults(run=_clock_advance)


def _clock_show(args: argparse.Namespace, session: Session) -> None:
    info = runtime_clock.show_clock()
    if args.json:
        emit_json(info.to_dict())
    else:
        say(f"The runtime clock says {iso(info.now)}.")


def _clock_advance(args: argparse.Namespace, session: Session) -> None:
    result = runtime_clock.advance_clock(session.actor(), args.duration)
    if args.json:
        emit_json(result.to_dict())
    else:
        say(result.describe())


# --- cards -----------------------------------------------------------------------------

def _register_cards(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("cards", help="list cards, act on one as the customer")
    commands = group.add_subparsers(dest="cards_command", metavar="ACTION", required=True)
    listing = commands.add_parser("list", help="list cards, newest first")
    listing.add_argument("--customer", metavar="ID")
    listing.add_argument("--flow", metavar="NAME")
    listing.add_argument("--status", metavar="STATUS",
                         help="open, or one of active, snoozed, dismissed, completed, "
                              "expired, cancelled")
    listing.add_argument("--limit", type=int, metavar="N")
    _json_option(listing)
    read_only(listing).set_defaults(run=_cards_list)
    act = commands.add_parser("act", help="submit, dismiss or snooze a card",
                              description="Act on a card as its customer would: submit "
                              "(completes it), dismiss, or snooze (it stays open). A closed "
                              "card cannot change.")
    act.add_argument("card", type=int, metavar="CARD_ID")
    act.add_argument("action", choices=("submit", "dismiss", "snooze"))
    _json_option(act)
    act.set_defaults(run=_cards_act)


def _print_cards(cards: list[runtime_cards.CardInfo], as_json: bool, empty: str) -> None:
    if as_json:
        emit_json([card.to_dict() for card in cards])
        return
    table(("CARD", "CUSTOMER", "FLOW", "VERSION", "STEP", "STATUS", "TITLE", "EXPIRES"), [
        (c.id, c.customer + (" (test)" if c.is_test else ""), c.flow, c.version, c.step,
         c.status, c.title, iso(c.expires_at)) for c in cards], empty)


def _cards_list(args: argparse.Namespace, session: Session) -> None:
    cards = runtime_cards.list_cards(customer=args.customer, flow=args.flow,
                                     status=args.status, limit=args.limit)
    _print_cards(cards, args.json, "No cards.")


def _cards_act(args: argparse.Namespace, session: Session) -> None:
    card = runtime_cards.act_on_card(session.actor(), args.card, args.action)
    if args.json:
        emit_json(card.to_dict())
    else:
        say(f"Card {card.id} ('{card.title}' for {card.customer}) is now {card.status}.")


# --- flows in the runtime --------------------------------------------------------------

def _register_flow_commands(subparsers: Subparsers) -> None:
    start = subparsers.add_parser("start", help="start a live manual flow for customers",
                                  description="Start the live version of a flow with a "
                                  "manual trigger for the named customers (those already "
                                  "running it are skipped).")
    start.add_argument("name", metavar="NAME")
    start.add_argument("--customer", required=True, nargs="+", action="extend",
                       metavar="ID", dest="customers")
    _json_option(start)
    start.set_defaults(run=_start)
    status = subparsers.add_parser("runtime-status", help="instances and cards per version",
                                   description="Live figures of a flow per version: "
                                   "instances and cards by status (test data left out).")
    status.add_argument("name", metavar="NAME")
    _json_option(status)
    read_only(status).set_defaults(run=_runtime_status)
    cancel = subparsers.add_parser("cancel", help="cancel running instances of a flow",
                                   description="Cancel the running instances of a flow "
                                   "(all versions, or --version N); --with-cards also "
                                   "cancels every open card those versions sent (of "
                                   "instances that already ended too).")
    cancel.add_argument("name", metavar="NAME")
    cancel.add_argument("--version", type=int, metavar="N")
    cancel.add_argument("--with-cards", action="store_true")
    _json_option(cancel)
    cancel.set_defaults(run=_cancel)
    cancel_cards = subparsers.add_parser(
        "cancel-cards", help="cancel open cards of a flow",
        description="Cancel the open cards of a flow (all versions, or --version N); the "
        "instances go on, and waits for a cancelled card continue.")
    cancel_cards.add_argument("name", metavar="NAME")
    cancel_cards.add_argument("--version", type=int, metavar="N")
    _json_option(cancel_cards)
    cancel_cards.set_defaults(run=_cancel_cards)
    test_send = subparsers.add_parser(
        "test-send", help="run the draft for test accounts",
        description="Run the draft of a flow for the named test accounts (their earlier "
        "test run of the flow is replaced). Customers who are not test accounts are "
        "skipped and never sent anything.")
    test_send.add_argument("name", metavar="NAME")
    test_send.add_argument("--to", required=True, nargs="+", action="extend", metavar="ID",
                           dest="customers")
    _json_option(test_send)
    test_send.set_defaults(run=_test_send)
    inbox = subparsers.add_parser("test-inbox", help="the cards a test account got")
    inbox.add_argument("customer", metavar="ID")
    _json_option(inbox)
    read_only(inbox).set_defaults(run=_test_inbox)


def _print_start(result: runtime_starts.StartResult, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_dict())
        return
    for line in result.describe():
        say(line)


def _start(args: argparse.Namespace, session: Session) -> None:
    _print_start(runtime_starts.start_manual(session.actor(), args.name, args.customers),
                 args.json)


def _test_send(args: argparse.Namespace, session: Session) -> None:
    _print_start(runtime_starts.test_send(session.actor(), args.name, args.customers),
                 args.json)


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


def _print_cancel(result: runtime_cancel.CancelResult, as_json: bool) -> None:
    if as_json:
        emit_json(result.to_dict())
    else:
        say(result.describe())


def _cancel(args: argparse.Namespace, session: Session) -> None:
    _print_cancel(runtime_cancel.cancel_running(session.actor(), args.name,
                                                version=args.version,
                                                with_cards=args.with_cards), args.json)


def _cancel_cards(args: argparse.Namespace, session: Session) -> None:
    _print_cancel(runtime_cancel.cancel_open_cards(session.actor(), args.name,
                                                   version=args.version), args.json)


def _test_inbox(args: argparse.Namespace, session: Session) -> None:
    _print_cards(runtime_cards.test_inbox(args.customer), args.json,
                 f"{args.customer} has no cards.")
