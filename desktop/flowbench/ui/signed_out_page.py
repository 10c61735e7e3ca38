"""What the main window shows while nobody is signed in: where you are, and the ways on
(sign in, open another workspace, explore the sample)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from flowbench.resources import resource_path
from flowbench.ui.icons import icon
from flowbench.ui.kit.early import centre_text

if TYPE_CHECKING:
    from flowbench.ui.session import AppSession


class SignedOutPage(QWidget):
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signedOutPage")
        logo = QLabel(self)
        logo.setPixmap(QIcon(str(resource_path("icons/flowbench.svg"))).pixmap(96, 96))
        centre_text(logo)
        self.heading = QLabel("Flowbench", self)
        self.heading.setObjectName("heading")
        centre_text(self.heading)
        self.status = QLabel(self)
        self.status.setObjectName("emptyState")
        centre_text(self.status)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Workspace status")
        self.sign_in_button = QPushButton(icon("sign-in"), "&Sign In…", self)
        self.sign_in_button.setAccessibleName("Sign in to the open workspace")
        self.new_button = QPushButton(icon("new-workspace"), "&New Workspace…", self)
        self.new_button.setAccessibleName("Create a new workspace")
        self.open_button = QPushButton(icon("open-workspace"), "&Open Workspace…", self)
        self.open_button.setAccessibleName("Open another workspace")
        self.sample_button = QPushButton(icon("sample"), "Explore a S&ample Workspace", self)
        self.sample_button.setAccessibleName("Explore a sample workspace")
        self.sample_button.clicked.connect(self.sample_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.sign_in_button, self.new_button, self.open_button,
                       self.sample_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def update_for(self, session: AppSession) -> None:
        set_up = session.workspace is not None and (session.signed_in
                                                    or session.is_initialised())
        if session.workspace is None:
            self.status.setText("No workspace is open. Create one, open a workspace file, "
                                "or explore the sample workspace to see Flowbench at work.")
        elif not set_up:  # the welcome dialog was closed: it comes back from here
            self.status.setText(f"Workspace file {session.file_name} is open but not set "
                                "up yet: set it up to create the Owner account you will "
                                "sign in with.")
        else:
            self.status.setText(f"Workspace file {session.file_name} is open. "
                                "Sign in to see its flows.")
        self.sign_in_button.setText("&Sign In…" if set_up or session.workspace is None
                                    else "&Set Up Workspace…")
        self.sign_in_button.setAccessibleName(
            "Sign in to the open workspace" if set_up or session.workspace is None
            else "Set up the open workspace")
        self.sign_in_button.setVisible(session.workspace is not None)
        self.new_button.setVisible(session.workspace is None)
        self.sample_button.setVisible(not session.is_sample)  # not while it is open
