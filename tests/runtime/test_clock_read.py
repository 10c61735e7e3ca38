"""Looking at the runtime clock writes nothing, even before the runtime was first used."""

from __future__ import annotations

import time

from flowbench.services.runtime import clock as runtime_clock
from flowbench.store import models


def test_showing_an_unstarted_clock_writes_nothing(cast) -> None:
    models.RuntimeClock.delete().execute()  # a workspace whose runtime was never used
    before = time.time()
    shown = runtime_clock.show_clock().now
    assert before - 1 <= shown <= time.time() + 1  # the real time, for now
    assert models.RuntimeClock.select().count() == 0
    runtime_clock.advance_clock(cast.editor, "PT1H")  # the first use starts it
    assert models.RuntimeClock.select().count() == 1
    assert runtime_clock.show_clock().now >= shown + 3600
