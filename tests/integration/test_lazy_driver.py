"""The app starts without the PostgreSQL driver (psycopg costs 0.3–0.6 s to import);
a team workspace loads it and peewee uses it as if it had been there all along."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHECK = """
import sys
import flowbench.ui.main_window, flowbench.store.connection, flowbench.cli
print("loaded" if "psycopg" in sys.modules else "not loaded")
from flowbench.store.team import TeamDatabase
db = TeamDatabase("postgresql://someone@127.0.0.1:9/nothing", password=None,
                  password_source="")
adapter = db._adapter
print(type(adapter).__name__, adapter.txn_idle is not None, adapter.json_type.__module__)
"""


def test_the_driver_loads_only_for_a_team_workspace() -> None:
    pytest.importorskip("psycopg")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        "not loaded", "Psycopg3Adapter True psycopg.types.json"]
