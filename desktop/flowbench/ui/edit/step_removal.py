"""Removing a step. One with steps after it asks first: remove its whole branch, or
only the step (the steps after it then follow the step before it)? Cancel is the
default. Either way nothing dangles silently: a step left pointing at a removed card
shows a validation error naming that card's title (``FlowEditor.removed_cards``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from flowbench.domain.step_names import step_words
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.edit.definition_edits import descendants
from flowbench.ui.edit.flow_editor import FlowEditor

BRANCH, ONLY_STEP = 0, 1
CHOICES = ["Remove &Branch", "Only This &Step"]


def removal_question(editor: FlowEditor, step_id: str) -> str | None:
    """What to ask before removing the step (None: nothing to ask)."""
    definition = editor.definition
    step = definition.step(step_id)
    below = descendants(definition, step_id)
    if step is None or not below:
        return None
    gone = below | {step_id}
    pointing = [s for s in definition.steps if s.card in gone and s.id not in gone]
    what = step_words(step, definition)
    many = len(below) != 1
    text = (f"{what[:1].upper()}{what[1:]} has {len(below)} step{'s' if many else ''} "
            f"after it. Remove the whole branch, or only this step (the "
            f"step{'s' if many else ''} after it then follow{'' if many else 's'} the "
            "step before it)?")
    if pointing:
        others = len(pointing) != 1
        text += (f"\n\n{len(pointing)} other step{'s' if others else ''} "
                 f"refer{'' if others else 's'} to a card in the branch: removing the "
                 f"branch leaves {'them' if others else 'it'} to be pointed at another card "
                 "(the Problems list will say which).")
    return text


def remove_step(editor: FlowEditor, prompts: Prompts, parent: QWidget, step_id: str) -> bool:
    """Remove the step, asking first when steps follow it; False if cancelled."""
    if editor.definition.step(step_id) is None:
        return False
    question = removal_question(editor, step_id)
    with_branch = False
    if question is not None:
        choice = prompts.choose(parent, "Remove step?", question, CHOICES)
        if choice is None:
            return False
        with_branch = choice == BRANCH
    editor.remove_step(step_id, with_branch=with_branch)
    return True
