"""The Audit Log window: who did what when, newest first, filtered by flow, member and
action and searched by text. Pages load as the table is scrolled (or with Load More);
the selected entry's details are shown below the table."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.domain.roles import Permission
from flowbench.services import audit_log
from flowbench.services.audit_log import AuditChoices, AuditFilter, AuditPage
from flowbench.ui.admin.audit_model import ACTION, FLOW, MEMBER, WHEN, AuditLogModel, local_time
from flowbench.ui.admin.common import why_not
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button, inline_error, stacked, text_label
from flowbench.ui.kit.tables import read_only_table
from flowbench.ui.session import AppSession, SessionChange

SEARCH_DELAY_MS = 300
ALL = None


class AuditLogWindow(QDialog):
    def __init__(self, session: AppSession, parent: QWidget | None = None,
                 page_size: int = audit_log.PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("auditLog")
        self.setWindowTitle("Audit Log")
        self.setWindowIcon(icon("flow-versions"))
        self.setModal(False)
        self.session, self.page_size = session, page_size
        self.newer = False  # entries were written after the log was read
        self.model = AuditLogModel(self)
        self.flow, self.member, self.action = (
            self._filter(f"Filter by {what}") for what in ("flow", "member", "action"))
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search the audit log")
        self.search.setPlaceholderText("Search what happened…")
        self.search.setClearButtonEnabled(True)
        self.refresh_button = button(self, "&Refresh", "Read the log again",
                                     tip="Show entries written since the log was read (F5)",
                                     clicked=self.refresh)
        self.view = read_only_table(self, self.model, object_name="auditTable",
                                    accessible_name="Audit log entries")
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column in (WHEN, MEMBER, ACTION, FLOW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.details = QPlainTextEdit(self)
        self.details.setAccessibleName("Details of the selected entry")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an entry to see its details.")
        self.status = text_label(self, name="Entries shown", look="subtle")
        self.more_button = button(self, "&Load More", "Load older entries",
                                  clicked=self.load_more)
        self.reason = inline_error(self, "Why the log is not shown")

        filters = QHBoxLayout()
        for label, widget in (("&Flow:", self.flow), ("&Member:", self.member),
                              ("&Action:", self.action)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.refresh_button)
        splitter = stacked(self, self.view, self.details, (4, 1))
        splitter.setSizes([400, 150])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.reason)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1000, 620)
        header.resizeSection(WHEN, 150)
        header.resizeSection(MEMBER, 140)
        header.resizeSection(ACTION, 150)
        header.resizeSection(FLOW, 180)  # "Payment failed reminder" reads whole

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.flow, self.member, self.action):
            combo.activated.connect(lambda _index: self.apply_filters())
        self.model.loaded.connect(self._update_status)
        self.model.failed.connect(lambda text: self._show_refusal(text, keep_rows=True))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)
        session.changed.connect(self._session_changed)
        self.refresh()

    def _filter(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(12)
        combo.setMaximumWidth(220)  # "Name <long@address>" would squeeze the search field;
        # the open list still shows every choice whole
        return combo

    # --- filters ------------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        return AuditFilter(flow_id=self.flow.currentData(), member_id=self.member.currentData(),
                           action=self.action.currentData(), text=self.search.text())

    def refresh(self) -> None:
        """Read the filter choices and the newest entries again, keeping the filters."""
        reason = why_not(self.session, Permission.VIEW_AUDIT)
        if reason:
            self._show_refusal(reason)
            return
        actor = self.session.actor
        assert actor is not None
        try:
            choices = audit_log.audit_choices(actor)
        except FlowbenchError as error:
            self._show_refusal(str(error))
            return
        for widget in (self.flow, self.member, self.action, self.search):
            widget.setEnabled(True)
        self._fill_choices(choices)
        self.apply_filters()

    def _fill_choices(self, choices: AuditChoices) -> None:
        def fill(combo: QComboBox, everything: str, items: Sequence[tuple[object, str]]) -> None:
            keep = combo.currentData()
            combo.clear()
            combo.addItem(everything, ALL)
            for data, text in items:
                combo.addItem(text, data)
            index = combo.findData(keep)
            combo.setCurrentIndex(index if index >= 0 else 0)

        fill(self.flow, "All flows", [(flow_id, name) for flow_id, name in choices.flows])
        fill(self.member, "All members", [(member_id, label)
                                          for member_id, label in choices.members])
        fill(self.action, "All actions",
             [(family, f"{family[:-2]} (all)") for family in choices.families]
             + [(action, action) for action in choices.actions])

    def choose(self, *, flow_id: int | None = None, member_id: int | None = None,
               action: str | None = None, text: str | None = None) -> None:
        """Set filters as a member would pick them, then show what matches."""
        for combo, value in ((self.flow, flow_id), (self.member, member_id),
                             (self.action, action)):
            if value is not None:
                index = combo.findData(value)
                if index < 0:
                    raise LookupError(f"{combo.accessibleName()}: no choice {value!r}")
                combo.setCurrentIndex(index)
        if text is not None:
            self.search.setText(text)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        actor = self.session.actor
        if actor is None or not actor.can(Permission.VIEW_AUDIT):
            self.model.set_source(None)
            return
        chosen, size = self.current_filter(), self.page_size

        def page(before: int | None) -> AuditPage:
            return audit_log.read_audit(actor, chosen, before_id=before, limit=size)

        self.reason.hide()
        self.details.clear()
        self.newer = False
        self.model.set_source(page)
        self._update_status()

    def load_more(self) -> None:
        self.model.fetchMore()
        self._update_status()

    # --- showing --------------------------------------------------------------------------------
    def _update_status(self) -> None:
        shown = self.model.rowCount()
        if shown and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)  # the newest entry, with its details
        filtered = not self.current_filter().is_empty
        what = "matching entr" if filtered else "entr"
        what += "y" if shown == 1 else "ies"
        if self.model.loading:
            text = (f"{shown:,} {what} shown; reading older ones…" if shown
                    else "Reading the audit log…")
        elif not self.reason.isHidden():
            text = f"{shown:,} {what} shown; no more can be read." if shown else ""
        elif shown == 0:
            text = ("No entries match these filters." if filtered
                    else "The audit log is empty.")
        elif self.model.has_more:
            text = f"Newest {shown:,} {what} shown; older ones load as you scroll."
        else:
            text = f"All {shown:,} {what} shown."
        if self.newer:
            text += " Newer entries were written since: Refresh (F5) to see them."
        self.status.setText(text)
        self.more_button.setEnabled(self.model.canFetchMore())

    def _show_refusal(self, text: str, keep_rows: bool = False) -> None:
        """Why the log cannot be read; rows already read stay when ``keep_rows``."""
        self.reason.setText(text)
        self.reason.show()
        if not keep_rows:
            self.model.set_source(None)
        self._update_status()
        for widget in (self.flow, self.member, self.action, self.search, self.more_button):
            widget.setEnabled(False)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        record = self.model.record_at(rows[0].row()) if rows else None
        if record is None:
            self.details.clear()
            return
        when = local_time(record.at)
        utc = f"{record.at:%Y-%m-%d %H:%M:%S}"
        lines = [record.summary, "",
                 f"When:    {when}" + ("  (UTC)" if when == utc else f"  ({utc} UTC)"),
                 f"Member:  {record.who}", f"Action:  {record.action}"]
        if record.flow_id is not None:
            lines.append(f"Flow:    {record.flow_name or '(deleted)'}")
        if record.details:
            lines.append("")
            for key, value in sorted(record.details.items()):
                shown = value if isinstance(value, str) else json.dumps(value,
                                                                        ensure_ascii=False)
                lines.append(f"{key}: {shown}")
        self.details.setPlainText("\n".join(lines))

    def _session_changed(self, change: SessionChange) -> None:
        if change.session and not self.session.signed_in:
            self.close()
        elif change.session:
            self.refresh()
        else:
            # whatever changed wrote audit entries; reading them now would lose the
            # member's place in the table, so say so and let them refresh
            self.newer = True
            self._update_status()


def open_audit_window(session: AppSession, parent: QWidget | None) -> AuditLogWindow:
    window = AuditLogWindow(session, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
