"""The self-test's steps without a window: a throw-away workspace, its Owner, a flow
written, validated and published through the services, as a member would."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowbench.domain.wording import count_of
from flowbench.selftest.run import (
    FLOW_NAME,
    OWNER_EMAIL,
    OWNER_PASSWORD,
    Run,
    SelfTestFailure,
)

if TYPE_CHECKING:
    from flowbench.domain.definition import FlowDefinition


def self_test_definition() -> FlowDefinition:
    """A small valid flow: a card, a wait for it, then a push that points at the card."""
    from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger

    return FlowDefinition(
        description="Written by flowbench --self-test.",
        trigger=Trigger("api_event", event="self_test.signed_up"),
        steps=(
            Step("welcome", "send_card", title="Welcome to Flowbench",
                 body="This card was sent by the self-test.",
                 buttons=(Button("Got it", "submit"),), expires_after="P7D"),
            Step("answer", "wait_card_action", parent="welcome", card="welcome",
                 action="any", timeout="P2D"),
            Step("nudge", "send_push", parent="answer", title="Still there?",
                 body="Your welcome card is waiting.", card="welcome"),
        ),
    )


def open_workspace(run: Run) -> str:
    from flowbench.services.opening import open_workspace

    workspace = open_workspace(run.folder / "self-test.flowbench")
    run.workspace = workspace
    if not workspace.created:
        raise SelfTestFailure(f"expected a new workspace, found an existing one at "
                              f"{workspace.location}")
    return f"schema {workspace.schema_version}"


def create_owner(run: Run) -> str:
    from flowbench.services.workspace import create_workspace

    run.actor = create_workspace("Self-test", OWNER_EMAIL, "Self Test", OWNER_PASSWORD)
    return f"owner {run.actor.email}"


def create_flow(run: Run) -> str:
    from flowbench.services.flows import create_flow

    assert run.actor is not None
    summary = create_flow(run.actor, FLOW_NAME)
    if summary.draft_version != 1:
        raise SelfTestFailure(f"a new flow should start as a Version 1 draft, "
                              f"got {summary.draft_version}")
    run.flow_id = summary.id
    return f"'{summary.name}' Version 1 draft"


def save_and_validate(run: Run) -> str:
    from flowbench.services.drafts import get_draft, problems_of, save_draft

    assert run.actor is not None and run.flow_id is not None
    definition = self_test_definition()
    draft = get_draft(run.flow_id)
    if draft is None:
        raise SelfTestFailure("the new flow has no draft")
    saved = save_draft(run.actor, run.flow_id, definition,
                       expected_version=draft.version, expected_revision=draft.revision)
    if saved.definition != definition:
        raise SelfTestFailure("the saved draft does not read back as it was written")
    errors = [problem for problem in problems_of(saved.flow_name, saved.definition)
              if problem.is_error]
    if errors:
        listed = "; ".join(f"{p.step or 'flow'}.{p.field}: {p.message}" for p in errors)
        raise SelfTestFailure(f"a valid flow was reported invalid: {listed}")
    run.revision = saved.revision
    return f"{count_of(len(definition.steps), 'step')}, revision {saved.revision}, no errors"


def publish(run: Run) -> str:
    from flowbench.services.drafts import get_draft, open_flow
    from flowbench.services.publishing import publish_draft

    assert run.actor is not None and run.flow_id is not None
    result = publish_draft(run.actor, run.flow_id, expected_revision=run.revision,
                           expected_live=None)
    live = open_flow(run.flow_id)
    if result.version != 1 or live.is_draft or get_draft(run.flow_id) is not None:
        raise SelfTestFailure(f"publishing did not make Version 1 live ({result.describe()})")
    return result.describe()
