"""A separate process that publishes, for the kill and race tests.

usage: python publish_worker.py WORKSPACE EMAIL PASSWORD FLOW MODE [ARG]
  MODE hang-at-stage STAGE  publish with all choices; at the first progress report whose
                            stage starts with STAGE print HANGING and sleep (to be killed)
  MODE race GO_FILE         prepare, print READY, wait for GO_FILE, then publish
  MODE hold-at-stage STAGE GO_FILE
                            like hang-at-stage, but print HOLDING and wait (holding the
                            write lock) until GO_FILE exists, then finish the publish
  MODE pause-at-stage STAGE GO_FILE
                            publish with all choices; at the first progress report of STAGE
                            after some work (done > 0) print PAUSED and wait for GO_FILE
With FLOWBENCH_WORKER_MIGRATE=1 in the environment the publish also moves the running
instances of earlier versions onto the new version (the fourth choice).
Prints "PUBLISHED" or "REFUSED: message"; exit 0 or 1.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.publish_plan import PublishChoices
from flowbench.services import publishing, workspace
from flowbench.services.publish_plan import prepare_publish
from flowbench.store.connection import open_workspace


def main(argv: list[str]) -> int:
    path, email, password, flow, mode, arg, go_file = (argv + ["", ""])[:7]
    open_workspace(path)
    actor = workspace.sign_in(email, password)
    plan = prepare_publish(actor, flow)
    choices = PublishChoices(True, True, plan.is_segment_triggered,
                             migrate_running_instances=os.environ.get(
                                 "FLOWBENCH_WORKER_MIGRATE") == "1")
    held: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if mode == "hang-at-stage" and stage.startswith(arg):
            print("HANGING", flush=True)
            time.sleep(120)
        if mode == "hold-at-stage" and stage.startswith(arg) and not held:
            held.append(stage)
            print("HOLDING", flush=True)
            while not Path(go_file).exists():
                time.sleep(0.01)
        if mode == "pause-at-stage" and stage.startswith(arg) and done > 0 \
                and not Path(go_file).exists():
            print("PAUSED", flush=True)
            while not Path(go_file).exists():
                time.sleep(0.01)

    if mode == "race":
        print("READY", flush=True)
        go = Path(arg)
        while not go.exists():
            time.sleep(0.005)
    try:
        publishing.publish(actor, plan, choices, progress=progress)
    except FlowbenchError as exc:
        print(f"REFUSED: {exc}", flush=True)
        return 1
    print("PUBLISHED", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
