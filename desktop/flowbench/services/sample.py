"""The sample workspace: a separate file full of realistic demo data, made through the
ordinary services, so a newcomer sees Flowbench working at once.

It holds members in every role (their passwords are shown on screen), the approval
groups Legal and Marketing with approvals on, customers and segments in the local
runtime, and flows in different states: live with a newer draft (segment-triggered,
with running instances), awaiting approval, live with a previous version still running,
event-triggered with cards out, and a draft that is still being written.

No Qt here: the GUI runs ``open_sample_workspace`` on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import FlowbenchError
from flowbench.domain.publish_plan import PublishChoices
from flowbench.services import approvals, drafts, flows, members, publishing, workspace
from flowbench.services import sample_content as content
from flowbench.services.context import Actor
from flowbench.services.sample_content import ACCOUNTS, SampleAccount
from flowbench.store.connection import WORKSPACE_SUFFIX, Workspace, open_workspace

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = 4


@dataclass(frozen=True)
class SampleWorkspace:
    workspace: Workspace
    accounts: tuple[SampleAccount, ...]
    created: bool  # False: the sample existed already and was opened as it is


def demo_accounts() -> tuple[SampleAccount, ...]:
    """The sample's demo accounts when the open workspace is the sample (its name and
    members), for the sign-in dialog to show every time; () for any other workspace.
    Only the accounts still active are listed. Reads only."""
    try:
        if workspace.workspace_info().name != content.WORKSPACE_NAME:
            return ()
    except FlowbenchError:
        return ()
    active = {m.email for m in members.list_members() if m.active}
    return tuple(account for account in ACCOUNTS if account.email in active)


def sample_workspace_path() -> Path:
    """Where the sample lives: beside the default workspace, never in place of it."""
    return platformdirs.user_data_path("Flowbench", appauthor=False) / (
        "sample" + WORKSPACE_SUFFIX)


def open_sample_workspace(location: str | Path | None = None,
                          progress: Progress | None = None) -> SampleWorkspace:
    """Open the sample workspace, creating and filling it first if it is new."""
    report = progress or (lambda stage, done, total: None)
    opened = open_workspace(location or sample_workspace_path())
    if workspace.is_initialised():
        return SampleWorkspace(opened, ACCOUNTS, created=False)
    report("Creating the members and approval groups", 0, STAGES)
    people = add_members_and_groups()
    report("Adding customers and segments", 1, STAGES)
    add_runtime_data(people[content.EDITOR.email])
    report("Writing, approving and publishing flows", 2, STAGES)
    add_flows(people)
    report("Starting flows for customers", 3, STAGES)
    start_instances(people)
    report("Done", STAGES, STAGES)
    return SampleWorkspace(opened, ACCOUNTS, created=True)


def add_members_and_groups() -> dict[str, Actor]:
    """Every sample account, signed in; approval groups filled; approvals switched on."""
    owner_account = content.OWNER
    owner = workspace.create_workspace(content.WORKSPACE_NAME, owner_account.email,
                                       owner_account.name, owner_account.password)
    people = {owner.email: owner}
    for account in ACCOUNTS:
        if account is owner_account:
            continue
        members.add_member(owner, account.email, account.name, account.role,
                           account.password)
    for group in content.GROUPS:
        members.add_group(owner, group)
    for account in ACCOUNTS:
        for group in account.groups:
            members.add_group_member(owner, group, account.email)
    workspace.set_approvals(owner, True)
    for account in ACCOUNTS:
        if account is not owner_account:
            people[account.email] = workspace.sign_in(account.email, account.password)
    return people


def add_runtime_data(editor: Actor) -> None:
    """Customers (with test accounts) and the two segments the flows use."""
    from flowbench.services.runtime import customers as runtime_customers
    from flowbench.services.runtime import segments as runtime_segments

    runtime_customers.import_customers_csv(editor, content.customers_csv(),
                                           "sample-customers.csv")
    runtime_segments.import_segments_json(editor, content.SEGMENTS_JSON,
                                          "sample-segments.json")


def _approved(people: dict[str, Actor], flow_id: int, groups: tuple[str, ...]) -> None:
    deciders = {"Legal": content.LEGAL, "Marketing": content.MARKETING}
    for group in groups:
        approvals.approve(people[deciders[group].email], flow_id, group)


def _publish(people: dict[str, Actor], flow_id: int, **choices: bool) -> None:
    _approved(people, flow_id, content.GROUPS)
    publishing.publish_draft(people[content.PUBLISHER.email], flow_id,
                             choices=PublishChoices(**choices))


def _next_draft(editor: Actor, flow_id: int, definition: FlowDefinition) -> None:
    live = drafts.open_flow(flow_id)
    drafts.save_draft(editor, flow_id, definition, expected_version=live.version,
                      expected_revision=live.revision)


def add_flows(people: dict[str, Actor]) -> dict[str, int]:
    """The sample flows, each in the state its name in the list suggests."""
    editor = people[content.EDITOR.email]
    created: dict[str, int] = {}

    def new(name: str, definition: FlowDefinition, by: Actor = editor) -> int:
        created[name] = flows.create_flow(by, name, definition).id
        return created[name]

    welcome = new("Welcome series", content.welcome_v1())
    _publish(people, welcome, start_existing_segment_members=True)
    _next_draft(editor, welcome, content.welcome_v2())      # live 1, draft 2

    delivered = new("Order delivered feedback", content.delivered_feedback())
    _publish(people, delivered)                             # live 1

    payment = new("Payment failed reminder", content.payment_v1())
    _publish(people, payment)                               # live 1 for now

    winback = new("Win-back offer", content.winback())
    _approved(people, winback, ("Legal",))                  # awaiting Marketing

    new("Spring promotion", content.spring_promotion(), people[content.PUBLISHER.email])
    return created


def start_instances(people: dict[str, Actor]) -> None:
    """Deliveries that start the feedback flow; billing starts the payment reminder,
    then Version 2 goes live while Version 1's instances are still running."""
    from flowbench.services.runtime import clock as runtime_clock
    from flowbench.services.runtime import events as runtime_events
    from flowbench.services.runtime import starts as runtime_starts

    editor, publisher = people[content.EDITOR.email], people[content.PUBLISHER.email]
    for customer in ("c-1002", "c-1003", "c-1008", "c-1009", "c-1014"):
        runtime_events.send_event(editor, customer, "order_delivered")
    payment = flows.list_flows()
    payment_id = next(f.id for f in payment if f.name == "Payment failed reminder")
    runtime_starts.start_manual(publisher, payment_id, ["c-1004", "c-1010", "c-1016"])
    _next_draft(editor, payment_id, content.payment_v2())
    _publish(people, payment_id)                            # live 2, previous 1 running
    runtime_clock.advance_clock(editor, "PT7H")             # the feedback cards go out
