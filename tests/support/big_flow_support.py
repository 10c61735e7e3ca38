"""The largest flows the limits allow, built with the benchmark's own ``big_flow``: its
500-step line must stay the deepest flow allowed (``domain.limits.MAX_DEPTH``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.big_flow import big_flow  # noqa: E402

from flowbench.domain.definition import FlowDefinition  # noqa: E402
from flowbench.domain.limits import MAX_DEPTH, MAX_STEPS  # noqa: E402


def line_of(size: int) -> FlowDefinition:
    """The benchmark's line: each step follows the one before (depth = size)."""
    return big_flow(size, spread=1)


def largest_flow(size: int = MAX_STEPS) -> FlowDefinition:
    """``size`` steps, half of them one line as deep as allowed (or half as deep), the
    other half a bushy tree hanging off the line's first step."""
    deep = min(MAX_DEPTH, size // 2)
    line = line_of(deep)
    bush = big_flow(size - deep + 1, spread=12, event="big.flow")
    renamed = {step.id: f"b{index}" for index, step in enumerate(bush.steps)}
    extra = []
    for step in bush.steps[1:]:
        parent = renamed.get(step.parent or "") if step.parent != bush.steps[0].id \
            else line.steps[0].id
        card = step.card
        if card is not None:
            card = line.steps[0].id if card == bush.steps[0].id else renamed.get(card, card)
        extra.append(step.with_changes(id=renamed[step.id], parent=parent, card=card))
    return line.with_steps((*line.steps, *extra))
