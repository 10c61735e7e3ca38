"""One form page per step kind. Pages are built once and refilled when the step changes.

A page shows a step, sends each edit through ``edit(field, value)`` (bound by the step
form to the shown step), and knows which widget stands for which validation field, so
problems can be marked on it and a click in the problems list can focus it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.definition import (
    AwaitedCardAction,
    FlowDefinition,
    Step,
    StepKind,
    condition_to_dict,
)
from flowbench.domain.validation import Problem
from flowbench.ui.edit.buttons_editor import ButtonsEditor
from flowbench.ui.edit.duration_edit import DurationEdit
from flowbench.ui.edit.field_marks import mark_field
from flowbench.ui.edit.step_style import card_name
from flowbench.ui.kit.labels import label
from flowbench.ui.runtime.rule_editor import RuleEditor

Edit = Callable[[str, Any], None]
ACTION_WORDS = {
    AwaitedCardAction.ANY.value: "Any action (or expiry / cancellation)",
    AwaitedCardAction.SUBMITTED.value: "Submitted",
    AwaitedCardAction.DISMISSED.value: "Dismissed",
    AwaitedCardAction.CANCELLED.value: "Cancelled",
    AwaitedCardAction.EXPIRED.value: "Expired",
}


def fill_combo(combo: QComboBox, items: list[tuple[str, str | None]],
               current: str | None, missing: str = "{} (not available here)") -> None:
    """Replace the items (text, value) only if they changed; select ``current``."""
    if current is not None and all(value != current for _, value in items):
        items = [*items, (missing.format(current), current)]
    existing = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    if existing != items:
        combo.blockSignals(True)
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        combo.blockSignals(False)
    position = next((i for i, (_, value) in enumerate(items) if value == current), -1)
    if combo.currentIndex() != position:
        combo.blockSignals(True)
        combo.setCurrentIndex(position)
        combo.blockSignals(False)


def compact(combo: QComboBox) -> QComboBox:
    """Long step titles must not make the whole form wide: elide instead."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


def set_text(widget: QLineEdit | QPlainTextEdit, value: str | None) -> None:
    """Show a value without disturbing the cursor when it is already shown."""
    text = value or ""
    if isinstance(widget, QLineEdit):
        if widget.text() != text:
            widget.setText(text)
    elif widget.toPlainText() != text:
        widget.blockSignals(True)
        widget.setPlainText(text)
        widget.blockSignals(False)


class StepPage(QWidget):
    """Base: a form layout, the field → widget map and the edit callback."""

    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self.fields: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

    def add_row(self, label: str, field: str, widget: QWidget, focus: QWidget | None = None,
                ) -> None:
        caption = QLabel(label, self)
        caption.setBuddy(focus or widget)
        self.form.addRow(caption, widget)
        self.fields[field] = widget

    def title_edit(self, what: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(f"{what} title")
        edit.setPlaceholderText(f"What the {what.lower()} says first")
        edit.textEdited.connect(lambda text: self._edit("title", text))
        return edit

    def body_edit(self, what: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setAccessibleName(f"{what} text")
        edit.setPlaceholderText(f"The {what.lower()}'s message")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 14)
        edit.textChanged.connect(lambda: self._edit("body", edit.toPlainText()))
        return edit

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit | QSpinBox):
                widget.setReadOnly(read_only)
            elif isinstance(widget, DurationEdit | ButtonsEditor):
                widget.set_read_only(read_only)
            elif isinstance(widget, QComboBox):
                widget.setEnabled(not read_only)
            elif isinstance(widget, RuleEditor):
                widget.set_read_only(read_only)

    def show_problems(self, problems: list[Problem]) -> None:
        for field, widget in self.fields.items():
            if isinstance(widget, ButtonsEditor):
                widget.show_problems([p for p in problems if p.field.startswith("buttons")])
            elif isinstance(widget, RuleEditor):
                mark_field(widget.table, [p for p in problems
                                          if p.field.startswith("conditions")])
            else:
                target = widget.line_edit if isinstance(widget, DurationEdit) else widget
                mark_field(target, [p for p in problems if p.field == field])

    def widget_for(self, field: str) -> QWidget | None:
        for prefix in ("buttons", "conditions"):
            if field.startswith(prefix):
                return self.fields.get(prefix)
        return self.fields.get(field)

    def focus_field(self, field: str) -> bool:
        widget = self.widget_for(field)
        if widget is None:
            return False
        if isinstance(widget, ButtonsEditor):
            widget.focus_cell(field)
        else:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


class CardPage(StepPage):
    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(edit, parent)
        self.title = self.title_edit("Card")
        self.body = self.body_edit("Card")
        self.buttons = ButtonsEditor(self)
        self.buttons.model.buttons_edited.connect(lambda buttons: self._edit("buttons",
                                                                             buttons))
        self.expiry = DurationEdit("Card expiry", optional=True, parent=self)
        self.expiry.edited.connect(lambda value: self._edit("expires_after", value))
        self.priority = QSpinBox(self)
        self.priority.setRange(1, 10)
        self.priority.setAccessibleName("Card priority")
        self.priority.setToolTip("1 is the lowest priority, 10 the highest.")
        self.priority.valueChanged.connect(lambda value: self._edit("priority", value))
        self.add_row("&Title:", "title", self.title)
        self.add_row("&Body:", "body", self.body)
        self.add_row("B&uttons:", "buttons", self.buttons, self.buttons.table)
        self.add_row("E&xpires after:", "expires_after", self.expiry, self.expiry.line_edit)
        self.add_row("Pri&ority:", "priority", self.priority)

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        set_text(self.title, step.title)
        set_text(self.body, step.body)
        self.buttons.model.set_buttons(step.buttons)
        self.expiry.set_value(step.expires_after)
        if self.priority.value() != (step.priority or 5):
            self.priority.blockSignals(True)
            self.priority.setValue(step.priority or 5)
            self.priority.blockSignals(False)


class PushPage(StepPage):
    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(edit, parent)
        self.title = self.title_edit("Push")
        self.body = self.body_edit("Push")
        self.card = compact(QComboBox(self))
        self.card.setAccessibleName("Card the push links to")
        self.card.setToolTip("Tapping the notification opens this card (optional).")
        self.card.activated.connect(lambda i: self._edit("card", self.card.itemData(i)))
        self.add_row("&Title:", "title", self.title)
        self.add_row("&Body:", "body", self.body)
        self.add_row("Links to &card:", "card", self.card)

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        set_text(self.title, step.title)
        set_text(self.body, step.body)
        cards: list[tuple[str, str | None]] = [
            (f"{card_name(definition, s.id)} ({s.id})", s.id) for s in definition.steps
            if s.kind == StepKind.SEND_CARD]
        fill_combo(self.card, [("No card", None), *cards], step.card,
                   "{} (not a card step)")


class WaitPage(StepPage):
    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(edit, parent)
        self.duration = DurationEdit("Wait duration", optional=False, parent=self)
        self.duration.edited.connect(lambda value: self._edit("duration", value or None))
        self.add_row("Wai&t for:", "duration", self.duration, self.duration.line_edit)

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        self.duration.set_value(step.duration)


class CardActionPage(StepPage):
    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(edit, parent)
        self.card = compact(QComboBox(self))
        self.card.setAccessibleName("Card to wait for")
        self.card.setToolTip("Only cards sent by a step before this one can be waited for.")
        self.card.activated.connect(lambda i: self._edit("card", self.card.itemData(i)))
        self.action = compact(QComboBox(self))
        self.action.setAccessibleName("Card action to wait for")
        self.action.activated.connect(lambda i: self._edit("action", self.action.itemData(i)))
        self.timeout = DurationEdit("Wait timeout", optional=True, parent=self)
        self.timeout.edited.connect(lambda value: self._edit("timeout", value))
        self.add_row("&Card:", "card", self.card)
        self.add_row("&Until it is:", "action", self.action)
        self.add_row("&Give up after:", "timeout", self.timeout, self.timeout.line_edit)

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        cards: list[tuple[str, str | None]] = [
            (f"{card_name(definition, s.id)} ({s.id})", s.id)
            for s in reversed(definition.ancestors(step.id)) if s.kind == StepKind.SEND_CARD]
        if not cards and step.card is None:
            cards = [("No card step comes before this one", None)]
        fill_combo(self.card, cards, step.card, "{} (not a card before this step)")
        actions: list[tuple[str, str | None]] = [(text, value)
                                                 for value, text in ACTION_WORDS.items()]
        fill_combo(self.action, actions, step.action, "{} (unknown)")
        self.timeout.set_value(step.timeout)


class SplitPage(StepPage):
    """A decision split: its rule, edited with the segments' rule editor."""

    def __init__(self, edit: Edit, parent: QWidget | None = None) -> None:
        super().__init__(edit, parent)
        self.rule = RuleEditor("Customers", self, mnemonics=False)
        self.rule.setAccessibleName("Decision rule")
        self.rule.rule_edited.connect(lambda match, conditions: self._edit(
            "rule", (match, conditions)))
        explain = label(self, "When a customer reaches this step, the steps on its “yes” "
                        "path run if they match, those on its “no” path if they do not "
                        "(their attributes at that moment).", wrap=True, muted=True)
        self.form.addRow(explain)
        self.form.addRow(self.rule)
        self.fields["conditions"] = self.rule
        self.fields["match"] = self.rule.match

    def show_step(self, step: Step, definition: FlowDefinition) -> None:
        self.rule.set_rule(step.match or "all",
                           [condition_to_dict(c) for c in step.conditions])


PAGE_TYPES: dict[str, type[StepPage]] = {
    StepKind.SEND_CARD.value: CardPage,
    StepKind.SEND_PUSH.value: PushPage,
    StepKind.WAIT_DURATION.value: WaitPage,
    StepKind.WAIT_CARD_ACTION.value: CardActionPage,
    StepKind.SPLIT.value: SplitPage,
}
