"""Compare two versions of a flow (or a version and the draft) side by side.

Two choosers pick the versions; the tree shows the trigger and every step aligned by id
— what each side's step does, and under a changed step each changed field with its two
values. Changed fields and steps are marked (●, bold, tinted), steps only the newer side
has with +, steps only the older side has with −. The comparison itself is the
service's (``services/version_compare.py``); this only shows it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.changes import describe_step, describe_trigger, value_words
from flowbench.domain.comparison import FieldDiff, StepDiff, StepState
from flowbench.domain.definition import Step, Trigger
from flowbench.domain.errors import FlowbenchError
from flowbench.domain.versions import VersionInfo, VersionStatus
from flowbench.services.version_compare import VersionComparison, compare_versions
from flowbench.ui.kit.labels import note
from flowbench.ui.kit.layouts import name_window

TINTS = {False: {StepState.CHANGED: "#FFF4D6", StepState.ADDED: "#E6F4EA",
                 StepState.REMOVED: "#FDECEA"},
         True: {StepState.CHANGED: "#3a3220", StepState.ADDED: "#1f3527",
                StepState.REMOVED: "#3d2221"}}
MARKS = {StepState.SAME: "", StepState.CHANGED: "● ", StepState.ADDED: "+ ",
         StepState.REMOVED: "− "}
STATE_WORDS = {StepState.SAME: "same", StepState.CHANGED: "changed",
               StepState.ADDED: "added", StepState.REMOVED: "removed"}


def version_choice(info: VersionInfo) -> str:
    status = {VersionStatus.DRAFT: " (draft)", VersionStatus.LIVE: " (live)"}.get(
        info.status, "")
    return f"Version {info.number}{status}"


def _trigger_words(fields: dict[str, object]) -> str:
    return describe_trigger(Trigger.from_dict(fields)) if fields.get("kind") else "—"


def _in_words(side: object) -> str:
    return describe_step(Step.from_dict(side)) if isinstance(side, dict) else "—"


class VersionCompareDialog(QDialog):
    def __init__(self, flow_id: int, flow_name: str, versions: list[VersionInfo],
                 first: int, second: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_window(self, "versionCompareDialog", f"Compare versions of “{flow_name}”",
                    "Compare two versions", (860, 560))
        self.flow_id = flow_id
        self.comparison: VersionComparison | None = None
        ordered = sorted(versions, key=lambda v: v.number)
        self.before_choice, self.after_choice = QComboBox(self), QComboBox(self)
        self.before_choice.setAccessibleName("Compare from version")
        self.after_choice.setAccessibleName("Compare with version")
        for box, chosen in ((self.before_choice, first), (self.after_choice, second)):
            for info in ordered:
                box.addItem(version_choice(info), info.number)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.currentIndexChanged.connect(lambda _index: self.refresh())
        self.summary = note(self, "How many steps differ")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("versionComparison")
        self.tree.setAccessibleName("The two versions side by side")
        self.tree.setColumnCount(3)
        self.tree.setAlternatingRowColors(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        choosers = QHBoxLayout()
        choosers.addWidget(QLabel("Compare", self))
        choosers.addWidget(self.before_choice)
        choosers.addWidget(QLabel("with", self))
        choosers.addWidget(self.after_choice)
        choosers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(choosers)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.refresh()

    # --- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        self.tree.clear()
        try:
            self.comparison = compare_versions(self.flow_id, self.before_choice.currentData(),
                                               self.after_choice.currentData())
        except FlowbenchError as error:
            self.comparison = None
            self.summary.setText(str(error))
            return
        comparison = self.comparison
        self.tree.setHeaderLabels(["Step / field", comparison.before.label,
                                   comparison.after.label])
        diff = comparison.diff
        counts = [f"{len(diff.in_state(state))} {STATE_WORDS[state]}"
                  for state in (StepState.CHANGED, StepState.ADDED, StepState.REMOVED)]
        self.summary.setText(
            f"Steps: {', '.join(counts)}."
            + ("" if diff.changed else " The two versions have the same content.")
            + "   ● changed   + only in the second   − only in the first")
        trigger = self._row(None, "Trigger",
                            StepState.CHANGED if diff.trigger_changed else StepState.SAME,
                            _trigger_words({f.name: f.before for f in diff.trigger}),
                            _trigger_words({f.name: f.after for f in diff.trigger}))
        for field in diff.trigger:
            self._field(trigger, field)
        trigger.setExpanded(diff.trigger_changed)
        if diff.description.changed:
            self._row(None, "Description", StepState.CHANGED,
                      value_words("description", diff.description.before),
                      value_words("description", diff.description.after))
        for step in diff.steps:
            self._step(step)

    def _step(self, step: StepDiff) -> None:
        item = self._row(None, step.id, step.state,
                         _in_words(step.before), _in_words(step.after), step.depth)
        item.setToolTip(0, f"Step “{step.id}”: {STATE_WORDS[step.state]}")
        for field in step.fields:
            if field.before is not None or field.after is not None:
                self._field(item, field)
        item.setExpanded(step.state == StepState.CHANGED)

    def _field(self, parent: QTreeWidgetItem, field: FieldDiff) -> None:
        self._row(parent, field.name, StepState.CHANGED if field.changed else StepState.SAME,
                  value_words(field.name, field.before), value_words(field.name, field.after))

    def _row(self, parent: QTreeWidgetItem | None, name: str, state: StepState, before: str,
             after: str, depth: int = 0) -> QTreeWidgetItem:
        indent = "    " * depth
        item = QTreeWidgetItem([indent + MARKS[state] + name, before, after])
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        item.setData(0, Qt.ItemDataRole.UserRole, str(state))
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{name}, {STATE_WORDS[state]}")
        if state != StepState.SAME:
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            tint = QBrush(QColor(TINTS[dark][state]))
            font = QFont(self.font())
            font.setBold(True)
            for column in range(3):
                item.setBackground(column, tint)
            item.setFont(0, font)
        return item

    # --- for tests and the tab -----------------------------------------------------------
    def rows(self) -> list[tuple[str, str, str]]:
        """Every visible top-level row as shown: (step, first side, second side)."""
        found: list[tuple[str, str, str]] = []
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None:
                found.append((item.text(0), item.text(1), item.text(2)))
        return found

    def fields(self, row: int) -> list[tuple[str, str, str]]:
        """The field rows under top-level row ``row``."""
        item = self.tree.topLevelItem(row)
        if item is None:
            return []
        return [(child.text(0), child.text(1), child.text(2))
                for child in (item.child(i) for i in range(item.childCount()))
                if child is not None]

    def choose(self, first: int, second: int) -> None:
        self.before_choice.setCurrentIndex(self.before_choice.findData(first))
        self.after_choice.setCurrentIndex(self.after_choice.findData(second))
