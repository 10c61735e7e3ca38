"""The app session: the open workspace, the signed-in member, and one "what changed"
announcement that every screen listens to (the Anki pattern).

Screens never tell each other what happened; whoever changes something through a
service calls ``notify`` with a ``SessionChange`` saying what, and each screen reloads
only what the change touches.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

# QtCore.Qt, not Qt: the session is made before the first paint (see ui/window_shell.py)
from PySide6 import QtCore
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from flowbench.domain.errors import FlowbenchError, WorkspaceUnusable

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flowbench.domain.roles import Permission
    from flowbench.services.context import Actor
    from flowbench.services.opening import Workspace

# The services (and the database library under them) are imported when a workspace is
# first opened, not with the session: the window is on screen before that.


class SessionChange(NamedTuple):
    """What changed. ``session``: signed in or out, or another workspace opened. (A
    named tuple, not a dataclass: the session is made on the way to the first window,
    and ``dataclasses`` costs ~2 ms to import.)"""

    session: bool = False
    flows: bool = False  # the list of flows: one added, renamed, archived, imported
    flow_ids: frozenset[int] = frozenset()  # these flows' versions
    members: bool = False
    settings: bool = False
    origin: object | None = None  # the screen that made the change, if it wants to know
    remote: bool = False  # another member changed a team workspace: anything may differ

    @classmethod
    def for_flow(cls, flow_id: int, *, listed: bool = True,
                 origin: object | None = None) -> SessionChange:
        """One flow changed (its draft, versions or name); ``listed``: its list row too."""
        return cls(flows=listed, flow_ids=frozenset({flow_id}), origin=origin)

    def affects_flow(self, flow_id: int | None) -> bool:
        return self.session or (flow_id is not None and (self.remote
                                                         or flow_id in self.flow_ids))

    @property
    def affects_flow_list(self) -> bool:
        return self.session or self.flows or bool(self.flow_ids) or self.remote


class AppSession(QObject):
    """Holds the open ``Workspace`` and the signed-in ``Actor`` (either may be None)."""

    changed = Signal(object)  # SessionChange
    # a write on this thread waits for an announced long write: what it is ("" when
    # the wait is over)
    writer_waiting = Signal(str)
    # a workspace file that opening created and nobody set up was removed as the
    # session let go of it (closed, or replaced by another): its location
    discarded = Signal(str)

    WATCH_INTERVAL_MS = 20_000  # a team workspace is checked for others' changes this often

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.actor: Actor | None = None
        self.workspace_name = ""
        # Team workspaces: others' changes show on focus and every WATCH_INTERVAL_MS.
        self._marker: tuple[int, ...] | None = None
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(self.WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self.check_remote_changes)
        self._following_focus = False
        self._showing_waits = False

    def _follow_focus(self) -> None:
        """Check again whenever Flowbench comes to the front. Connected with the first
        team workspace, not at start: the signal carries a ``Qt`` enum, and PySide6
        cannot pass one on before its ``Qt`` namespace is built (which the first window
        does without)."""
        app = QGuiApplication.instance()
        if not self._following_focus and isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
            self._following_focus = True

    def _application_state(self, state: QtCore.Qt.ApplicationState) -> None:
        if state == QtCore.Qt.ApplicationState.ApplicationActive:
            self.check_remote_changes()

    def check_remote_changes(self) -> bool:
        """On a team workspace: announce a ``remote`` change when another member changed
        something since the last look. A server that is away is not an error here (the
        next action says so); the check just tries again later."""
        if self.workspace is None or not self.workspace.is_team or self.actor is None:
            return False
        from flowbench.services import workspace as workspace_service

        try:
            marker = workspace_service.change_marker()
        except FlowbenchError:
            return False
        if self._marker is None or marker == self._marker:
            self._marker = marker
            return False
        self._marker = marker
        self.changed.emit(SessionChange(remote=True))
        return True

    def _watch(self) -> None:
        self._marker = None
        if self.workspace is not None and self.workspace.is_team and self.actor is not None:
            self.check_remote_changes()  # remembers where we start from
            self.watch_timer.start()
            self._follow_focus()
        else:
            self.watch_timer.stop()

    # --- questions screens ask ----------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self.actor is not None

    def can(self, permission: Permission) -> bool:
        return self.actor is not None and self.actor.can(permission)

    @property
    def offline_copy_of(self) -> str:
        """In an offline copy of a team workspace: that workspace's name; else ""."""
        if self.workspace is None:
            return ""
        from flowbench.services import offline as offline_service

        try:
            return offline_service.team_name()
        except FlowbenchError:
            return ""

    @property
    def role_label(self) -> str:
        if self.actor is None:
            return ""
        role = self.actor.role
        from flowbench.domain.roles import Role  # (its enums: not on the way to the window)

        return Role(role).label if role in {r.value for r in Role} else role

    @property
    def location(self) -> str | None:
        return self.workspace.location if self.workspace else None

    @property
    def file_name(self) -> str:
        return Path(self.workspace.location).name if self.workspace else ""

    # --- changes ---------------------------------------------------------------------------
    def open_workspace(self, location: str | Path, password: str | None = None) -> Workspace:
        """Open another workspace (signing out). A refused one raises WorkspaceUnusable
        and leaves the workspace that was open as it was. ``password``: a team server's."""
        from flowbench.services import opening

        previous = self.workspace
        unset = previous if self._made_and_unset() else None
        try:
            opened = opening.open_workspace(location, password=password)
        except WorkspaceUnusable:
            self._keep_open(previous)
            raise
        self.adopt(opened)
        if unset is not None and unset.location != opened.location:
            self._discard(unset)  # left without being set up
        return opened

    def adopt(self, opened: Workspace) -> None:
        """Use a workspace that was opened elsewhere (e.g. on a worker thread)."""
        self._show_waits()
        self.workspace = opened
        self.actor = None
        # named as it will be once someone signs in (and after they sign out): the
        # window's title and status bar do not change names under the member's eyes
        self.workspace_name = self._name_of_open()
        self.changed.emit(SessionChange(session=True))

    @property
    def is_sample(self) -> bool:
        """The open workspace is the sample workspace (known by its name, as its sign-in
        dialog's demo accounts are)."""
        if self.workspace is None or not self.workspace_name:
            return False
        from flowbench.services.sample_content import WORKSPACE_NAME  # (services loaded)

        return self.workspace_name == WORKSPACE_NAME

    @staticmethod
    def _name_of_open() -> str:
        from flowbench.services import workspace as workspace_service

        try:
            return workspace_service.workspace_info().name
        except FlowbenchError:  # not set up yet: the file name will do
            return ""

    def _show_waits(self) -> None:
        """From the first workspace on, a write on the GUI thread that must wait for an
        announced long write says so (``writer_waiting``) while it waits — or is refused
        at once (WorkspaceBusy) when the long write is expected to outlast the wait."""
        if self._showing_waits:
            return
        import threading
        from contextlib import contextmanager

        from flowbench.services import opening

        @contextmanager
        def waiting(sentence: str) -> Iterator[None]:
            self.writer_waiting.emit(sentence)
            try:
                yield
            finally:
                self.writer_waiting.emit("")

        self._showing_waits = True
        # the window's thread (a worker's write: its own progress says it waits)
        opening.show_waits_with(waiting, threading.main_thread())
        self.destroyed.connect(lambda _=None: opening.stop_showing_waits(waiting))

    def _keep_open(self, previous: Workspace | None) -> None:
        """A failed upgrade may have closed the previous workspace: open it again."""
        if previous is None:
            return
        from flowbench.services import opening

        try:
            still = opening.current_workspace() is previous
        except WorkspaceUnusable:
            still = False
        if not still:
            self.workspace = opening.open_workspace(previous.location)

    def is_initialised(self) -> bool:
        from flowbench.services import workspace as workspace_service

        return self.workspace is not None and workspace_service.is_initialised()

    def sign_in(self, actor: Actor) -> None:
        from flowbench.services import workspace as workspace_service

        self.actor = actor
        try:
            self.workspace_name = workspace_service.workspace_info().name
        except FlowbenchError:  # a workspace without settings still lets the member in
            self.workspace_name = ""
        self.changed.emit(SessionChange(session=True))
        self._watch()

    def sign_out(self) -> None:
        if self.actor is None:
            return
        self.actor = None
        self._watch()
        self.changed.emit(SessionChange(session=True))

    def close_workspace(self) -> bool:
        """Sign out and close the workspace (before another opens on a worker thread).
        A workspace file that opening created and nobody set up goes with it, unless
        another Flowbench has it open (``discarded``); True when it went."""
        unset = self.workspace if self._made_and_unset() else None
        had_something = self.workspace is not None or self.actor is not None
        self.actor = None
        self.workspace = None
        self.workspace_name = ""
        opening = sys.modules.get("flowbench.services.opening")
        if opening is not None:  # else no workspace was ever opened: nothing to close
            opening.close_workspace()
        if had_something:
            self.changed.emit(SessionChange(session=True))
        return unset is not None and self._discard(unset)

    def _made_and_unset(self) -> bool:
        """The open workspace's file was created by opening it, and nobody set it up (in
        doubt — the file cannot be read — it is kept)."""
        workspace = self.workspace
        if workspace is None or not workspace.made_file or self.signed_in:
            return False
        try:
            return not self.is_initialised()
        except Exception:  # noqa: BLE001 - a file that cannot be read is never removed
            return False

    def _discard(self, workspace: Workspace) -> bool:
        from flowbench.services import opening

        if not opening.discard_unset_workspace(workspace):
            return False
        self.discarded.emit(workspace.location)
        return True

    def discard_unset(self) -> bool:
        """The welcome dialog was closed on a workspace file that opening created: close
        the workspace and remove the file, which nobody set up. True when it went; else
        the workspace is open as it was (another Flowbench has it open too, say)."""
        workspace = self.workspace
        if workspace is None or not self._made_and_unset():
            return False
        if self.close_workspace():
            return True
        import contextlib  # (loaded at start already: costs nothing here)

        with contextlib.suppress(WorkspaceUnusable):  # kept: open again, as it was
            self.open_workspace(workspace.location)
        return False

    def notify(self, change: SessionChange) -> None:
        self.changed.emit(change)
