"""The engine's entry points: start, cancel, card actions and the live figures.

These run inside the caller's transaction and never open one of their own: a service
wraps each call in ``write_transaction()``, and the publish calls several of them in its
single transaction, so that everything commits or rolls back together.

Who the figures count: instances and cards carry the test flag of their customer (a test
account reached by a live flow gets test data); live figures leave test data out.

Bulk calls keep the live tallies themselves on SQLite (``bulk_tallies.bulk``): every
statement here, in walk.py and in wakes.py that inserts instances or cards or changes
their status calls ``bulk_tallies.inserted`` / ``status_changing`` next to it. A new such
statement must too (tests/runtime/test_bulk_tallies.py checks every bulk path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from peewee import Query, fn

from flowbench.domain.errors import Conflict, NotFound, OperationCancelled
from flowbench.runtime import bulk_tallies, sql
from flowbench.runtime.bulk_tallies import bulk, expected_rows
from flowbench.runtime.plans import FlowPlan, plan_of_version
from flowbench.runtime.sql import OPEN_CARD_STATES, F, Fragment, in_list, run_count, scalar
from flowbench.runtime.wakes import awaited_cards, cards_closed
from flowbench.runtime.walk import Cohort, complete_finished, run_children
from flowbench.store import models, tally_models
from flowbench.store.query_rows import tuples
from flowbench.store.runtime_indexes import OPEN_CARD, RUNNING

Progress = Callable[[int, int], None]
ShouldCancel = Callable[[], bool]
Customers = Iterable[int] | Query | Fragment

SLICE = 50_000  # customers per statement when a bulk start reports progress


class Cancelled(OperationCancelled):
    """``should_cancel`` said stop: the caller's transaction must roll back."""


# --- starting --------------------------------------------------------------------------

def start_instances(flow_id: int, version_id: int, customers: Customers, *, now: int,
                    is_test: bool = False, progress: Progress | None = None,
                    should_cancel: ShouldCancel | None = None) -> int:
    """Start ``version_id`` for ``customers``; returns how many instances started.

    ``customers`` are customer ids: a list, a peewee query or a ``Fragment`` selecting
    them. Customers who already run the flow (any version) are skipped. Each instance
    carries its customer's test flag; ``is_test`` (test sends) starts test accounts only.
    The new instances walk their first steps at once, as one cohort.

    With ``progress``/``should_cancel`` the customers are taken in slices: ``progress``
    gets (customers done, customers in all) after each slice, and ``should_cancel``
    returning True raises ``Cancelled`` before the next one.
    """
    plan = plan_of_version(version_id)
    if isinstance(customers, Query):
        customers = Fragment.from_query(customers)
    if not isinstance(customers, Fragment):
        ids = sorted(set(int(customer) for customer in customers))
        batches = [in_list("c.id", chunk) for chunk in sql.chunks(ids)]
        with bulk(len(ids)):
            return _start_batches(flow_id, version_id, plan, batches, [len(b.params)
                                  for b in batches], now, is_test, progress, should_cancel)
    if progress is None and should_cancel is None:
        within = F("c.id IN (") + customers + ")"
        with bulk(expected_rows(F("SELECT COUNT(*) FROM customer c WHERE ") + within)):
            return _start_batch(flow_id, version_id, plan, within, now, is_test)
    return _start_sliced(flow_id, version_id, plan, customers, now, is_test, progress,
                         should_cancel)


def _start_batches(flow_id: int, version_id: int, plan: FlowPlan, batches: list[Fragment],
                   sizes: list[int], now: int, is_test: bool, progress: Progress | None,
                   should_cancel: ShouldCancel | None) -> int:
    total, done, started = sum(sizes), 0, 0
    for batch, size in zip(batches, sizes, strict=True):
        if should_cancel is not None and should_cancel():
            raise Cancelled("Cancelled before it finished; nothing changed.")
        started += _start_batch(flow_id, version_id, plan, batch, now, is_test)
        done += size
        if progress is not None:
            progress(done, total)
    return started


def _start_sliced(flow_id: int, version_id: int, plan: FlowPlan, customers: Fragment,
                  now: int, is_test: bool, progress: Progress | None,
                  should_cancel: ShouldCancel | None) -> int:
    """Hold the target customers in a scratch table, then start them a slice at a time."""
    sql.execute("CREATE TEMP TABLE IF NOT EXISTS runtime_target "
                "(customer_id INTEGER PRIMARY KEY)")
    sql.execute("DELETE FROM runtime_target")
    try:
        # (no DISTINCT: the semi-join yields each customer once, and PostgreSQL would
        # hash-aggregate a million ids again for it)
        total = run_count(F("INSERT INTO runtime_target (customer_id) SELECT x.id "
                            "FROM customer x WHERE x.id IN (") + customers + ")")
        low, high = sql.rows("SELECT MIN(customer_id), MAX(customer_id) FROM runtime_target")[0]
        batches: list[Fragment] = []
        sizes: list[int] = []
        if total:
            edges = list(range(int(low), int(high) + 1, SLICE)) + [int(high) + 1]
            for first, after in zip(edges, edges[1:], strict=False):
                size = int(scalar("SELECT COUNT(*) FROM runtime_target WHERE customer_id "
                                  "BETWEEN ? AND ?", (first, after - 1)))
                if size:
                    batches.append(F("c.id IN (SELECT customer_id FROM runtime_target WHERE "
                                     "customer_id BETWEEN ? AND ?)", first, after - 1))
                    sizes.append(size)
        if progress is not None:
            progress(0, total)
        with bulk(total):
            return _start_batches(flow_id, version_id, plan, batches, sizes, now, is_test,
                                  progress, should_cancel)
    finally:
        sql.execute("DELETE FROM runtime_target")


def _start_batch(flow_id: int, version_id: int, plan: FlowPlan, customers: Fragment,
                 now: int, is_test: bool) -> int:
    before = int(scalar("SELECT MAX(id) FROM instance") or 0)
    test_only = F(" AND c.is_test = ?", True) if is_test else F("")
    started = run_count(
        F("INSERT INTO instance (flow_id, version_id, customer_id, status, is_test, started_at) "
          "SELECT ?, ?, c.id, ?, c.is_test, ? FROM customer c WHERE ", flow_id, version_id,
          "running", now)
        + customers + test_only
        + F(" AND NOT EXISTS (SELECT 1 FROM instance r WHERE r.flow_id = ? "
            "AND r.customer_id = c.id AND r.status = ?) ORDER BY c.id", flow_id, "running"))
    if started:
        bulk_tallies.inserted("instance", before)
        last = int(scalar("SELECT MAX(id) FROM instance"))
        cohort = Cohort(first=before + 1, last=last)
        if not run_children(plan, None, cohort, now):
            complete_finished(cohort, now)
    return started


# --- cancelling ------------------------------------------------------------------------

def _running_of(version_ids: Sequence[int], test: bool) -> Fragment:
    return (F("SELECT id FROM instance WHERE ") + in_list("version_id", list(version_ids))
            + F(f" AND is_test = ? AND {RUNNING}", test))


def cancel_instances_and_cards(version_ids: Sequence[int], *, now: int, reason: str,
                               with_cards: bool = False, test: bool = False
                               ) -> tuple[int, int]:
    """Cancel the running instances of the versions and, ``with_cards``, every open card
    the versions sent (those of instances that already ended too: "with their cards"
    means the same everywhere).

    Their pending branches stop. ``test`` False touches live data only, True test data
    only. Returns (instances cancelled, cards cancelled).
    """
    if not version_ids:
        return 0, 0
    versions = in_list("version_id", list(version_ids))
    running = _running_of(version_ids, test)
    expected = _tallied(versions, "instance", ("running",), test)
    if with_cards:
        expected += _tallied(versions, "card", OPEN_CARD_STATES, test)
    cards = 0
    with bulk(expected):
        if with_cards:
            # every open card the versions sent, also of instances that already ended:
            # no wait can react (their instances end now or have ended)
            open_cards = versions + F(f" AND is_test = ? AND {OPEN_CARD}", test)
            bulk_tallies.status_changing("card", open_cards, "cancelled")
            cards = run_count(F("UPDATE card SET status = ?, closed_at = ? WHERE ",
                                "cancelled", now) + open_cards)
        run_count(F("DELETE FROM pending_branch WHERE instance_id IN (") + running + ")")
        still_running = versions + F(f" AND is_test = ? AND {RUNNING}", test)
        bulk_tallies.status_changing("instance", still_running, "cancelled")
        instances = run_count(
            F("UPDATE instance SET status = ?, ended_at = ?, cancel_reason = ? WHERE ",
              "cancelled", now, reason) + still_running)
    return instances, cards


def _tallied(versions: Fragment, kind: str, statuses: Sequence[str], test: bool) -> int:
    """How many rows the tallies count for ``versions`` (a ``version_id IN`` condition)."""
    return expected_rows(F("SELECT SUM(n) FROM runtime_tally WHERE ") + versions
                         + F(f" AND kind = ? AND status IN ({sql.placeholders(len(statuses))})"
                             " AND is_test = ?", kind, *statuses, test))


def cancel_for_customers(flow_id: int, customer_ids: Sequence[int], *, now: int, reason: str,
                         test: bool = True) -> int:
    """Cancel these customers' running instances of the flow and all their open cards of it.

    Test sends use it to replace a test account's earlier run of the flow. Returns the
    number of instances cancelled.
    """
    cancelled = 0
    for chunk in sql.chunks(list(customer_ids)):
        customers = in_list("customer_id", chunk)
        open_cards = F("flow_id = ? AND is_test = ? AND status IN (?, ?) AND ", flow_id, test,
                       *OPEN_CARD_STATES) + customers
        bulk_tallies.status_changing("card", open_cards, "cancelled")
        run_count(F("UPDATE card SET status = ?, closed_at = ? WHERE ", "cancelled", now)
                  + open_cards)
        running = (F("SELECT id FROM instance WHERE flow_id = ? AND status = ? AND is_test = ? "
                     "AND ", flow_id, "running", test) + customers)
        run_count(F("DELETE FROM pending_branch WHERE instance_id IN (") + running + ")")
        theirs = F("id IN (") + running + ")"
        bulk_tallies.status_changing("instance", theirs, "cancelled")
        cancelled += run_count(F("UPDATE instance SET status = ?, ended_at = ?, "
                                 "cancel_reason = ? WHERE ", "cancelled", now, reason) + theirs)
    return cancelled


def cancel_instances(version_ids: Sequence[int], *, now: int, reason: str,
                     with_cards: bool = False) -> int:
    """Cancel the live running instances of the versions; returns how many."""
    return cancel_instances_and_cards(version_ids, now=now, reason=reason,
                                      with_cards=with_cards)[0]


def cancel_cards(version_ids: Sequence[int], *, now: int, test: bool = False) -> int:
    """Cancel the open (active or snoozed) live cards the versions sent; returns how many.

    Their instances go on: a wait for ``cancelled`` (or any) action on them continues.
    """
    if not version_ids:
        return 0
    versions = in_list("version_id", list(version_ids))
    open_cards = versions + F(f" AND is_test = ? AND {OPEN_CARD}", test)
    with bulk(_tallied(versions, "card", OPEN_CARD_STATES, test)):
        bulk_tallies.status_changing("card", open_cards, "cancelled")
        cancelled = run_count(F("UPDATE card SET status = ?, closed_at = ? WHERE ",
                                "cancelled", now) + open_cards)
        if cancelled:
            cards_closed("cancelled", awaited_cards(
                in_list("c.version_id", list(version_ids))
                + F(" AND c.is_test = ? AND c.status = ? AND c.closed_at = ?", test,
                    "cancelled", now)), now)
    return cancelled


# --- card actions ----------------------------------------------------------------------

CARD_ACTIONS = {"submit": "completed", "dismiss": "dismissed", "snooze": "snoozed"}


def act_on_card(card_id: int, action: str, *, now: int) -> models.Card:
    """A customer's action: submit (→ completed), dismiss, snooze (stays open).

    A closed card is final: acting on it is refused. Closing wakes the waits on it.
    """
    status = CARD_ACTIONS.get(action)
    if status is None:
        raise NotFound(f"'{action}' is not a card action; use submit, dismiss or snooze.")
    card = models.Card.get_or_none(models.Card.id == card_id)
    if card is None:
        raise NotFound(f"There is no card {card_id}.")
    if card.status not in OPEN_CARD_STATES:
        raise Conflict(f"Card {card_id} is already {card.status}: a closed card cannot "
                       "change.")
    closed = status not in OPEN_CARD_STATES
    bulk_tallies.status_changing("card", F("id = ?", card_id), status)
    models.Card.update(status=status, closed_at=now if closed else None).where(
        models.Card.id == card_id).execute()
    if closed:
        cards_closed(status, F("SELECT id FROM card WHERE id = ?", card_id), now)
    return models.Card.get_by_id(card_id)


# --- live figures ----------------------------------------------------------------------

def _tally(flow_id: int, kind: str, statuses: Sequence[str]) -> dict[int, int]:
    tally = tally_models.RuntimeTally
    versions = models.FlowVersion.select(models.FlowVersion.id).where(
        models.FlowVersion.flow == flow_id)
    found = (tally.select(tally.version_id, fn.SUM(tally.n))
             .where(tally.version_id.in_(versions) & (tally.kind == kind)
                    & tally.status.in_(list(statuses)) & (tally.is_test == False))  # noqa: E712
             .group_by(tally.version_id))
    return {version: int(count)
            for version, count in tuples(found, tuple[int, int | Decimal]) if count}


def running_counts(flow_id: int) -> dict[int, int]:
    """Live running instances per version id of the flow (versions with none left out)."""
    return _tally(flow_id, "instance", ("running",))


def open_card_counts(flow_id: int) -> dict[int, int]:
    """Live open (active or snoozed) cards per version id of the flow."""
    return _tally(flow_id, "card", OPEN_CARD_STATES)
