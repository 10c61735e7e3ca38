"""The Edit tab's screenshot for the README, and how fast it is with a 500-step flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from edit_fakes import FakeSession
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from screenshots import save_screenshot

from flowbench.domain.definition import (
    Button,
    FlowDefinition,
    Step,
    StepKind,
    Trigger,
    default_step,
)
from flowbench.services.context import Actor
from flowbench.services.flows import create_flow
from flowbench.services.workspace import create_workspace
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.edit.edit_tab import EditTab

pytestmark = pytest.mark.ui


class NoPrompts:
    def confirm(self, parent: object, title: str, text: str) -> bool:
        return False

    def inform(self, parent: object, title: str, text: str) -> None:
        pass


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Actor]:
    open_workspace(tmp_path / "ws.flowbench")
    yield create_workspace("Test", "owner@example.com", "Olivia Owner", "correct horse 1")
    close_workspace()


def new_tab(qtbot: QtBot, actor: Actor) -> EditTab:
    tab = EditTab(FakeSession(actor), prompts=NoPrompts())
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


ONBOARDING = FlowDefinition(
    description="Welcome new trial users and help them finish setting up.",
    trigger=Trigger("api_event", event="trial.started"),
    steps=(
        Step("card_1", "send_card", title="Welcome to your trial!",
             body="Three short steps get your workspace ready.",
             buttons=(Button("Show me", "submit"), Button("Later", "dismiss")),
             expires_after="P3D", priority=6),
        Step("await_1", "wait_card_action", "card_1", card="card_1", action="submitted",
             timeout="P2D"),
        Step("push_1", "send_push", "await_1", title="You're all set", body="Enjoy!",
             card="card_1"),
        Step("push_3", "send_push", "await_1", title="Still there?",
             body="Your workspace is waiting.", path="otherwise"),
        Step("wait_1", "wait_duration", "card_1", duration="P2D"),
        Step("push_2", "send_push", "wait_1", title="",
             body="Need a hand getting started? We're here."),
    ))


def test_screenshot_of_a_branched_flow_with_a_problem(qtbot: QtBot, owner: Actor) -> None:
    flow = create_flow(owner, "Trial onboarding", ONBOARDING)
    tab = new_tab(qtbot, owner)
    tab.show_flow(flow.id)
    tab.select_problem("push_2", "title")
    assert [p.message for p in tab.marks.tracker.problems()] == ["The push title is empty."]
    qtbot.wait(50)
    target = save_screenshot(tab, "edit_tab")
    assert 0 < target.stat().st_size < 250_000


def big_flow(size: int, spread: int) -> FlowDefinition:
    """Every kind of step; each follows one of the ``spread`` steps before it, so a
    spread of 1 is one long line and 12 gives a bushy tree (about 50 levels deep)."""
    steps: list[Step] = []
    definition = FlowDefinition(trigger=Trigger("api_event", event="big.flow"))
    kinds = [StepKind.SEND_CARD, StepKind.WAIT_DURATION, StepKind.SEND_PUSH,
             StepKind.WAIT_CARD_ACTION]
    last_card: str | None = None
    for number in range(size):
        kind = kinds[number % 4].value
        parent = steps[-1 - (number * 7 % spread)].id if len(steps) >= spread else \
            (steps[-1].id if steps else None)
        step = default_step(kind, definition.new_step_id(kind), parent)
        if kind in (StepKind.SEND_CARD, StepKind.SEND_PUSH):
            step = step.with_changes(title=f"Message {number}", body="Body text")
        if kind == StepKind.WAIT_CARD_ACTION:
            step = step.with_changes(card=last_card)
        if kind == StepKind.SEND_CARD:
            last_card = step.id
        steps.append(step)
        definition = definition.with_steps(steps)
    return definition


def test_a_500_step_flow_opens_and_revalidates_per_keystroke(
        qtbot: QtBot, owner: Actor) -> None:
    # How fast it opens and re-validates is measured by the benchmark (tests/benchmarks).
    flow = create_flow(owner, "Big", big_flow(500, spread=12))
    tab = new_tab(qtbot, owner)
    tab.show_flow(flow.id)
    assert len(tab.diagram.nodes) == len(tab.editor.definition.steps) == 500

    tab.steps.select_step("card_60")
    title = tab.step_form.pages["send_card"].title
    before = title.text()
    qtbot.keyClicks(title, "Hello")
    tab.marks.validate_now()
    assert tab.editor.definition.step("card_60").title == before + "Hello"
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)  # an empty title is a problem, marked at once
    tab.marks.validate_now()
    assert any(p.step == "card_60" and p.field == "title"
               for p in tab.marks.tracker.problems())
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    tab.marks.validate_now()  # one undo takes back the title's edits (they merge)
    assert tab.editor.definition.step("card_60").title == before
    assert not any(p.step == "card_60" for p in tab.marks.tracker.problems())


def test_a_500_step_line_opens_with_every_step_and_no_false_problems(
        qtbot: QtBot, owner: Actor) -> None:
    # How fast it opens is measured by the benchmark (tests/benchmarks), not here.
    flow = create_flow(owner, "Long line", big_flow(500, spread=1))
    tab = new_tab(qtbot, owner)
    tab.show_flow(flow.id)
    assert len(tab.editor.definition.steps) == 500
    assert len(tab.diagram.nodes) == 500
    assert tab.marks.tracker.problems() == []
