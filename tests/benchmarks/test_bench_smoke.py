"""The benchmark's own code keeps working: a 1/10,000 workspace holds what it claims,
and the summary and publish measurements agree with their hand-written SQL.

No timing is asserted here; the figures come from ``python -m tests.benchmarks``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tally_checks import assert_tallies_exact  # noqa: E402
from tests.benchmarks import data_figures  # noqa: E402
from tests.benchmarks import workspace as bench_ws  # noqa: E402
from tests.benchmarks.big_flow import big_flow  # noqa: E402
from tests.benchmarks.raw_publish import (  # noqa: E402
    connect_postgres,
    connect_sqlite,
    publish_raw,
)
from workspaces import POSTGRES_URL, create_database, drop_database  # noqa: E402

from flowbench.domain.validation import validate  # noqa: E402
from flowbench.store import models  # noqa: E402
from flowbench.store.connection import close_workspace, open_workspace  # noqa: E402

SCALE = 10_000


def test_a_tiny_workspace_holds_what_it_claims_and_is_cached(tmp_path: Path) -> None:
    built = bench_ws.build(tmp_path, SCALE)
    sizes = bench_ws.Sizes.at_scale(SCALE)
    assert not built.cached
    assert built.facts["counts"] == {
        "flows": sizes.flows, "customers": sizes.customers,
        "segment_members": sizes.customers, "running_instances": sizes.instances,
        "open_cards": sizes.cards, "published_versions": 10, "drafts": 1,
        "versions_with_instances": 10, "line_steps": 500}
    assert bench_ws.build(tmp_path, SCALE).cached

    summary = data_figures.figure_summary(built, tmp_path / "runs", 1)
    assert summary[0].note == "same figures"
    publish = data_figures.figure_publish(built, tmp_path / "runs", 1)[0]
    instances = f"{sizes.instances:,}"
    assert publish.note == (
        f"service: Published Version 11 of '{bench_ws.SEGMENT_FLOW}'. Cancelled {instances} "
        f"running instances. Cancelled {instances} active cards. Started the flow for "
        f"{sizes.customers:,} customers. — raw: cancelled {instances} instances and "
        f"{instances} cards, started {sizes.customers:,}")
    engine = data_figures.figure_engine(built, tmp_path / "runs", 1, 20)[0]
    assert engine.note == ("Recorded 20 events. Started 'API welcome' for 20 customers. "
                           "The engine alone started 20.")


def test_the_set_based_floor_reaches_the_same_end_state_with_exact_tallies(
        tmp_path: Path) -> None:
    built = bench_ws.build(tmp_path, SCALE)
    flow = int(built.facts["flow_ids"]["segment"])
    sizes = bench_ws.Sizes.at_scale(SCALE)
    copy = bench_ws.fresh_copy(built, tmp_path / "runs", "floor")
    _, did = publish_raw(connect_sqlite(copy), flow, floor=True)
    assert did == (f"cancelled {sizes.instances:,} instances and {sizes.instances:,} cards, "
                   f"started {sizes.customers:,}")
    open_workspace(copy)
    try:
        assert_tallies_exact("the set-based floor")
        triggers = models.database.obj.execute_sql(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        assert triggers == 10  # dropped for the transaction only (9 + step 5 move)
    finally:
        close_workspace()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")
def test_the_same_floor_on_postgresql_reaches_the_same_end_state_and_keeps_its_triggers(
        ) -> None:
    url = create_database()
    try:
        sizes = bench_ws.Sizes.at_scale(SCALE)
        facts = bench_ws.generate(url, sizes)  # type: ignore[arg-type]
        flow = int(facts["flow_ids"]["segment"])  # type: ignore[index]
        raw = connect_postgres(url)
        triggers = raw.tally_triggers()
        _, did = publish_raw(raw, flow, floor=True)
        assert did == (f"cancelled {sizes.instances:,} instances and {sizes.instances:,} "
                       f"cards, started {sizes.customers:,}")
        again = connect_postgres(url)
        assert sorted(again.tally_triggers()) == sorted(triggers) and len(triggers) == 6
        again.conn.close()
        open_workspace(url)
        try:
            assert_tallies_exact("the set-based floor on PostgreSQL")
        finally:
            close_workspace()
    finally:
        drop_database(url)


@pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")
def test_the_postgresql_profile_lists_the_publish_statements_and_cleans_up(
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.benchmarks import pg_profile

    assert pg_profile.main(["--postgres", POSTGRES_URL, "--scale", str(SCALE)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"publish with all three choices at 1/{SCALE}: ")
    assert "UPDATE card SET" in printed and "INSERT INTO instance" in printed
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                            (f"flowbench_profile_1in{SCALE}_{os.getpid()}%",)).fetchall()
    assert left == []


def test_a_start_up_probe_leaves_no_lock_or_socket_in_the_temporary_folder(
        tmp_path: Path) -> None:
    """The probe ends its process without Python's teardown (``os._exit``): it gives up
    Flowbench's single-instance lock and socket first, as ``run_gui`` does, or every
    benchmark run would leave them in the temporary folder."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "FLOWBENCH_WORKSPACE"))}
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "TMPDIR"):
        (tmp_path / name).mkdir()
        env[name] = str(tmp_path / name)
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.gui_probe", "first-run"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "MARK welcome_shown" in done.stdout
    assert sorted(p.name for p in (tmp_path / "TMPDIR").iterdir()) == []


def test_the_big_flows_are_valid_and_deep_lines_need_no_recursion() -> None:
    assert validate("Line", big_flow(500, spread=1)) == []
    assert validate("Tree", big_flow(500, spread=12)) == []
    line = big_flow(3000, spread=1)
    assert [depth for depth, _ in line.walk()] == list(range(3000))
    assert len(line.ancestors("await_750")) == 2999
    assert line.ancestor("card_1", "await_750") is line.steps[0]
