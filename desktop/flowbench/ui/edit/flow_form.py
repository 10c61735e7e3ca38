"""The flow's own fields: name, description and the trigger (kind and its details)."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QWidget,
)

from flowbench.domain.definition import TRIGGER_LABELS, FlowDefinition, TriggerKind
from flowbench.domain.validation import Problem
from flowbench.ui.edit.field_marks import mark_field
from flowbench.ui.edit.flow_editor import FlowEditor
from flowbench.ui.edit.step_pages import compact, fill_combo, set_text
from flowbench.ui.kit.labels import label


class FlowForm(QWidget):
    def __init__(self, editor: FlowEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Flow name")
        self.name.setPlaceholderText("A name people recognise, e.g. Trial onboarding")
        self.name.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("Flow description")
        self.description.setPlaceholderText("What the flow is for (optional)")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.trigger_kind = QComboBox(self)
        self.trigger_kind.setAccessibleName("Trigger kind")
        for kind, words in TRIGGER_LABELS.items():
            self.trigger_kind.addItem(words, kind.value)
        self.event_name = QLineEdit(self)
        self.event_name.setAccessibleName("Trigger event name")
        self.event_name.setPlaceholderText("API event name, e.g. trial.started")
        self.segment = compact(QComboBox(self))
        self.segment.setEditable(True)
        self.segment.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.segment.setAccessibleName("Trigger segment")
        segment_text = self.segment.lineEdit()
        assert segment_text is not None
        segment_text.setPlaceholderText("Segment whose new members start the flow")
        # wrapped, else its one long line sets the row's width
        self.manual_note = label(self, "Members start the flow for the customers they choose.",
                                 wrap=True, muted=True)
        self.trigger_detail = QStackedWidget(self)
        for widget in (self.event_name, self.segment, self.manual_note):
            self.trigger_detail.addWidget(widget)
        self.fields: dict[str, QWidget] = {
            "name": self.name, "description": self.description,
            "trigger.kind": self.trigger_kind, "trigger.event": self.event_name,
            "trigger.segment": self.segment,
        }
        self._build_layout()
        self.name.textEdited.connect(editor.set_name)
        self.description.textChanged.connect(
            lambda: editor.set_description(self.description.toPlainText()))
        self.trigger_kind.activated.connect(
            lambda i: editor.set_trigger_kind(self.trigger_kind.itemData(i)))
        self.event_name.textEdited.connect(lambda text: editor.set_trigger_field("event", text))
        self.segment.currentTextChanged.connect(
            lambda text: editor.set_trigger_field("segment", text.strip()))

    def _build_layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for column, (text, buddy) in enumerate((("&Name:", self.name),
                                                ("Tr&igger:", self.trigger_kind))):
            caption = QLabel(text, self)
            caption.setBuddy(buddy)
            grid.addWidget(caption, 0, column * 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.trigger_kind, 0, 3)
        grid.addWidget(self.trigger_detail, 0, 4)
        description = QLabel("De&scription:", self)
        description.setBuddy(self.description)
        grid.addWidget(description, 1, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.description, 1, 1, 1, 4)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(4, 2)
        self.setTabOrder(self.name, self.trigger_kind)
        self.setTabOrder(self.trigger_kind, self.trigger_detail)
        self.setTabOrder(self.trigger_detail, self.description)

    def set_segments(self, segments: Collection[str]) -> None:
        current = self._editor.definition.trigger.segment
        self.segment.blockSignals(True)
        fill_combo(self.segment, [(name, name) for name in sorted(segments)], current,
                   "{}")
        self.segment.setEditText(current or "")
        self.segment.blockSignals(False)

    def refresh(self) -> None:
        definition: FlowDefinition = self._editor.definition
        set_text(self.name, self._editor.name)
        if not self.name.hasFocus():
            self.name.setCursorPosition(0)  # a long name shows its start, not its end
        set_text(self.description, definition.description)
        trigger = definition.trigger
        position = self.trigger_kind.findData(trigger.kind)
        if position < 0:
            self.trigger_kind.addItem(f"Unknown ({trigger.kind})", trigger.kind)
            position = self.trigger_kind.count() - 1
        self.trigger_kind.setCurrentIndex(position)
        set_text(self.event_name, trigger.event)
        if self.segment.currentText().strip() != (trigger.segment or ""):  # keep a typed space
            self.segment.blockSignals(True)
            self.segment.setEditText(trigger.segment or "")
            self.segment.blockSignals(False)
        details: dict[str, QWidget] = {TriggerKind.API_EVENT.value: self.event_name,
                                       TriggerKind.SEGMENT_ENTERED.value: self.segment}
        detail = details.get(trigger.kind, self.manual_note)
        self.trigger_detail.setCurrentWidget(detail)

    def set_read_only(self, read_only: bool) -> None:
        self.name.setReadOnly(read_only)
        self.description.setReadOnly(read_only)
        self.event_name.setReadOnly(read_only)
        self.trigger_kind.setEnabled(not read_only)
        self.segment.setEnabled(not read_only)

    def show_problems(self, problems: list[Problem]) -> None:
        for field, widget in self.fields.items():
            mark_field(widget, [p for p in problems if p.field == field])

    def focus_field(self, field: str) -> bool:
        widget = self.fields.get(field)
        if widget is None:
            return False
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
