"""Session-wide test set-up. Runs before any test module is imported.

* Qt renders offscreen (no display needed) unless FLOWBENCH_TEST_DISPLAY is set,
  e.g. to watch UI tests on a real screen or under Xvfb.
* platformdirs-based locations (data, config, state, cache) and ``$TMPDIR`` point into a
  fresh temporary folder, so no test ever reads or writes the real user folders or
  leaves anything in the system's temporary folder.
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
    # Qt's temporary folder too (single-instance locks and sockets, which a test that
    # kills a Flowbench leaves behind): removed with the rest at the end
    ("TMPDIR", "temp"),
):
    _path = _SESSION_HOME / _folder
    _path.mkdir(mode=0o700)
    os.environ[_variable] = str(_path)

# PySide6 6.12 on Python 3.11 miscounts references to None/True/False; the app guards
# against it before creating its QApplication, and so must the tests (see binding_guard).
from flowbench.ui.binding_guard import keep_singletons_alive  # noqa: E402

keep_singletons_alive()

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from workspaces import (  # noqa: E402
    BACKENDS,
    Location,
    backend_fixture,
    skip_sqlite_only,
    workspace_copy,
)

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2_000)
settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about SQLite workspace files")


def pytest_runtest_setup(item: pytest.Item) -> None:
    skip_sqlite_only(item)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def test_home() -> Path:
    """The temporary folder that stands in for the user's data/config/state/cache homes."""
    return _SESSION_HOME


# --- workspaces on both databases (tests/support/workspaces.py) -------------------------
# A test that uses a workspace runs on SQLite, and on PostgreSQL too when
# $FLOWBENCH_TEST_POSTGRES is set. Each folder's conftest builds its session ``template``
# (a location and what it holds: a cast of members, or None); every test gets a copy.
backend = pytest.fixture(scope="session", params=BACKENDS)(backend_fixture)


@pytest.fixture
def ws_path(template: tuple[Location, object], tmp_path: Path) -> Iterator[Location]:
    """A private copy of the folder's template workspace, not yet open."""
    with workspace_copy(template[0], tmp_path) as location:
        yield location


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash each distinct password once per test: salted argon2id hashes stay valid."""
    from flowbench.services import passwords

    real = passwords.hash_password
    cache: dict[str, str] = {}

    def cached(password: str) -> str:
        if password not in cache:
            cache[password] = real(password)
        return cache[password]

    monkeypatch.setattr(passwords, "hash_password", cached)
