"""The app session: the open workspace, the signed-in member, and one "what changed"
announcement that every screen listens to (the Anki pattern).

Screens never tell each other what happened; whoever changes something through a
service calls ``notify`` with a ``SessionChange`` saying what, and each screen reloads
only what the change touches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from flowbench.domain.errors import FlowbenchError, WorkspaceUnusable
from flowbench.domain.roles import Permission, Role
from flowbench.services import workspace as workspace_service
from flowbench.services.context import Actor
from flowbench.store import connection
from flowbench.store.connection import Workspace


@dataclass(frozen=True)
class SessionChange:
    """What changed. ``session``: signed in or out, or another workspace opened."""

    session: bool = False
    flows: bool = False  # the list of flows: one added, renamed, archived, imported
    flow_ids: frozenset[int] = field(default_factory=frozenset)  # these flows' versions
    members: bool = False
    settings: bool = False
    origin: object | None = None  # the screen that made the change, if it wants to know

    @classmethod
    def for_flow(cls, flow_id: int, *, listed: bool = True,
                 origin: object | None = None) -> SessionChange:
        """One flow changed (its draft, versions or name); ``listed``: its list row too."""
        return cls(flows=listed, flow_ids=frozenset({flow_id}), origin=origin)

    def affects_flow(self, flow_id: int | None) -> bool:
        return self.session or (flow_id is not None and flow_id in self.flow_ids)

    @property
    def affects_flow_list(self) -> bool:
        return self.session or self.flows or bool(self.flow_ids)


class AppSession(QObject):
    """Holds the open ``Workspace`` and the signed-in ``Actor`` (either may be None)."""

    changed = Signal(object)  # SessionChange

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.actor: Actor | None = None
        self.workspace_name = ""

    # --- questions screens ask ----------------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self.actor is not None

    def can(self, permission: Permission) -> bool:
        return self.actor is not None and self.actor.can(permission)

    @property
    def role_label(self) -> str:
        if self.actor is None:
            return ""
        role = self.actor.role
        return Role(role).label if role in {r.value for r in Role} else role

    @property
    def location(self) -> str | None:
        return self.workspace.location if self.workspace else None

    @property
    def file_name(self) -> str:
        return Path(self.workspace.location).name if self.workspace else ""

    # --- changes ---------------------------------------------------------------------------
    def open_workspace(self, location: str | Path) -> Workspace:
        """Open another workspace (signing out). A refused one raises WorkspaceUnusable
        and leaves the workspace that was open as it was."""
        previous = self.workspace
        try:
            opened = connection.open_workspace(location)
        except WorkspaceUnusable:
            self._keep_open(previous)
            raise
        self.adopt(opened)
        return opened

    def adopt(self, opened: Workspace) -> None:
        """Use a workspace that was opened elsewhere (e.g. on a worker thread)."""
        self.workspace = opened
        self.actor = None
        self.workspace_name = ""
        self.changed.emit(SessionChange(session=True))

    def _keep_open(self, previous: Workspace | None) -> None:
        """A failed upgrade may have closed the previous workspace: open it again."""
        if previous is None:
            return
        try:
            still = connection.current_workspace() is previous
        except WorkspaceUnusable:
            still = False
        if not still:
            self.workspace = connection.open_workspace(previous.location)

    def is_initialised(self) -> bool:
        return self.workspace is not None and workspace_service.is_initialised()

    def sign_in(self, actor: Actor) -> None:
        self.actor = actor
        try:
            self.workspace_name = workspace_service.workspace_info().name
        except FlowbenchError:  # a workspace without settings still lets the member in
            self.workspace_name = ""
        self.changed.emit(SessionChange(session=True))

    def sign_out(self) -> None:
        if self.actor is None:
            return
        self.actor = None
        self.changed.emit(SessionChange(session=True))

    def close_workspace(self) -> None:
        """Sign out and close the workspace (before another opens on a worker thread)."""
        had_something = self.workspace is not None or self.actor is not None
        self.actor = None
        self.workspace = None
        self.workspace_name = ""
        connection.close_workspace()
        if had_something:
            self.changed.emit(SessionChange(session=True))

    def notify(self, change: SessionChange) -> None:
        self.changed.emit(change)
