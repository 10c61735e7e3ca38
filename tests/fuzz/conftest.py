"""The hostile-input fuzzers' workspace: one per test module (hypothesis runs hundreds of
examples in it), with an Owner, an Editor, a test account "tester", a customer "ann" and
a live flow that starts on the event ``signup``. See tests/support/hostile_input.py for
the hostile values and the three properties every input path is held to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile_input import Rehearsal

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import flows, members, publishing, workspace
from flowbench.services.opening import close_workspace, open_workspace
from flowbench.services.runtime import customers as runtime_customers

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rehearsal]:
    open_workspace(tmp_path_factory.mktemp("hostile") / "hostile.flowbench")
    try:
        owner = workspace.create_workspace("Hostile", "olive@example.com", "Olive", PASSWORD)
        info = members.add_member(owner, "ed@example.com", "Ed", "editor", PASSWORD)
        editor = workspace.sign_in(info.email, PASSWORD)
        runtime_customers.import_customers_csv(editor, "id,test,plan\ntester,yes,pro\n"
                                               "ann,no,free\n", "setup.csv")
        welcome = FlowDefinition(trigger=Trigger("api_event", event="signup"), steps=(
            Step("card", "send_card", title="Welcome", body="Hello",
                 buttons=(Button("OK"),), expires_after="P7D", priority=5),
            Step("answer", "wait_card_action", parent="card", card="card",
                 action="submitted", timeout="P3D"),
            Step("later", "wait_duration", parent="card", duration="P1D"),
            Step("push", "send_push", parent="later", title="Still there?", body="Hi",
                 card="card"),
        ))
        summary = flows.create_flow(owner, "Welcome", welcome)
        publishing.publish_draft(owner, summary.id)
        yield Rehearsal(owner, editor)
    finally:
        close_workspace()
