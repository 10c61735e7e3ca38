"""Every live tally against counting the rows it stands for (``COUNT(*)``), on either
backend: the check the tally tests and the bulk-path tests share."""

from __future__ import annotations

from typing import Any

from flowbench.store import models

RAW = {
    "runtime": """SELECT version_id, kind, status, is_test, n FROM (
        SELECT version_id, 'instance' AS kind, status, is_test, COUNT(*) AS n FROM instance
        GROUP BY version_id, status, is_test
        UNION ALL
        SELECT version_id, 'card', status, is_test, COUNT(*) FROM card
        GROUP BY version_id, status, is_test) AS counted ORDER BY 1, 2, 3, 4""",
    "segment": "SELECT segment_id, is_test, COUNT(*) FROM segment_member "
               "GROUP BY segment_id, is_test ORDER BY 1, 2",
    "segment_flow": """SELECT sm.segment_id, i.flow_id, COUNT(*) FROM segment_member sm
        JOIN instance i ON i.customer_id = sm.customer_id
        WHERE NOT sm.is_test AND NOT i.is_test AND i.status = 'running'
        GROUP BY sm.segment_id, i.flow_id ORDER BY 1, 2""",
}
KEPT = {
    "runtime": "SELECT version_id, kind, status, is_test, n FROM runtime_tally "
               "WHERE n <> 0 ORDER BY 1, 2, 3, 4",
    "segment": "SELECT segment_id, is_test, n FROM segment_tally WHERE n <> 0 ORDER BY 1, 2",
    "segment_flow": "SELECT segment_id, flow_id, n FROM segment_flow_tally WHERE n <> 0 "
                    "ORDER BY 1, 2",
}


def tallies_and_counts() -> dict[str, tuple[list[Any], list[Any]]]:
    """For each tally: (what it keeps, what counting the rows gives), in the same order."""
    db = models.database.obj
    return {name: ([tuple(row) for row in db.execute_sql(KEPT[name]).fetchall()],
                   [tuple(row) for row in db.execute_sql(RAW[name]).fetchall()])
            for name in RAW}


def assert_tallies_exact(after: str) -> None:
    for name, (kept, counted) in tallies_and_counts().items():
        assert kept == counted, f"{name} tally after {after}: kept {kept}, counted {counted}"
