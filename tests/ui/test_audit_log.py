"""The Audit Log window: who did what when, newest first, loaded in pages, filtered by
flow, member and action and searched by text; closed to roles without the permission."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flowbench.services import flows, members, workspace
from flowbench.services.context import Actor
from flowbench.store.connection import close_workspace, open_workspace
from flowbench.ui.admin.audit_model import ACTION, FLOW, MEMBER, SUMMARY
from flowbench.ui.admin.audit_window import AuditLogWindow
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.theme import Theme

PASSWORD = "correct horse 1"


@pytest.fixture(autouse=True)
def _each_password_hashed_once(fast_hashing: None) -> None:
    """argon2id is slow on purpose: see ``fast_hashing`` in tests/conftest.py."""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Actor]]:
    """Owner, Publisher, Editor, Viewer and Lee (Editor, then Publisher); flows Welcome
    (by the Editor) and Winback (by the Publisher); a role change and a settings change
    by the Owner; Welcome renamed."""
    open_workspace(tmp_path / "audit.flowbench")
    try:
        owner = workspace.create_workspace("Acme Production", "owner@example.com", "Olivia",
                                           PASSWORD)
        cast = {"owner": owner}
        for key, role, email, name in (("publisher", "publisher", "pat@example.com", "Pat"),
                                       ("editor", "editor", "ed@example.com", "Ed"),
                                       ("viewer", "viewer", "vi@example.com", "Vi"),
                                       ("lee", "editor", "lee@example.com", "Lee")):
            info = members.add_member(owner, email, name, role, PASSWORD)
            cast[key] = Actor(info.id, info.email, info.name, info.role)
        welcome = flows.create_flow(cast["editor"], "Welcome")
        flows.create_flow(cast["publisher"], "Winback")
        members.add_group(owner, "Legal")
        members.set_role(owner, "lee@example.com", "publisher")
        workspace.set_self_approval(owner, True)
        flows.rename_flow(cast["editor"], welcome.id, "Welcome series")
        yield cast
    finally:
        close_workspace()


@pytest.fixture
def open_as(qtbot: QtBot, world) -> Callable[..., AuditLogWindow]:
    def make(role: str, page_size: int = 200) -> AuditLogWindow:
        session = AppSession()
        session.sign_in(world[role])
        window = AuditLogWindow(session, page_size=page_size)
        qtbot.addWidget(window)
        window.show()
        return settled(qtbot, window)

    return make


def settled(qtbot: QtBot, window: AuditLogWindow) -> AuditLogWindow:
    """Wait until the page asked for has arrived (pages are read on a worker thread)."""
    def quiet() -> bool:
        QApplication.processEvents()  # lets the view ask for another page if it has room
        return not window.model.loading

    qtbot.waitUntil(lambda: quiet() and quiet(), timeout=10_000)
    return window


def column(window: AuditLogWindow, number: int) -> list[str]:
    model = window.model
    return [model.index(row, number).data() for row in range(model.rowCount())]


def test_entries_newest_first_with_who_what_and_which_flow(open_as) -> None:
    window = open_as("publisher")
    assert column(window, ACTION)[:4] == ["flow.rename", "settings.self_approval",
                                          "member.role", "group.add"]
    assert column(window, ACTION)[-1] == "workspace.create"
    assert column(window, MEMBER)[0] == "Ed"
    assert column(window, FLOW)[0] == "Welcome series"
    assert column(window, FLOW)[1] == "—"
    assert "Renamed" in column(window, SUMMARY)[0]
    assert window.status.text() == f"All {window.model.rowCount()} entries shown."
    # the newest entry is selected and its details shown
    assert "Member:  Ed <ed@example.com>" in window.details.toPlainText()
    assert not window.more_button.isEnabled()


def test_filter_by_flow_member_and_action(qtbot, open_as, world) -> None:
    window = open_as("owner")
    flow_choices = [window.flow.itemText(i) for i in range(window.flow.count())]
    assert flow_choices == ["All flows", "Welcome series", "Winback"]
    window.flow.setCurrentIndex(window.flow.findText("Winback"))
    window.flow.activated.emit(window.flow.currentIndex())  # as a member picking it
    settled(qtbot, window)
    assert column(window, ACTION) == ["flow.create"]
    assert column(window, MEMBER) == ["Pat"]
    assert window.status.text() == "All 1 matching entry shown."

    window.choose(flow_id=None)
    window.flow.setCurrentIndex(0)
    window.choose(member_id=world["owner"].member_id)
    settled(qtbot, window)
    assert set(column(window, MEMBER)) == {"Olivia"}
    assert "flow.create" not in column(window, ACTION)

    window.member.setCurrentIndex(0)
    window.choose(action="flow.create")
    settled(qtbot, window)
    assert column(window, ACTION) == ["flow.create", "flow.create"]
    assert column(window, FLOW) == ["Winback", "Welcome series"]

    window.action.setCurrentIndex(window.action.findData("member.*"))
    window.apply_filters()
    settled(qtbot, window)
    assert column(window, ACTION) == ["member.role"] + ["member.add"] * 4

    window.choose(flow_id=flows.list_flows()[0].id, action="settings.self_approval")
    settled(qtbot, window)
    assert column(window, ACTION) == []
    assert window.status.text() == "No entries match these filters."


def test_text_search_after_typing_pauses(qtbot, open_as) -> None:
    window = open_as("owner")
    qtbot.keyClicks(window.search, "winback")
    qtbot.waitUntil(lambda: column(window, ACTION) == ["flow.create"])
    window.search.clear()
    qtbot.keyClicks(window.search, "lee@example.com")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    settled(qtbot, window)
    assert column(window, ACTION) == ["member.role", "member.add"]


def test_a_long_log_loads_in_pages(qtbot, open_as, world) -> None:
    for number in range(60):
        flows.create_flow(world["editor"], f"Flow {number:02}")
    window = open_as("owner", page_size=10)
    total = 60 + 11  # the flows just made and the world's own entries
    shown = window.model.rowCount()  # pages until the table is full, not the whole log
    assert shown % 10 == 0 and 10 <= shown <= 30
    assert window.model.canFetchMore()
    assert window.status.text() == (
        f"Newest {shown} entries shown; older ones load as you scroll.")
    qtbot.mouseClick(window.more_button, Qt.MouseButton.LeftButton)
    settled(qtbot, window)
    assert window.model.rowCount() == shown + 10
    window.view.scrollToBottom()  # the view asks the model for the next page
    qtbot.waitUntil(lambda: window.model.rowCount() >= shown + 20)
    settled(qtbot, window)
    while window.model.canFetchMore():
        window.load_more()
        settled(qtbot, window)
    ids = [window.model.record_at(row).id for row in range(window.model.rowCount())]
    assert len(ids) == total and ids == sorted(ids, reverse=True) and len(set(ids)) == total
    assert window.status.text() == f"All {total} entries shown."
    assert not window.more_button.isEnabled()


def test_refresh_shows_new_entries_and_keeps_the_filters(qtbot, open_as, world) -> None:
    window = open_as("owner")
    window.choose(action="flow.create")
    settled(qtbot, window)
    created = flows.create_flow(world["publisher"], "Birthday")
    window.session.notify(SessionChange.for_flow(created.id))
    assert window.status.text().endswith("Refresh (F5) to see them.")
    assert column(window, FLOW)[0] == "Winback"  # the table stays where the member was
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    settled(qtbot, window)
    assert column(window, FLOW)[0] == "Birthday"
    assert set(column(window, ACTION)) == {"flow.create"}
    assert "Refresh" not in window.status.text()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_roles_without_the_permission_see_why_and_no_entries(open_as, role: str) -> None:
    window = open_as(role)
    assert window.model.rowCount() == 0
    assert window.reason.isVisibleTo(window)
    assert window.reason.text() == (f"Read only. Your role ({role.capitalize()}) does not "
                                    "allow you to view the audit log.")
    assert not window.search.isEnabled() and not window.flow.isEnabled()


def test_a_withdrawn_permission_is_shown_when_the_next_page_is_read(qtbot, open_as,
                                                                    world) -> None:
    for number in range(40):
        flows.create_flow(world["publisher"], f"Flow {number:02}")
    window = open_as("publisher", page_size=5)
    assert window.model.canFetchMore()
    before = window.model.rowCount()
    members.set_role(world["owner"], "pat@example.com", "editor")
    window.load_more()
    settled(qtbot, window)
    assert window.model.rowCount() == before  # what was read stays; nothing more
    assert "does not allow you to view the audit log" in window.reason.text()
    assert window.status.text() == f"{before} entries shown; no more can be read."
    assert not window.more_button.isEnabled()


def test_the_window_closes_when_the_member_signs_out(qtbot, open_as) -> None:
    window = open_as("owner")
    window.session.notify(SessionChange(members=True))  # other changes leave it open
    assert window.isVisible()
    window.session.sign_out()
    assert not window.isVisible()


def test_screenshot(qtbot, open_as, world, screenshots) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Theme(app).apply(dark=False)
    try:
        window = open_as("owner")
        window.resize(1000, 560)
        qtbot.waitExposed(window)
        window.view.selectRow(2)
        path = screenshots(window, "audit-log")
    finally:
        app.setStyleSheet("")
    assert path.stat().st_size > 10_000


def test_opening_the_log_for_one_flow(qtbot, prompts, world) -> None:
    from PySide6.QtWidgets import QWidget

    from flowbench.ui.admin import AdminWindows

    parent = QWidget()
    qtbot.addWidget(parent)
    session = AppSession()
    session.sign_in(world["owner"])
    welcome = next(f for f in flows.list_flows() if f.name == "Welcome series")
    window = AdminWindows(session, prompts, parent).open_audit_log(flow_id=welcome.id)
    assert window is not None
    settled(qtbot, window)
    assert window.flow.currentText() == "Welcome series"
    assert column(window, ACTION) == ["flow.rename", "flow.create"]
    window.close()
