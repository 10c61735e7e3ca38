"""New Flow: the name of the flow to create. It stays open on a refusal ("needs a name",
"already exists"), saying why beside the name, so what was typed is never lost.

Opened with ``open()``; asks through ``name_chosen(str)``; whoever creates the flow
answers with ``refuse(reason)`` (the dialog stays) or closes it with ``accept()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class NewFlowDialog(QDialog):
    name_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFlowDialog")
        self.setWindowTitle("New Flow")
        self.setAccessibleName("New flow")
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name of the new flow")
        self.name.setPlaceholderText("A name people recognise, e.g. Trial onboarding")
        self.name.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        note = QLabel("Its Version 1 starts as a draft.", self)
        note.setObjectName("subtle")
        self.error = QLabel(self)
        self.error.setObjectName("inlineError")
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        self.error.hide()
        self.create_button = QPushButton("&Create", self)
        self.create_button.setAccessibleName("Create the flow")
        self.create_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.create_button.clicked.connect(self._create_clicked)
        buttons.rejected.connect(self.reject)
        self.name.textEdited.connect(lambda _text: self._check())
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self._check()

    def _check(self) -> None:
        """In place, as the name is typed: a name is needed."""
        self.create_button.setEnabled(bool(self.name.text().strip()))
        if self.error.isVisible() and self.name.text().strip():
            self.error.hide()

    def _create_clicked(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.refuse("The flow needs a name.")
            return
        self.name_chosen.emit(name)

    def refuse(self, reason: str) -> None:
        """Say why the flow was not created; the typed name stays, selected."""
        self.error.setText(reason)
        self.error.show()
        self.name.selectAll()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
