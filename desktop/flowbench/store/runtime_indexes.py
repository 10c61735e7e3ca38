"""The runtime tables' indexes as migration step 6 leaves them, and the row conditions the
partial ones cover.

A publish, a cancel and the clock write hundreds of thousands of runtime rows at a time,
and every row pays an entry in every index of its table. Step 6 drops the single-column
indexes that repeat a composite index's first column, and makes the indexes that only
open cards, running instances or card waits are looked up by *partial*: a card that
closes or an instance that ends leaves them without a new entry (on PostgreSQL every
changed row is a new row version, with an entry in each index whose condition it meets).

A query uses a partial index only when its WHERE clause contains the index's condition
word for word, literals included (a ``?`` parameter proves nothing to the planner): the
engine writes ``OPEN_CARD`` and ``RUNNING`` into its SQL as they are here.
"""

from __future__ import annotations

OPEN_CARD_STATUSES = "('active', 'snoozed')"
OPEN_CARD = f"status IN {OPEN_CARD_STATUSES}"
RUNNING = "status = 'running'"
CARD_WAIT = "card_id IS NOT NULL"

# Single-column indexes that repeat the first column of a composite index (the foreign-key
# indexes peewee makes).
REDUNDANT_INDEXES = ("instance_flow_id", "instance_version_id", "card_version_id",
                     "card_customer_id")

# (the full index replaced, the partial index that replaces it)
PARTIAL_INDEXES = (
    ("card_version_id_is_test_status",
     f"CREATE INDEX card_open_version ON card (version_id, is_test) WHERE {OPEN_CARD}"),
    ("card_status_expires_at",
     f"CREATE INDEX card_open_expiry ON card (expires_at) WHERE {OPEN_CARD} "
     "AND expires_at IS NOT NULL"),  # implied by any ``expires_at <= ?``
    ("instance_version_id_is_test_status",
     f"CREATE INDEX instance_running_version ON instance (version_id, is_test) "
     f"WHERE {RUNNING}"),
    ("pending_branch_card_id",
     f"CREATE INDEX pending_branch_card_wait ON pending_branch (card_id) WHERE {CARD_WAIT}"),
)

