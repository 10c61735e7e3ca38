"""First run: name the workspace and create its Owner — or explore a sample workspace.

Opened with ``open()``; answers through ``created(Actor)`` (the new Owner, signed in)
or ``sample_requested()``. Mistakes are shown in the dialog, which stays open.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowbench.domain.errors import FlowbenchError
from flowbench.resources import resource_path
from flowbench.ui.dialogs.entry_form import dialog_buttons, name_dialog
from flowbench.ui.icons import icon
from flowbench.ui.kit.early import selectable_by_mouse
from flowbench.ui.kit.forms import beside_logo, inline_error, text_field, text_label


def _password(parent: QWidget, name: str, placeholder: str = "") -> QLineEdit:
    field = text_field(parent, name, placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class WelcomeDialog(QDialog):
    created = Signal(object)  # Actor: the Owner, signed in
    sample_requested = Signal()
    SAMPLE = 2  # the dialog's result code when the member chose the sample

    def __init__(self, location: str, parent: QWidget | None = None, *,
                 opening: bool = False) -> None:
        """``opening``: shown at start before the workspace file is open (the services
        still loading); Create Workspace pressed meanwhile creates it once it is
        (``workspace_ready``)."""
        super().__init__(parent)
        name_dialog(self, "welcomeDialog", "Welcome to Flowbench", "Welcome to Flowbench")
        self.location = location
        self.waiting = opening
        self.refused = False  # closed without creating it (kept after the dialog is gone)
        self._create_when_ready = False
        self._build()

    def _build(self) -> None:
        logo = QLabel(self)
        logo.setPixmap(QIcon(str(resource_path("icons/flowbench.svg"))).pixmap(56, 56))
        heading = text_label(self, "Welcome to Flowbench", look="heading")
        intro = text_label(self, "Set up your workspace: give it a name and create the "
                           "Owner account you will sign in with. You can invite the rest "
                           "of the team afterwards.", look="subtle", wrap=True)
        top = beside_logo(logo, heading, intro)

        self.workspace_name = text_field(self, "Workspace name", "e.g. Production")
        self.owner_name = text_field(self, "Your name", "e.g. Olivia Owens")
        self.email = text_field(self, "Your email", "you@example.com")
        self.password = _password(self, "Password", "at least 8 characters")
        self.repeat = _password(self, "Repeat the password")
        form = QFormLayout()
        form.addRow("&Workspace name:", self.workspace_name)
        form.addRow("Your &name:", self.owner_name)
        form.addRow("&Email:", self.email)
        form.addRow("&Password:", self.password)
        form.addRow("&Repeat password:", self.repeat)
        where = text_label(self, f"Workspace file: {self.location}", look="subtle", wrap=True)
        selectable_by_mouse(where)  # (a first window: see kit/early.py)
        self.error = inline_error(self, "Problem")

        self.create_button = QPushButton("&Create Workspace", self)
        self.create_button.setAccessibleName("Create the workspace")
        self.sample_button = QPushButton(icon("sample"), "Explore a &Sample Workspace", self)
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.setAccessibleName("Explore a sample workspace")
        self.sample_button.setToolTip("Opens a separate workspace full of demo flows, "
                                      "members and customers; yours stays untouched.")
        buttons, self.cancel_button = dialog_buttons(self, self.sample_button,
                                                     self.create_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

        chain: list[QWidget] = [self.workspace_name, self.owner_name, self.email,
                                self.password, self.repeat, self.create_button,
                                self.sample_button, self.cancel_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.create_button.clicked.connect(self.create_workspace)
        self.sample_button.clicked.connect(self._choose_sample)
        self.cancel_button.clicked.connect(self.reject)
        self.workspace_name.setFocus()

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def workspace_ready(self) -> None:
        """The workspace file is open: creates it now if Create Workspace was pressed
        while it was opening."""
        self.waiting = False
        if self._create_when_ready:
            self._create_when_ready = False
            self.show_problem("")
            self.create_workspace()

    def create_workspace(self) -> None:
        if self.password.text() != self.repeat.text():
            self.show_problem("The two passwords differ; type the same password twice.")
            self.repeat.setFocus()
            self.repeat.selectAll()
            return
        if self.waiting:  # at start, before the workspace file is open
            self._create_when_ready = True
            self.show_problem("Opening the workspace…")
            return
        from flowbench.services import workspace as workspace_service

        try:
            actor = workspace_service.create_workspace(
                self.workspace_name.text(), self.email.text(), self.owner_name.text(),
                self.password.text())
        except FlowbenchError as error:
            self.show_problem(str(error))
            return
        self.show_problem("")
        self.created.emit(actor)
        self.accept()

    def reject(self) -> None:  # Cancel, Esc, the title bar's close button
        self.refused = True
        super().reject()

    def _choose_sample(self) -> None:
        self.sample_requested.emit()
        self.done(self.SAMPLE)
