"""The tallies kept by triggers always equal counting the rows, whatever changes them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tally_checks import KEPT, RAW

from flowbench.store import models, tallies

STATUSES = ["running", "completed", "cancelled"]
CARD_STATUSES = ["active", "snoozed", "dismissed", "completed", "expired", "cancelled"]

operation = st.one_of(
    st.tuples(st.just("start"), st.integers(1, 6), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("finish"), st.integers(1, 6), st.sampled_from(STATUSES), st.booleans()),
    st.tuples(st.just("card"), st.integers(1, 6), st.sampled_from(CARD_STATUSES), st.booleans()),
    st.tuples(st.just("enter"), st.integers(1, 6), st.integers(1, 2), st.booleans()),
    st.tuples(st.just("leave"), st.integers(1, 6), st.integers(1, 2), st.booleans()),
    st.tuples(st.just("flag"), st.integers(1, 6), st.integers(1, 2), st.booleans()),
    st.tuples(st.just("purge"), st.integers(1, 6), st.integers(0, 2), st.booleans()),
)


class _Portable:
    """The open database, taking ``?`` placeholders whatever the backend (``%s`` and a
    literal ``%%`` on PostgreSQL)."""

    def __init__(self, db) -> None:
        self.db = db

    def execute_sql(self, sql: str, params=()):
        if self.db.param != "?":
            sql = sql.replace("%", "%%").replace("?", self.db.param)
        return self.db.execute_sql(sql, params)


def _apply(db, op) -> None:
    db = _Portable(db)
    kind, customer, arg, flag = op
    if kind == "start":
        db.execute_sql("INSERT INTO instance (flow_id, version_id, customer_id, status, "
                       "is_test, started_at) VALUES (?, ?, ?, 'running', ?, 0)",
                       (1 + arg % 2, (1, 2, 3)[arg], customer, flag))
    elif kind == "finish":
        db.execute_sql("UPDATE instance SET status = ? WHERE customer_id = ?", (arg, customer))
    elif kind == "card":
        db.execute_sql("INSERT INTO card (instance_id, flow_id, version_id, step_id, "
                       "customer_id, status, is_test, title, body, buttons, priority, created_at) "
                       "SELECT id, flow_id, version_id, 's', customer_id, 'active', is_test, "
                       "'t', 'b', '[]', 5, 0 FROM instance "
                       "WHERE customer_id = ?", (customer,))
        db.execute_sql("UPDATE card SET status = ? WHERE customer_id = ? AND id % 2 = ?",
                       (arg, customer, int(flag)))
    elif kind == "enter":
        db.execute_sql("INSERT INTO segment_member (segment_id, customer_id, is_test,"
                       " entered_at) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
                       (arg, customer, flag))
    elif kind == "leave":
        db.execute_sql("DELETE FROM segment_member WHERE segment_id = ? AND customer_id = ?",
                       (arg, customer))
    elif kind == "flag":
        db.execute_sql("UPDATE segment_member SET is_test = ? WHERE segment_id = ? "
                       "AND customer_id = ?", (flag, arg, customer))
    elif kind == "purge":
        db.execute_sql("DELETE FROM card WHERE customer_id = ?", (customer,))
        db.execute_sql("DELETE FROM pending_branch WHERE instance_id IN "
                       "(SELECT id FROM instance WHERE customer_id = ?)", (customer,))
        db.execute_sql("DELETE FROM instance WHERE customer_id = ? AND version_id = ?",
                       (customer, (1, 2, 3)[arg]))


def _runtime_world(cast) -> None:
    from bulk_data import add_customers, add_segment
    from publishing_world import publish_first_version, start_next

    flow_a = publish_first_version(cast.owner, "A")
    start_next(cast.owner, flow_a, "a2")
    publish_first_version(cast.owner, "B")
    add_customers(6)
    if models.Segment.select().count() < 2:
        add_segment("Second")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=25))
def test_tallies_match_the_rows(cast, ops) -> None:
    db = models.database.obj
    if not models.Customer.select().exists():
        _runtime_world(cast)
    with db.atomic() as transaction:
        for op in ops:
            _apply(db, op)
            for name in RAW:
                assert db.execute_sql(KEPT[name]).fetchall() == \
                    db.execute_sql(RAW[name]).fetchall(), (name, op)
        transaction.rollback()


def test_recount_repairs_damaged_tallies(cast) -> None:
    _runtime_world(cast)
    db = models.database.obj
    _apply(db, ("start", 1, 0, False))
    db.execute_sql("UPDATE runtime_tally SET n = 99")
    tallies.recount(db)
    assert db.execute_sql(KEPT["runtime"]).fetchall() == db.execute_sql(RAW["runtime"]).fetchall()
