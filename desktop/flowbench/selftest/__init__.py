"""``flowbench --self-test``: prove that this installation works, end to end.

It is what the installer smoke tests run against a freshly built bundle, and what
support can ask a user to run. In a throw-away folder it opens a new workspace,
creates its Owner, writes and validates a flow, publishes it, then checks that the
packaged resources are found and renders the main window offscreen. It prints one
line per step and ``self-test passed``; any failure prints the step and the reason
and makes the exit code non-zero.

Nothing here touches the user's own workspace, settings or data folders: the
platform folders point into the throw-away folder while the test runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from flowbench.selftest.run import PASSED, Run, SelfTestFailure
from flowbench.selftest.seed import (
    create_flow,
    create_owner,
    open_workspace,
    publish,
    save_and_validate,
)
from flowbench.selftest.window import (
    check_resources,
    clean_up,
    close_window,
    edit_as_next_version,
    find_keyring,
    render_main_window,
    start_qt,
)

__all__ = ["PASSED", "STEPS", "SelfTestFailure", "main", "run_self_test"]

# Where the user's folders would otherwise be read or written while the test runs.
_ISOLATED_VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")

STEPS: tuple[tuple[str, Callable[[Run], str]], ...] = (
    ("open a throw-away workspace", open_workspace),
    ("create the workspace and its owner", create_owner),
    ("create a flow", create_flow),
    ("save and validate the draft", save_and_validate),
    ("publish the draft", publish),
    ("start Qt", start_qt),
    ("find the packaged resources", check_resources),
    ("find the keyring backend", find_keyring),
    ("render the main window offscreen", render_main_window),
    ("edit as Version 2 in the window", edit_as_next_version),
    ("close the window and the workspace", close_window),
)


@contextmanager
def isolated_from_user_folders(folder: Path) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _ISOLATED_VARIABLES}
    try:
        for name in _ISOLATED_VARIABLES:
            path = folder / name.lower()
            path.mkdir()
            os.environ[name] = str(path)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step; return 0 when all pass, 1 at the first failure (with the reason)."""
    from flowbench import __version__

    stream = out or sys.stdout
    started = time.perf_counter()
    print(f"flowbench {__version__} self-test (Python {sys.version.split()[0]}, "
          f"{sys.platform}{', bundled' if getattr(sys, 'frozen', False) else ''})",
          file=stream, flush=True)
    with tempfile.TemporaryDirectory(prefix="flowbench-self-test-") as folder:
        run = Run(Path(folder))
        with isolated_from_user_folders(run.folder):
            for number, (title, step) in enumerate(STEPS, start=1):
                try:
                    detail = step(run)
                except Exception as exc:  # every failure is reported, none escapes
                    clean_up(run)
                    reason = str(exc) or type(exc).__name__
                    print(f"[{number}/{len(STEPS)}] {title}: FAILED: {reason}",
                          file=stream, flush=True)
                    if not isinstance(exc, SelfTestFailure):
                        traceback.print_exc(file=sys.stderr)
                    print("self-test FAILED", file=stream, flush=True)
                    return 1
                print(f"[{number}/{len(STEPS)}] {title}: ok ({detail})", file=stream, flush=True)
    elapsed = time.perf_counter() - started
    print(f"{PASSED} in {elapsed:.1f} s", file=stream, flush=True)
    return 0


def main() -> None:
    """``python -m flowbench.selftest`` runs the self-test without the command line."""
    sys.exit(run_self_test())
