"""A separate Flowbench process that reads or writes a workspace many times, each time as
a command would: open, (sign in,) one service call, close.

usage: python workspace_worker.py WORKSPACE MODE COUNT [EMAIL PASSWORD]
  MODE reads   list the flows and open Onboarding COUNT times (nothing is written)
  MODE writes  create COUNT flows named "Side flow <pid>-<n>", each in its own command
Prints "READY" once imported, then one JSON line: {"ok": n, "busy": n, "other": [messages]}.
Exit 0. Every outcome is counted, none is hidden: "other" lists any refusal that is
neither a success nor the busy message.
"""

from __future__ import annotations

import json
import os
import sys

from flowbench.domain.errors import FlowbenchError, WorkspaceBusy
from flowbench.services import drafts, flows, workspace
from flowbench.store.connection import close_workspace, open_workspace


def _read(path: str) -> None:
    found = flows.list_flows()
    assert any(summary.name == "Onboarding" for summary in found)
    drafts.open_flow("Onboarding")


def _write(path: str, email: str, password: str, number: int) -> None:
    actor = workspace.sign_in(email, password)
    flows.create_flow(actor, f"Side flow {os.getpid()}-{number}")


def main(argv: list[str]) -> int:
    path, mode, count, email, password = (argv + ["", ""])[:5]
    print("READY", flush=True)
    ok = busy = 0
    other: list[str] = []
    for number in range(int(count)):
        try:
            open_workspace(path)
            if mode == "reads":
                _read(path)
            else:
                _write(path, email, password, number)
            ok += 1
        except WorkspaceBusy:
            busy += 1
        except FlowbenchError as exc:
            other.append(str(exc))
        except Exception as exc:  # counted, never hidden: the test fails on any
            other.append(f"{type(exc).__name__}: {exc}")
        finally:
            close_workspace()
    print(json.dumps({"ok": ok, "busy": busy, "other": other}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
