"""The sample workspace shows the flow language: the welcome flow's wait for the tour has
an otherwise path, the win-back offer a decision split; both are sound and run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowbench.services import drafts
from flowbench.services.runtime import clock as runtime_clock
from flowbench.services.sample import open_sample_workspace
from flowbench.services.workspace import sign_in
from flowbench.store import models
from flowbench.store.connection import close_workspace


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[None]:
    open_sample_workspace(tmp_path / "sample.flowbench")
    try:
        yield
    finally:
        close_workspace()


def test_the_sample_has_an_otherwise_path_and_a_split_that_run(sample: None) -> None:
    welcome = drafts.open_flow("Welcome series").definition
    assert {s.id: s.path for s in welcome.steps if s.path} == {"tour_nudge": "otherwise"}
    winback = drafts.open_flow("Win-back offer").definition
    split = winback.step("regular")
    assert split is not None and split.kind == "split"
    assert {s.id: s.path for s in winback.children("regular")} == {
        "thanks_regular": "yes", "thanks": "no"}
    for name in ("Welcome series", "Win-back offer"):
        content = drafts.open_flow(name)
        assert drafts.problems_of(name, content.definition) == [], name
    # and it runs: the trial customers who skip the tour are nudged when it times out
    editor = sign_in("eddie@northwind.example", "sample-editor")
    before = models.PushNotification.select().where(
        models.PushNotification.step_id == "tour_nudge").count()
    runtime_clock.advance_clock(editor, "P3D")
    nudged = models.PushNotification.select().where(
        models.PushNotification.step_id == "tour_nudge", ~models.PushNotification.is_test
    ).count()
    assert nudged > before
    assert not models.PushNotification.select().where(
        models.PushNotification.step_id == "first_brew").exists()  # nobody took the tour
