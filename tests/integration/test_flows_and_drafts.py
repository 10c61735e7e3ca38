"""Flows and their versions: create, rename, archive; drafts saved, started, discarded,
restored — with the revision check that refuses stale work and writes nothing."""

from __future__ import annotations

import pytest

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import Conflict, InvalidInput, NotFound, StaleError
from flowbench.domain.versions import VersionStatus
from flowbench.services import approvals, drafts, flows, publishing
from flowbench.store import models


def statuses(flow: str) -> list[tuple[int, str, int]]:
    return [(v.number, str(v.status), v.revision) for v in drafts.version_history(flow)]


@pytest.fixture
def flow(cast, content) -> str:
    """'Welcome series': a valid Version 1 draft at revision 2, made by the owner."""
    flows.create_flow(cast.owner, "Welcome series")
    drafts.save_draft(cast.owner, "Welcome series", content("Welcome!"), expected_version=1,
                      expected_revision=1)
    return "Welcome series"


@pytest.fixture
def live(flow: str, cast) -> str:
    """The same flow with Version 1 published (approvals are off)."""
    publishing.publish_draft(cast.owner, flow)
    return flow


# --- flows ---------------------------------------------------------------------------------------

def test_a_new_flow_is_version_1_draft(cast) -> None:
    summary = flows.create_flow(cast.editor, "  Welcome   series ")
    assert (summary.name, summary.live_version, summary.draft_version) == (
        "Welcome series", None, 1)
    assert statuses("welcome series") == [(1, "draft", 1)]
    draft = drafts.get_draft("Welcome series")
    assert draft.is_draft and draft.definition == flows.starter_definition()
    assert draft.updated_by == "Ed"
    assert [f.name for f in flows.list_flows()] == ["Welcome series"]
    entry = models.AuditEntry.select().order_by(models.AuditEntry.id.desc()).get()
    assert (entry.action, entry.flow_id) == ("flow.create", summary.id)


def test_a_flow_can_start_from_given_content(cast, content) -> None:
    flows.create_flow(cast.editor, "Imported", content("Hello"))
    assert drafts.get_draft("Imported").definition == content("Hello")


@pytest.mark.parametrize("name", ["WELCOME SERIES", " welcome  series", "Welcome series"])
def test_flow_names_are_unique_whatever_the_case(flow: str, cast, snapshot,
                                                 name: str) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="already exists"):
        flows.create_flow(cast.editor, name)
    assert snapshot() == before


@pytest.mark.parametrize("name, says", [("   ", "needs a name"), ("x" * 201, "at most 200")])
def test_flow_names_must_be_sensible(cast, name: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        flows.create_flow(cast.editor, name)
    assert models.Flow.select().count() == 0


def test_rename(flow: str, cast, snapshot) -> None:
    flows.create_flow(cast.owner, "Other")
    assert flows.rename_flow(cast.editor, flow, "Onboarding").name == "Onboarding"
    assert flows.rename_flow(cast.editor, "onboarding", "ONBOARDING").name == "ONBOARDING"
    with pytest.raises(NotFound, match="no flow named 'Welcome series'"):
        drafts.open_flow(flow)
    before = snapshot()
    with pytest.raises(Conflict, match="already exists"):
        flows.rename_flow(cast.editor, "Onboarding", "other")
    assert snapshot() == before


def test_archive_hides_the_flow_and_keeps_its_name(flow: str, cast) -> None:
    summary = flows.set_archived(cast.publisher, flow, True)
    assert summary.archived
    assert flows.list_flows() == []
    assert [f.name for f in flows.list_flows(include_archived=True)] == [flow]
    with pytest.raises(NotFound):
        drafts.get_draft(flow)
    with pytest.raises(Conflict):
        flows.create_flow(cast.editor, flow)
    assert not flows.set_archived(cast.editor, flow, False).archived
    assert drafts.get_draft(flow).version == 1


def test_list_flows_shows_live_draft_and_approval_state(live: str, cast, content) -> None:
    drafts.start_next_draft(cast.editor, live, expected_live=1)
    flows.create_flow(cast.editor, "Another")
    listed = {f.name: (f.live_version, f.draft_version, f.approval_state)
              for f in flows.list_flows()}
    assert listed == {"Welcome series": (1, 2, "not required"),
                      "Another": (None, 1, "not required")}
    from flowbench.services import workspace
    workspace.set_approvals(cast.owner, True)
    approvals.approve(cast.editor, live, "Legal")
    assert flows.list_flows()[1].approval_state == "awaiting 1/2"


# --- saving drafts ---------------------------------------------------------------------------

def test_save_bumps_the_revision_and_records_who(flow: str, cast, content) -> None:
    saved = drafts.save_draft(cast.editor, flow, content("Hi"), expected_version=1,
                              expected_revision=2)
    assert (saved.version, saved.revision, saved.updated_by) == (1, 3, "Ed")
    assert saved.content_hash == content("Hi").content_hash()
    assert drafts.open_flow(flow).definition == content("Hi")


def test_a_stale_save_is_refused_and_writes_nothing(flow: str, cast, content,
                                                    snapshot) -> None:
    drafts.save_draft(cast.editor, flow, content("Ed's"), expected_version=1,
                      expected_revision=2)
    before = snapshot()
    with pytest.raises(StaleError) as caught:
        drafts.save_draft(cast.publisher, flow, content("Pat's"), expected_version=1,
                          expected_revision=2)
    assert "changed since you looked" in str(caught.value)
    assert "Ed saved revision 3" in str(caught.value)
    assert snapshot() == before


def test_a_save_without_changes_keeps_the_revision_and_writes_nothing(flow: str, cast,
                                                                     content,
                                                                     snapshot) -> None:
    before = snapshot()
    saved = drafts.save_draft(cast.publisher, flow, content("Welcome!"), expected_version=1,
                              expected_revision=2)
    assert (saved.revision, saved.updated_by) == (2, "Olive")
    assert snapshot() == before


def test_a_save_without_changes_keeps_the_approvals(flow: str, approvals_on, content) -> None:
    cast = approvals_on
    approvals.approve(cast.editor, flow, "Legal")
    drafts.save_draft(cast.admin, flow, content("Welcome!"), expected_version=1,
                      expected_revision=2)
    assert approvals.approval_view(flow).missing == ["Marketing"]
    assert "ada@example.com" not in {e.member.email for e in models.VersionEditor.select()}


def test_the_first_edit_after_publishing_creates_the_next_version(live: str, cast,
                                                                  content) -> None:
    published = drafts.open_flow(live)
    assert (published.version, published.status) == (1, VersionStatus.LIVE)
    saved = drafts.save_draft(cast.editor, live, content("Welcome back"),
                              expected_version=1, expected_revision=published.revision)
    assert (saved.version, saved.revision, saved.status) == (2, 1, VersionStatus.DRAFT)
    assert statuses(live) == [(2, "draft", 1), (1, "live", 2)]
    assert drafts.get_version(live, 1).definition == content("Welcome!")  # untouched
    with pytest.raises(StaleError, match="Version 2 is now the draft"):
        drafts.save_draft(cast.publisher, live, content("Also editing V1"),
                          expected_version=1, expected_revision=published.revision)


def test_saving_the_live_content_unchanged_starts_the_next_draft(live: str, cast,
                                                                content) -> None:
    published = drafts.open_flow(live)
    saved = drafts.save_draft(cast.editor, live, published.definition, expected_version=1,
                              expected_revision=published.revision)
    assert (saved.version, saved.revision, saved.content_hash) == (
        2, 1, published.content_hash)


def test_start_next_draft_copies_the_live_version(live: str, cast) -> None:
    live_content = drafts.open_flow(live)
    draft = drafts.start_next_draft(cast.editor, live, expected_live=1)
    assert (draft.version, draft.revision, draft.content_hash) == (
        2, 1, live_content.content_hash)
    with pytest.raises(Conflict, match="already has a draft: Version 2"):
        drafts.start_next_draft(cast.editor, live, expected_live=1)


def test_start_next_draft_from_a_stale_live_version(live: str, cast, snapshot) -> None:
    before = snapshot()
    with pytest.raises(StaleError):
        drafts.start_next_draft(cast.editor, live, expected_live=7)
    assert snapshot() == before


def test_discard_returns_to_the_live_version(live: str, cast, content, snapshot) -> None:
    drafts.save_draft(cast.editor, live, content("Oops"), expected_version=1,
                      expected_revision=2)
    drafts.save_draft(cast.editor, live, content("Oops 2"), expected_version=2,
                      expected_revision=1)
    before = snapshot()
    with pytest.raises(StaleError):
        drafts.discard_draft(cast.editor, live, expected_revision=1)
    assert snapshot() == before
    shown = drafts.discard_draft(cast.editor, live, expected_revision=2)
    assert (shown.version, shown.status) == (1, VersionStatus.LIVE)
    assert drafts.get_draft(live) is None
    assert statuses(live) == [(1, "live", 2)]
    assert models.VersionEditor.select().where(
        models.VersionEditor.version.not_in(models.FlowVersion.select(
            models.FlowVersion.id))).count() == 0  # nothing dangling
    with pytest.raises(NotFound, match="no draft to discard"):
        drafts.discard_draft(cast.editor, live, expected_revision=2)


def test_the_only_version_cannot_be_discarded(flow: str, cast, snapshot) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="never been published"):
        drafts.discard_draft(cast.editor, flow, expected_revision=2)
    assert snapshot() == before


def test_restore_a_published_version_into_the_draft(live: str, cast, content) -> None:
    drafts.save_draft(cast.owner, live, content("Version 2"), expected_version=1,
                      expected_revision=2)
    publishing.publish_draft(cast.owner, live)
    assert statuses(live) == [(2, "live", 1), (1, "previous", 2)]
    restored = drafts.restore_version(cast.editor, live, 1, expected_version=2,
                                      expected_revision=1)
    assert restored.version == 3 and restored.definition == content("Welcome!")
    assert drafts.get_version(live, 2).definition == content("Version 2")
    again = drafts.restore_version(cast.editor, live, 2, expected_version=3,
                                   expected_revision=restored.revision)
    assert again.revision == restored.revision + 1
    assert again.definition == content("Version 2")
    assert [e.action for e in models.AuditEntry.select().where(
        models.AuditEntry.action == "version.restore")] == ["version.restore"] * 2


def test_restore_refusals(live: str, cast, content, snapshot) -> None:
    drafts.start_next_draft(cast.editor, live, expected_live=1)
    before = snapshot()
    with pytest.raises(Conflict, match="is the draft itself"):
        drafts.restore_version(cast.editor, live, 2, expected_version=2, expected_revision=1)
    with pytest.raises(NotFound, match="no Version 9"):
        drafts.restore_version(cast.editor, live, 9, expected_version=2, expected_revision=1)
    with pytest.raises(StaleError):
        drafts.restore_version(cast.editor, live, 1, expected_version=2, expected_revision=5)
    assert snapshot() == before


def test_version_history(live: str, cast, content) -> None:
    drafts.save_draft(cast.editor, live, content("Next"), expected_version=1,
                      expected_revision=2)
    history = drafts.version_history(live)
    assert [(v.number, v.status, v.created_by, v.published_by) for v in history] == [
        (2, VersionStatus.DRAFT, "Ed", None), (1, VersionStatus.LIVE, "Olive", "Olive")]
    assert history[1].to_dict()["status"] == "live"


def test_the_stored_hash_matches_the_stored_definition(live: str, cast, content) -> None:
    drafts.save_draft(cast.editor, live, content("Next"), expected_version=1,
                      expected_revision=2)
    for row in models.FlowVersion.select():
        assert FlowDefinition.from_json(row.definition).content_hash() == row.content_hash


def test_a_save_based_on_a_discarded_draft_is_refused(live: str, cast, content) -> None:
    live_rev = drafts.open_flow(live).revision
    drafts.save_draft(cast.editor, live, content("Ed's V2"), expected_version=1,
                      expected_revision=live_rev)
    seen = drafts.open_flow(live)  # Pat looks at Ed's Version 2, revision 1
    drafts.discard_draft(cast.owner, live, expected_revision=seen.revision)
    drafts.save_draft(cast.admin, live, content("Ada's V2"), expected_version=1,
                      expected_revision=live_rev)  # a new Version 2, revision 1
    with pytest.raises(StaleError):
        drafts.save_draft(cast.publisher, live, content("Pat's edit of Ed's V2"),
                          expected_version=seen.version, expected_revision=seen.revision)
