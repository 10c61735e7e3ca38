"""Random sequences of edit / save / approve / reject / publish / restore / next draft /
discard by members of every role, checked after every step against a small model
(tests/support/version_model.py).

Invariants checked after each step, straight from the database:
* at most one draft and at most one live version per flow; the draft is the newest;
* the live version is the highest published number;
* published content (hash and definition) never changes once published;
* approvals count only for the current content (the service's view equals the model's);
* revisions only grow;
* every stored hash is the hash of the stored definition.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from version_model import CONTENTS, FLOWS, GROUPS, MEMBERSHIP, ROLES, Draft, FlowModel
from workspaces import Location, workspace_copy

from flowbench.domain.approvals import GroupState
from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import (
    Conflict,
    FlowbenchError,
    NotFound,
    PermissionDenied,
    PublishBlocked,
    StaleError,
)
from flowbench.domain.roles import Permission, has_permission
from flowbench.domain.validation import has_errors, validate
from flowbench.services import approvals, drafts, flows, members, publishing, workspace
from flowbench.services.context import Actor
from flowbench.store import models
from flowbench.store.connection import close_workspace, open_workspace


class VersionMachine(RuleBasedStateMachine):
    template: Location
    cast: dict[str, Actor]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="flowbench-stateful-"))
        self._copy = workspace_copy(self.template, self.folder)  # a file or a database
        open_workspace(self._copy.__enter__())
        self.allow_self = False
        self.flows: dict[str, FlowModel] = {}
        self.seen: dict[str, list[tuple[int, int]]] = {name: [] for name in FLOWS}
        self.revisions: dict[int, int] = {}  # version row id -> highest revision seen
        self.changed = True  # False after a refusal that provably wrote nothing

    def teardown(self) -> None:
        close_workspace()
        self._copy.__exit__(None, None, None)
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers ---------------------------------------------------------------------------
    def actor(self, role: str) -> Actor:
        return self.cast[role]

    def can(self, role: str, permission: Permission) -> bool:
        return has_permission(role, permission)

    def expect(self, outcome: type[FlowbenchError] | None, call) -> object:
        """Run ``call``; it must raise ``outcome`` and change nothing, or succeed."""
        if outcome is None:
            self.changed = True
            return call()
        before = self.snapshot()
        try:
            call()
        except outcome:
            assert self.snapshot() == before, f"{outcome.__name__} but something was written"
            self.changed = False  # proven unchanged: the invariants need not look again
            return None
        raise AssertionError(f"expected {outcome.__name__}")

    @staticmethod
    def snapshot() -> tuple[object, ...]:
        db = models.database.obj
        return tuple(db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                     for table in ("flow_version", "approval", "version_editor",
                                   "workspace_settings"))

    def current(self, name: str) -> tuple[int, int]:
        """(version, revision) of what the editor shows: the draft, else the live version."""
        model = self.flows[name]
        if model.draft is not None:
            return model.draft.number, model.draft.revision
        assert model.live is not None
        return model.live, model.published[model.live][2]

    def look(self, name: str) -> tuple[int, int]:
        seen = drafts.open_flow(name)
        self.seen[name].append((seen.version, seen.revision))
        return seen.version, seen.revision

    # --- set-up ------------------------------------------------------------------------------
    @initialize()
    def set_up(self) -> None:
        owner = self.actor("owner")
        workspace.set_approvals(owner, True)
        members.add_group_member(owner, "Marketing", self.actor("owner").email)
        members.add_group_member(owner, "Legal", self.actor("admin").email)
        for name in FLOWS:  # valid from the start, so that publishing can happen early
            flows.create_flow(owner, name, CONTENTS[0])
            self.flows[name] = FlowModel(Draft(1, 1, CONTENTS[0].content_hash(), CONTENTS[0],
                                               {owner.member_id}))

    # --- rules -------------------------------------------------------------------------------
    @rule(role=st.sampled_from(ROLES), name=st.sampled_from(FLOWS),
          content=st.sampled_from(CONTENTS), stale=st.booleans(), data=st.data())
    def save(self, role: str, name: str, content: FlowDefinition, stale: bool,
             data: st.DataObject) -> None:
        looked = self.look(name)
        assert looked == self.current(name), "the editor shows something else than the model"
        if stale:
            looked = data.draw(st.sampled_from(self.seen[name]))
        model = self.flows[name]
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.EDIT_DRAFT):
            outcome = PermissionDenied
        elif looked != self.current(name):
            outcome = StaleError
        self.expect(outcome, lambda: drafts.save_draft(
            self.actor(role), name, content, expected_version=looked[0],
            expected_revision=looked[1]))
        if outcome is not None:
            return
        new_hash = content.content_hash()
        if model.draft is None:
            live_hash = model.published[model.live][0]
            model.draft = Draft(model.next_number(), model.first_revision(), live_hash,
                                FlowDefinition.from_json(model.published[model.live][1]))
            if new_hash != live_hash:
                model.draft.hash, model.draft.definition = new_hash, content
                model.draft.editors.add(self.actor(role).member_id)
        elif new_hash != model.draft.hash:
            model.draft.revision += 1
            model.draft.hash, model.draft.definition = new_hash, content
            model.draft.editors.add(self.actor(role).member_id)

    @rule(role=st.sampled_from(ROLES), name=st.sampled_from(FLOWS),
          group=st.sampled_from(GROUPS), verdict=st.sampled_from(["approved", "rejected"]))
    def decide(self, role: str, name: str, group: str, verdict: str) -> None:
        model = self.flows[name]
        me = self.actor(role).member_id
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.APPROVE):
            outcome = PermissionDenied
        elif model.draft is None:
            outcome = NotFound
        elif group not in MEMBERSHIP.get(role, set()) or (
                me in model.draft.editors and not self.allow_self):
            outcome = PermissionDenied  # not in the group, or approving their own edit
        elif verdict == "approved" and [v for g, h, v in model.draft.decisions
                                        if g == group and h == model.draft.hash][-1:] \
                == ["approved"]:
            outcome = Conflict  # already approved as it is: nothing is recorded
        if verdict == "approved":
            self.expect(outcome, lambda: approvals.approve(self.actor(role), name, group))
        else:
            self.expect(outcome, lambda: approvals.reject(self.actor(role), name, group,
                                                          "Not like this."))
        if outcome is None:
            assert model.draft is not None
            model.draft.decisions.append((group, model.draft.hash, verdict))

    # biased towards Owner and Admin, so that overrides (and hence publishes) happen often
    @rule(role=st.sampled_from(("owner", "admin")) | st.sampled_from(ROLES),
          name=st.sampled_from(FLOWS), override=st.booleans())
    def publish(self, role: str, name: str, override: bool) -> None:
        model = self.flows[name]
        reason = "Emergency fix" if override else None
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.PUBLISH):
            outcome = PermissionDenied
        elif model.draft is None:
            outcome = NotFound
        elif has_errors(validate(name, model.draft.definition)):
            outcome = PublishBlocked
        elif any(s != GroupState.APPROVED for s in model.expected_groups().values()):
            if not override:
                outcome = PublishBlocked
            elif not self.can(role, Permission.OVERRIDE_APPROVALS):
                outcome = PermissionDenied
        result = self.expect(outcome, lambda: publishing.publish_draft(
            self.actor(role), name, override_reason=reason))
        if outcome is not None:
            return
        draft = model.draft
        assert draft is not None and result is not None
        assert result.version == draft.number
        model.published[draft.number] = (draft.hash, draft.definition.to_json(),
                                         draft.revision)
        model.live, model.draft = draft.number, None

    @rule(role=st.sampled_from(ROLES), name=st.sampled_from(FLOWS), data=st.data(),
          stale=st.booleans())
    def restore(self, role: str, name: str, data: st.DataObject, stale: bool) -> None:
        model = self.flows[name]
        if not model.published:
            return
        number = data.draw(st.sampled_from(sorted(model.published)))
        looked = self.look(name)
        if stale:
            looked = data.draw(st.sampled_from(self.seen[name]))
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.EDIT_DRAFT):
            outcome = PermissionDenied
        elif looked != self.current(name):
            outcome = StaleError
        self.expect(outcome, lambda: drafts.restore_version(
            self.actor(role), name, number, expected_version=looked[0],
            expected_revision=looked[1]))
        if outcome is not None:
            return
        source_hash, source_json, _ = model.published[number]
        if model.draft is None:
            live_hash, live_json, _ = model.published[model.live]
            model.draft = Draft(model.next_number(), model.first_revision(), live_hash,
                                FlowDefinition.from_json(live_json))
        if model.draft.hash != source_hash:
            model.draft.revision += 1
            model.draft.hash = source_hash
            model.draft.definition = FlowDefinition.from_json(source_json)
            model.draft.editors.add(self.actor(role).member_id)

    @rule(role=st.sampled_from(ROLES), name=st.sampled_from(FLOWS))
    def start_next_draft(self, role: str, name: str) -> None:
        model = self.flows[name]
        expected_live = model.live if model.live is not None else 1
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.EDIT_DRAFT):
            outcome = PermissionDenied
        elif model.draft is not None:
            outcome = Conflict
        elif model.live is None:
            outcome = StaleError
        self.expect(outcome, lambda: drafts.start_next_draft(self.actor(role), name,
                                                              expected_live))
        if outcome is None:
            live_hash, live_json, _ = model.published[model.live]
            model.draft = Draft(model.next_number(), model.first_revision(), live_hash,
                                FlowDefinition.from_json(live_json))

    @rule(role=st.sampled_from(ROLES), name=st.sampled_from(FLOWS), stale=st.booleans())
    def discard(self, role: str, name: str, stale: bool) -> None:
        model = self.flows[name]
        revision = model.draft.revision + (1 if stale else 0) if model.draft else 1
        outcome: type[FlowbenchError] | None = None
        if not self.can(role, Permission.EDIT_DRAFT):
            outcome = PermissionDenied
        elif model.draft is None:
            outcome = NotFound
        elif stale:
            outcome = StaleError
        elif model.live is None:
            outcome = Conflict
        row = models.FlowVersion.get_or_none(
            (models.FlowVersion.flow == models.Flow.get(models.Flow.name == name).id)
            & (models.FlowVersion.status == "draft"))
        self.expect(outcome, lambda: drafts.discard_draft(self.actor(role), name, revision))
        if outcome is None:
            assert model.draft is not None
            model.discarded[model.draft.number] = model.draft.revision
            model.draft = None
            self.revisions.pop(row.id)  # the row is gone; its id may be used again

    @rule(allowed=st.booleans())
    def toggle_self_approval(self, allowed: bool) -> None:
        workspace.set_self_approval(self.actor("owner"), allowed)
        self.allow_self = allowed
        self.changed = True

    # --- invariants ---------------------------------------------------------------------------
    @invariant()
    def versions_follow_the_rules(self) -> None:
        if not self.changed:
            return
        for name, model in self.flows.items():
            flow = models.Flow.get(models.Flow.name == name)
            rows = list(models.FlowVersion.select().where(models.FlowVersion.flow == flow.id))
            by_status: dict[str, list[models.FlowVersion]] = {}
            for row in rows:
                by_status.setdefault(row.status, []).append(row)
                assert FlowDefinition.from_json(row.definition).content_hash() == \
                    row.content_hash
                seen = self.revisions.get(row.id, 0)
                assert row.revision >= seen, "a revision went down"
                self.revisions[row.id] = row.revision
            assert len(by_status.get("draft", [])) <= 1, "two drafts"
            assert len(by_status.get("live", [])) <= 1, "two live versions"
            published = [r for r in rows if r.status in ("live", "previous")]
            live = by_status.get("live", [None])[0]
            if published:
                assert live is not None
                assert live.number == max(r.number for r in published)
            if by_status.get("draft"):
                assert by_status["draft"][0].number == max(r.number for r in rows)
            # published content never changes, and nothing else was published
            assert {r.number: (r.content_hash, r.definition) for r in published} == {
                n: (h, j) for n, (h, j, _) in model.published.items()}
            assert (live.number if live else None) == model.live
            draft = by_status.get("draft", [None])[0]
            if model.draft is None:
                assert draft is None
            else:
                assert draft is not None
                assert (draft.number, draft.revision, draft.content_hash) == (
                    model.draft.number, model.draft.revision, model.draft.hash)

    @invariant()
    def approvals_count_only_for_the_current_content(self) -> None:
        if not self.changed:
            return
        for name, model in self.flows.items():
            view = approvals.approval_view(name)
            if model.draft is None:
                assert view.groups == []
                continue
            actual = {s.group: s.state for s in view.groups}
            assert actual == model.expected_groups()
            listed = {f.name: f for f in flows.list_flows()}[name]  # computed another way
            assert (listed.draft_version, listed.approval_state) == (model.draft.number,
                                                                      view.state)
            for status in view.groups:
                if status.state == GroupState.APPROVED:
                    assert models.Approval.select().where(
                        (models.Approval.content_hash == model.draft.hash)
                        & (models.Approval.decision == "approved")).exists()


# Passing takes seconds; a failure is shrunk for up to Hypothesis' 5 minutes before it is
# shown, so the usual 120 s timeout would cut the minimal example off.
@pytest.mark.timeout(420)
def test_random_sequences_keep_the_version_rules(template) -> None:
    path, cast = template
    VersionMachine.template = path
    VersionMachine.cast = {role: cast.by_role(role) for role in ROLES}
    run_state_machine_as_test(VersionMachine, settings=settings(
        max_examples=50, stateful_step_count=30, deadline=None, derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
