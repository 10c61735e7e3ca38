"""Segments: each with its rule and how many customers are in it now (read from the
tallies the database keeps, so the counts are live whatever the number of customers);
create, edit and delete segments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QVBoxLayout, QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services.context import Actor
from flowbench.services.runtime import segments as runtime_segments
from flowbench.services.runtime.segments import SegmentImported, SegmentInfo
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.icons import icon
from flowbench.ui.kit.forms import button, button_row, text_label
from flowbench.ui.kit.tables import headed_table
from flowbench.ui.runtime.rehearsal import RuntimePage, rehearsal_refusal, run_rehearsal
from flowbench.ui.runtime.segment_editor import SegmentEditor, describe_rule
from flowbench.ui.session import AppSession
from flowbench.ui.tasks import TaskControl

NAME, MEMBERS, TEST_MEMBERS, RULE = range(4)
HEADERS = ("Segment", "Customers", "Test accounts", "Rule")


class SegmentsPage(RuntimePage):
    def __init__(self, session: AppSession, prompts: Prompts,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, prompts, parent)
        self.segments: list[SegmentInfo] = []
        self.editor: SegmentEditor | None = None
        self.table = headed_table(self, HEADERS, object_name="segmentTable",
                                  accessible_name="Segments", stretch=RULE)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.resizeSection(NAME, 180)
        header.resizeSection(MEMBERS, 100)
        header.resizeSection(TEST_MEMBERS, 110)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_segment())
        self.new_button = button(self, "&New Segment…", "New segment", icon=icon("new-flow"),
                                 tip="Define a segment by rules on customer attributes",
                                 clicked=self.new_segment)
        self.edit_button = button(self, "&Edit Rules…", "Edit the segment's rules",
                                  icon=icon("flow-edit"),
                                  tip="Change the selected segment's rules",
                                  clicked=self.edit_segment)
        self.delete_button = button(self, "&Delete", "Delete the segment",
                                    tip="Delete the selected segment (not while a live "
                                    "flow starts on it)", clicked=self.delete_segment)
        self.result = text_label(self, name="Outcome", wrap=True)
        intro = text_label(self, "Customers enter and leave a segment as their attributes "
                           "change; entering one starts the live flows triggered by it. "
                           "Counts leave test accounts out (shown apart).", wrap=True,
                           hint=True)
        buttons = button_row(self.new_button, self.edit_button, self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)

    # --- showing ----------------------------------------------------------------------------
    def reload(self) -> None:
        selected = self.current_segment()
        try:
            self.segments = runtime_segments.list_segments()
        except FlowbenchError as error:
            self.result.setText(str(error))
            return
        self.table.setRowCount(len(self.segments))
        for row, info in enumerate(self.segments):
            cells = (info.name, f"{info.members:,}", f"{info.test_members:,}",
                     describe_rule(info.match, info.conditions))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (MEMBERS, TEST_MEMBERS):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == RULE:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        kept = selected is not None and self.select_segment(selected.name)
        if not kept and self.segments:
            self.table.selectRow(0)  # what the focus frame shows is what Edit edits
        if not self.segments:
            self.result.setText("No segments yet: New Segment… defines one.")
        self._update_buttons()

    def current_segment(self) -> SegmentInfo | None:
        row = self.table.currentRow()
        selected = self.table.selectionModel().hasSelection()
        return self.segments[row] if selected and 0 <= row < len(self.segments) else None

    def select_segment(self, name: str) -> bool:
        for row, info in enumerate(self.segments):
            if info.name == name:
                self.table.selectRow(row)
                return True
        return False

    def members_of(self, name: str) -> int | None:
        return next((info.members for info in self.segments if info.name == name), None)

    def update_permissions(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        reason = rehearsal_refusal(self.session, "change segments")
        self.gate([self.new_button], reason)
        self.gate([self.edit_button, self.delete_button],
                  reason or (None if self.current_segment() else "Select a segment first."))

    # --- changing -----------------------------------------------------------------------------
    def new_segment(self) -> SegmentEditor | None:
        return self._open_editor(None)

    def edit_segment(self) -> SegmentEditor | None:
        segment = self.current_segment()
        return self._open_editor(segment) if segment is not None else None

    def _open_editor(self, segment: SegmentInfo | None) -> SegmentEditor | None:
        if rehearsal_refusal(self.session) is not None:
            return None
        if self.editor is not None:
            self.editor.close()
        editor = SegmentEditor(segment, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.save_requested.connect(self._save)
        editor.destroyed.connect(lambda _obj=None: self._forget(editor))
        self.editor = editor
        editor.open()
        return editor

    def _forget(self, editor: SegmentEditor) -> None:
        if self.editor is editor:
            self.editor = None

    def _save(self, name: str, match: str, conditions: list[dict[str, Any]],
              new: bool) -> None:
        editor = self.editor
        if editor is None or (self.task is not None and self.task.running):
            return
        editor.set_busy(True)

        def work(actor: Actor, _control: TaskControl) -> SegmentImported:
            return runtime_segments.save_segment(actor, name, match, conditions, new=new)

        def saved(result: Any) -> None:
            if self.editor is editor:  # not closed meanwhile
                editor.set_busy(False)
                editor.accept()
            self._done(result.describe())
            self.select_segment(result.name)

        def refused(text: str) -> None:
            if self.editor is editor:
                editor.set_busy(False)
                editor.show_error(text)
            else:
                self.prompts.error(self, "Segment not saved", text)

        self.task = run_rehearsal(self, self.prompts, "Saving the segment", work, saved,
                                  self.session.actor, on_error=refused)

    def delete_segment(self) -> None:
        segment, actor = self.current_segment(), self.session.actor
        if segment is None or actor is None or rehearsal_refusal(self.session) is not None:
            return
        if not self.prompts.confirm(
                self, "Delete Segment", f"Delete the segment “{segment.name}”? Its "
                f"{segment.members:,} customer{'' if segment.members == 1 else 's'} stay"
                f"{'s' if segment.members == 1 else ''}; only the segment goes."):
            return
        if self.task is not None and self.task.running:
            return
        name = segment.name

        def work(actor: Actor, _control: TaskControl) -> int:
            return runtime_segments.delete_segment(actor, name)

        self.task = run_rehearsal(
            self, self.prompts, "Deleting the segment", work,
            lambda members: self._done(f"Deleted the segment “{name}” ({members:,} "
                                       "members)."),
            actor, "Segment not deleted")

    def _done(self, text: str) -> None:
        self.reload()
        self.result.setText(text)
        self.message.emit(text)
        self.runtime_moved()
