"""The approval groups of a draft: each group's state, and Approve / Reject… for the
members who may act for it (the service decides who may; its reason is shown)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from flowbench.domain.approvals import GroupState, GroupStatus

STATE_STYLE = {
    GroupState.APPROVED: ("✔", "#1e7a3c"),
    GroupState.REJECTED: ("✖", "#b3261e"),
    GroupState.MISSING: ("●", "#9a6700"),
}


def state_html(status: GroupStatus) -> str:
    mark, colour = STATE_STYLE[status.state]
    if status.state == GroupState.APPROVED:
        text = f"Approved by {escape(status.by or '?')}"
    elif status.state == GroupState.REJECTED:
        note = f" — “{escape(status.comment)}”" if status.comment else ""
        text = f"Rejected by {escape(status.by or '?')}{note}"
    else:
        text = "Waiting for approval"
    return f"<span style='color: {colour};'>{mark}</span>&nbsp; {text}"


class ApprovalPanel(QWidget):
    """One row per approval group. ``approve_requested(group)``, ``reject_requested(group)``."""

    approve_requested = Signal(str)
    reject_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalPanel")
        self.approve_buttons: dict[str, QPushButton] = {}
        self.reject_buttons: dict[str, QPushButton] = {}
        self.state_labels: dict[str, QLabel] = {}
        self._rows = QWidget(self)
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(6)
        self.note = QLabel(self)
        self.note.setObjectName("subtle")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Why you cannot approve")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._rows)
        layout.addWidget(self.note)

    def set_groups(self, statuses: list[GroupStatus], rights: dict[str, str | None]) -> None:
        """Show ``statuses``; ``rights`` maps a group to None (may act) or why not."""
        for widget in self._rows.findChildren(QWidget):
            widget.setParent(None)
            widget.deleteLater()
        self.approve_buttons.clear()
        self.reject_buttons.clear()
        self.state_labels.clear()
        for row, status in enumerate(statuses):
            group = status.group
            refusal = rights.get(group, "You cannot act for this group.")
            name = QLabel(f"<b>{escape(group)}</b>", self._rows)
            state = QLabel(state_html(status), self._rows)
            state.setAccessibleName(f"Approval state of {group}")
            state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            approve = QPushButton("Approve", self._rows)
            approve.setAccessibleName(f"Approve for {group}")
            approve.setEnabled(refusal is None and status.state != GroupState.APPROVED)
            reject = QPushButton("Reject…", self._rows)
            reject.setAccessibleName(f"Reject for {group}")
            reject.setEnabled(refusal is None)
            tip = refusal or f"You may act for {group}."
            approve.setToolTip(tip)
            reject.setToolTip(tip)
            approve.clicked.connect(lambda _=False, g=group: self.approve_requested.emit(g))
            reject.clicked.connect(lambda _=False, g=group: self.reject_requested.emit(g))
            self._grid.addWidget(name, row, 0)
            self._grid.addWidget(state, row, 1)
            self._grid.addWidget(approve, row, 2)
            self._grid.addWidget(reject, row, 3)
            for widget in (name, state, approve, reject):
                widget.show()  # now, not when the layout next runs (the tab reads them)
            self.approve_buttons[group] = approve
            self.reject_buttons[group] = reject
            self.state_labels[group] = state
        self._grid.setColumnStretch(1, 1)
        self.note.setText(self._note(rights))
        self.note.setVisible(bool(self.note.text()))

    @staticmethod
    def _note(rights: dict[str, str | None]) -> str:
        """Why the member cannot act, said once (not-a-member reasons only when they may
        act for no group at all, so a member of one group is not told about the others)."""
        reasons = [why for why in rights.values() if why]
        if not reasons:
            return ""
        if any(why is None for why in rights.values()):
            return ""
        other = [why for why in dict.fromkeys(reasons) if "not a member" not in why]
        if other:
            return " ".join(other)
        return "You are not a member of any approval group, so you cannot approve this draft."
