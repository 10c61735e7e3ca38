"""An offline conflict side by side: the base both sides started from, the member's
offline edit ("mine") and the team's draft ("theirs"), part by part — the trigger, the
description and every step aligned by id — with each field a side changed marked (●,
bold, tinted), as in the version comparison.

The member keeps mine, takes theirs, or picks a side per part and takes that. The
dialog only collects the choice and emits ``resolve_requested``; ``OfflineWork`` resolves
and sends it (the pre-publish dialog's split).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.changes import describe_step, describe_trigger
from flowbench.domain.definition import Step, Trigger
from flowbench.domain.offline_merge import DESCRIPTION, TRIGGER, ConflictPart, Side
from flowbench.services.offline_conflicts import OfflineConflict
from flowbench.ui.kit.forms import button
from flowbench.ui.kit.labels import note
from flowbench.ui.kit.layouts import name_window

BASE, MINE, THEIRS, TAKE = 1, 2, 3, 4
TINT = {False: "#FFF4D6", True: "#3a3220"}
CHOICES = (("Choose…", None), ("Mine", Side.MINE), ("Theirs", Side.THEIRS))


def part_words(key: str, side: Any) -> str:
    if side is None:
        return "—  (not there)"
    if key == TRIGGER:
        return describe_trigger(Trigger.from_dict(side))
    if key == DESCRIPTION:
        return str(side) or "(none)"
    return describe_step(Step.from_dict(side))


def field_words(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    resolve_requested = Signal(object)  # Side, or {part: Side}

    def __init__(self, conflict: OfflineConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_window(self, "offlineConflictDialog", f"Resolve the conflict in “{conflict.flow}”",
                    "An offline conflict side by side", (1000, 560))
        self.conflict = conflict
        self.parts = [part for part in conflict.parts if part.differs or part.mine_changed
                      or part.theirs_changed]
        base = conflict.base
        theirs = conflict.theirs
        intro = note(self, text=(
            f"While you worked offline, {theirs.saved_by or 'a colleague'} saved revision "
            f"{theirs.revision} of Version {theirs.version}. Nothing was overwritten: your "
            "edit stays in this copy until you choose. "
            + (f"Both started from Version {base.version}, revision {base.revision}."
               if base else "Both sides created a flow of this name.")
            + "   ● changed from the base"))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("offlineConflict")
        self.tree.setAccessibleName("Base, mine and theirs side by side")
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(["Part / field", "Base", "Mine (offline)",
                                   "Theirs (team)", "Take"])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (BASE, MINE, THEIRS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TAKE, QHeaderView.ResizeMode.ResizeToContents)
        self.choosers: dict[str, QComboBox] = {}
        for part in self.parts:
            self._part(part)
        self.keep_mine = button(self, "Keep &Mine", "",
                                tip="Send your offline edit as the next revision")
        self.take_theirs = button(self, "Take &Theirs", "",
                                  tip="Drop your offline edit; the copy shows the team's")
        self.take_chosen = button(self, "Take &Per Step", "",
                                  tip="Send the parts as chosen in the Take column")
        buttons = QDialogButtonBox(self)
        for choice in (self.keep_mine, self.take_theirs, self.take_chosen):
            buttons.addButton(choice, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.keep_mine.clicked.connect(lambda: self.resolve_requested.emit(Side.MINE))
        self.take_theirs.clicked.connect(lambda: self.resolve_requested.emit(Side.THEIRS))
        self.take_chosen.clicked.connect(lambda: self.resolve_requested.emit(self.choices()))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self._update_buttons()

    def _part(self, part: ConflictPart) -> None:
        item = QTreeWidgetItem([part.label, part_words(part.key, part.base),
                                part_words(part.key, part.mine),
                                part_words(part.key, part.theirs), ""])
        self.tree.addTopLevelItem(item)
        item.setData(0, Qt.ItemDataRole.UserRole, part.key)
        self._mark(item, MINE, bool(part.mine_changed))
        self._mark(item, THEIRS, bool(part.theirs_changed))
        if isinstance(part.mine, dict) or isinstance(part.theirs, dict):
            for name in dict.fromkeys([*part.mine_changed, *part.theirs_changed]):
                values = [side.get(name) if isinstance(side, dict) else None
                          for side in (part.base, part.mine, part.theirs)]
                child = QTreeWidgetItem([name, *(field_words(v) for v in values), ""])
                item.addChild(child)
                self._mark(child, MINE, name in part.mine_changed)
                self._mark(child, THEIRS, name in part.theirs_changed)
            item.setExpanded(True)
        if part.differs:
            chooser = QComboBox(self.tree)
            chooser.setAccessibleName(f"Take {part.label} from")
            for text, side in CHOICES:
                chooser.addItem(text, side)
            if part.suggested is not None:
                chooser.setCurrentIndex(chooser.findData(part.suggested))
            chooser.currentIndexChanged.connect(lambda _index: self._update_buttons())
            self.tree.setItemWidget(item, TAKE, chooser)
            self.choosers[part.key] = chooser

    def _mark(self, item: QTreeWidgetItem, column: int, changed: bool) -> None:
        if not changed:
            return
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        item.setText(column, "● " + item.text(column))
        item.setBackground(column, QBrush(QColor(TINT[dark])))
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(column, font)

    # --- the member's choice -----------------------------------------------------------
    def choices(self) -> dict[str, Side]:
        """The side chosen for each part that differs (parts not chosen are left out)."""
        return {key: box.currentData() for key, box in self.choosers.items()
                if box.currentData() is not None}

    def choose(self, key: str, side: Side) -> None:
        box = self.choosers[key]
        box.setCurrentIndex(box.findData(side))

    def _update_buttons(self) -> None:
        missing = [key for key, box in self.choosers.items() if box.currentData() is None]
        self.take_chosen.setEnabled(not missing)
        self.take_chosen.setToolTip(
            "Send the parts as chosen in the Take column" if not missing else
            f"Choose a side for every part first ({len(missing)} left)")

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every top-level row as shown (part, base, mine, theirs) — for tests."""
        found = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None:
                found.append((item.text(0), item.text(BASE), item.text(MINE),
                              item.text(THEIRS)))
        return found
