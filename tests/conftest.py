"""Session-wide test set-up. Runs before any test module is imported.

* Qt renders offscreen (no display needed) unless FLOWBENCH_TEST_DISPLAY is set,
  e.g. to watch UI tests on a real screen or under Xvfb.
* platformdirs-based locations (data, config, state, cache) point into a fresh
  temporary folder, so no test ever reads or writes the real user folders.
* Hypothesis uses the "ci" profile: no per-example deadline on a busy 2-core box.
  ``--hypothesis-profile=long`` runs the fuzzers 20 times longer (2,000 examples where
  the suite runs 100; see docs/reliability.md, "Hostile input").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# --- before anything can import Qt ---------------------------------------------------
if not os.environ.get("FLOWBENCH_TEST_DISPLAY"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="flowbench-tests-"))
for _variable, _folder in (
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_RUNTIME_DIR", "runtime"),
):
    _path = _SESSION_HOME / _folder
    _path.mkdir(mode=0o700)
    os.environ[_variable] = str(_path)

# PySide6 6.12 on Python 3.11 miscounts references to None/True/False; the app guards
# against it before creating its QApplication, and so must the tests (see binding_guard).
from flowbench.ui.binding_guard import keep_singletons_alive  # noqa: E402

keep_singletons_alive()

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2_000)
settings.load_profile("ci")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def test_home() -> Path:
    """The temporary folder that stands in for the user's data/config/state/cache homes."""
    return _SESSION_HOME
