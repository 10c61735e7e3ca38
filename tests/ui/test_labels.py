"""Labels say what they show. Every screen of the sample workspace (each flow on each tab,
the flow list, the Runtime, Members and Settings, the Audit Log) is walked: each table
heading must have a rule below saying what its cells mean, and every row must keep it;
empty-state texts must show exactly when there is nothing; the Publish tab's table of
versions with running instances or open cards lists just those, the live one marked."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QListView,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from flowbench.services import sample
from flowbench.store.connection import close_workspace
from flowbench.ui.publish.publish_tab import PREVIOUS_HEADING

pytestmark = [pytest.mark.ui, pytest.mark.slow]

Row = dict[str, str]
NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$")
WHEN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$")
VERSION = re.compile(r"^Version \d+$")
NOTHING = "—"


def published(row: Row, column: str) -> bool:
    """'Published' and 'Published by' are filled exactly for published versions."""
    return (row[column] == NOTHING) == (row["Status"] == "Draft")


def counts(_row: Row, value: str) -> bool:
    return bool(NUMBER.match(value))


# (table, heading) -> what every cell under the heading must be. A heading with no rule
# fails the walk: say what its rows mean before adding it.
RULES: dict[tuple[str, str], Callable[[Row, str], bool]] = {
    ("Flows", "Name"): lambda _r, v: bool(v.strip()),
    ("Flows", "Live"): lambda _r, v: v == NOTHING or bool(re.match(r"^v\d+$", v)),
    ("Flows", "Draft"): lambda _r, v: v == NOTHING or bool(re.match(r"^v\d+$", v)),
    # a flow without a draft has nothing to approve
    ("Flows", "Approval"): lambda r, v: (v == NOTHING) == (r["Draft"] == NOTHING)
    or (r["Draft"] != NOTHING and v == NOTHING),
    ("Versions of the flow", "Version"): lambda _r, v: bool(VERSION.match(v)),
    ("Versions of the flow", "Status"): lambda _r, v: v in {"Draft", "Live", "Previous"},
    ("Versions of the flow", "Created by"): lambda _r, v: bool(v.strip()) and v != NOTHING,
    ("Versions of the flow", "Created"): lambda _r, v: bool(WHEN.match(v)),
    ("Versions of the flow", "Published by"): lambda r, _v: published(r, "Published by"),
    ("Versions of the flow", "Published"): lambda r, v: published(r, "Published")
    and (v == NOTHING or bool(WHEN.match(v))),
    ("Kept revisions of the draft", "Revision"):
        lambda _r, v: bool(re.match(r"^Revision \d+( \(current\))?$", v)),
    ("Kept revisions of the draft", "Saved by"): lambda _r, v: bool(v.strip()),
    ("Kept revisions of the draft", "Saved"): lambda _r, v: bool(WHEN.match(v)),
    ("Kept revisions of the draft", "Content"):
        lambda _r, v: bool(re.match(r"^[0-9a-f]{12}$", v)),
    ("Problems", "Problem"): lambda _r, v: v.endswith("."),
    ("Problems", "Where"): lambda _r, v: bool(v.strip()),
    ("Card buttons", "Label"): lambda _r, v: bool(v.strip()),
    ("Card buttons", "Action"): lambda _r, v: v in {"submit", "dismiss", "link"},
    # only a link button has a link
    ("Card buttons", "Link URL"): lambda r, v: (v.startswith("https://")
                                                if r["Action"] == "link" else v == NOTHING),
    ("Customers", "Customer"): lambda _r, v: bool(v.strip()),
    ("Customers", "Test"): lambda _r, v: v in {"", "Test"},
    ("Customers", "Attributes"): lambda _r, v: all("=" in part for part in v.split("  ") if v),
    ("Customers", "Segments"): lambda _r, v: True,  # checked against the Segments page
    ("Attributes of the customer", "Attribute"): lambda _r, v: bool(v.strip()),
    ("Attributes of the customer", "Value"): lambda _r, v: True,
    ("Segments", "Segment"): lambda _r, v: bool(v.strip()),
    ("Segments", "Customers"): counts,
    ("Segments", "Test accounts"): counts,
    ("Segments", "Rule"): lambda _r, v: bool(v.strip()),
    ("Members", "Name"): lambda _r, v: bool(v.strip()),
    ("Members", "Email"): lambda _r, v: "@" in v,
    ("Members", "Role"): lambda _r, v: v in {"Owner", "Admin", "Publisher", "Editor",
                                              "Viewer"},
    ("Members", "Status"): lambda _r, v: v in {"Active", "Deactivated"},
    ("Members", "Approval groups"): lambda _r, v: v == NOTHING or bool(v.strip()),
    ("Audit log entries", "When"): lambda _r, v: bool(WHEN.match(v)),
    ("Audit log entries", "Member"): lambda _r, v: bool(v.strip()),
    ("Audit log entries", "Action"): lambda _r, v: bool(re.match(r"^[a-z_]+(\.[a-z_]+)+$", v)),
    ("Audit log entries", "Flow"): lambda _r, v: bool(v.strip()),
    ("Audit log entries", "What happened"): lambda _r, v: bool(v.strip()),
}
ACTIVITY = "Instances and cards per version and status"
for _heading in ("Instances running", "Instances completed", "Instances cancelled",
                 "Cards active", "Cards snoozed", "Cards dismissed", "Cards acted",
                 "Cards expired", "Cards cancelled"):
    RULES[(ACTIVITY, _heading)] = counts
RULES[(ACTIVITY, "Version")] = lambda _r, v: bool(VERSION.match(v)) or v == "All versions"
RULES[(ACTIVITY, "Status")] = lambda r, v: v in {"Draft", "Live", "Previous"} or (
    r["Version"] == "All versions")


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()
        QThreadPool.globalInstance().waitForDone(200)


def header_of(view: QAbstractItemView) -> QHeaderView | None:
    if isinstance(view, QTableView):
        return view.horizontalHeader()
    if isinstance(view, QTreeView):
        return view.header()
    return None  # a list: no headings


def table_rows(view: QAbstractItemView) -> tuple[str, list[str], list[Row]]:
    model = view.model()
    header = header_of(view)
    assert header is not None
    columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
    headings = [" ".join(str(model.headerData(c, Qt.Orientation.Horizontal)).split())
                for c in columns]
    rows = [{heading: str(model.index(r, c).data() or "")
             for heading, c in zip(headings, columns, strict=True)}
            for r in range(model.rowCount())]
    return view.accessibleName(), headings, rows


class Walk:
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], int] = {}
        self.broken: list[str] = []

    def screen(self, root: QWidget, where: str) -> None:
        for view in root.findChildren(QAbstractItemView):
            header = header_of(view)
            if (header is None or isinstance(view, QHeaderView) or not view.isVisibleTo(root)
                    or header.isHidden()):
                continue
            table, headings, rows = table_rows(view)
            for heading in headings:
                rule = RULES.get((table, heading))
                self.seen[(table, heading)] = self.seen.get((table, heading), 0) + len(rows)
                if rule is None:
                    self.broken.append(f"{where}: no rule says what “{heading}” of "
                                       f"“{table}” holds")
                    continue
                for row in rows:
                    if not rule(row, row[heading]):
                        self.broken.append(f"{where}: “{table}” row {row} does not fit "
                                           f"the heading “{heading}”")


class TableText(HTMLParser):
    """The cells of the rich-text tables the Publish tab shows."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def check_publish_tab(tab: Any, where: str) -> list[str]:
    """The versions table lists versions with running instances or open cards, the live
    one marked "(live)"; its empty text shows exactly when there is none."""
    problems = []
    plan = tab.plan
    if plan is None:
        return problems
    heading = tab.previous_heading.text()
    if heading != PREVIOUS_HEADING or "earlier" in heading.lower():
        problems.append(f"{where}: the versions heading says “{heading}”")
    parsed = TableText()
    parsed.feed(tab.previous.text())
    body = [row for row in parsed.rows if row and VERSION.match(row[0].split(" (")[0])]
    if not plan.previous_versions:
        if body or not tab.previous.text().count("No published version has running"):
            problems.append(f"{where}: the empty text and the rows disagree")
        return problems
    if parsed.rows[0] != ["Version", "Running instances", "Open cards"]:
        problems.append(f"{where}: the columns are {parsed.rows[0]}")
    for cells in body:
        number = int(cells[0].split()[1])
        running, cards = (int(c.replace(",", "")) for c in cells[1:3])
        if not (running or cards):
            problems.append(f"{where}: {cells[0]} has neither running instances nor cards")
        if cells[0].endswith("(live)") != (number == plan.live_version):
            problems.append(f"{where}: “{cells[0]}” but the live version is "
                            f"{plan.live_version}")
    return problems


def empty_states(window: Any, where: str) -> list[str]:
    """Texts that say "nothing here" must show exactly when there is nothing."""
    problems = []
    flow_list = window.flow_list
    if (flow_list.count.text() == "No flows yet") != (flow_list.model.rowCount() == 0):
        problems.append(f"{where}: the flow list says “{flow_list.count.text()}”")
    edit = window.edit_tab
    steps = edit.editor.definition.steps if edit.current_flow() is not None else ()
    heading = edit.step_form.heading.text()
    if (heading == "No steps yet") != (edit.current_flow() is not None and not steps):
        problems.append(f"{where}: the step form says “{heading}”")
    return problems


def test_every_heading_and_empty_text_says_what_its_rows_are(
        qtbot: QtBot, shell: Any, tmp_path: Path) -> None:
    path = tmp_path / "sample.flowbench"
    sample.open_sample_workspace(path)
    close_workspace()
    shell.start(path)
    shell.sign_in("olivia@northwind.example", "sample-owner")
    window = shell.window
    walk, problems = Walk(), []

    shell.prompts.texts.append("Brand new flow")  # and one flow with nothing yet
    window.new_flow()
    settle()
    walk.screen(window.flow_list, "flow list")
    for summary in window.flow_list.model.flows():
        window.choose_flow(summary.id)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            settle()
            where = f"{summary.name} / {window.tabs.tabText(index).replace('&', '')}"
            walk.screen(window.tabs.currentWidget(), where)
            problems += empty_states(window, where)
            if window.tabs.currentWidget() is window.publish_tab:
                problems += check_publish_tab(window.publish_tab, where)

    runtime = window.show_runtime(0)
    tabs = runtime.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        settle()
        walk.screen(tabs.currentWidget(), f"Runtime / {tabs.tabText(index)}")
    tabs.setCurrentIndex(0)
    customers = [v for v in runtime.findChildren(QTableView) if v.accessibleName() ==
                 "Customers"][0]
    customers.selectRow(0)  # a customer's attributes and cards
    settle()
    walk.screen(tabs.currentWidget(), "Runtime / a customer")
    members = window.admin.open_members()
    member_tabs = members.findChild(QTabWidget)
    for index in range(member_tabs.count()):
        member_tabs.setCurrentIndex(index)
        settle()
        walk.screen(member_tabs.currentWidget(), f"Members / {member_tabs.tabText(index)}")
    audit = window.admin.open_audit_log()
    entries = [v for v in audit.findChildren(QTableView)
               if v.accessibleName() == "Audit log entries"][0]
    qtbot.waitUntil(lambda: entries.model().rowCount() > 0, timeout=20_000)  # read off-thread
    walk.screen(audit, "Audit Log")

    # rows agree across screens: the test accounts are the customers marked Test
    _, _, rows = table_rows(customers)
    settings_list = [v for v in members.findChildren(QListView)
                     if v.accessibleName() == "Test accounts"][0]
    test_accounts = {settings_list.model().index(r, 0).data()
                     for r in range(settings_list.model().rowCount(QModelIndex()))}
    marked = {row["Customer"] for row in rows if row["Test"] == "Test"}
    assert marked and marked <= test_accounts, (marked, test_accounts)

    assert walk.broken + problems == []
    walked = {table for table, _ in walk.seen}
    assert {"Flows", "Versions of the flow", ACTIVITY, "Problems", "Card buttons",
            "Customers", "Segments", "Members", "Audit log entries"} <= walked
    only_empty = [key for key, count in walk.seen.items() if not count]
    assert only_empty == [], "walked, but never with a row to check"
    for label in window.findChildren(QLabel):
        assert "still running" not in label.text().lower() or "Earlier" not in label.text()
