"""What the app remembers between runs (QSettings): last email, recent workspaces,
window geometry, splitter and the last flow of each workspace.

Tests hand in a ``QSettings`` on a temporary file so runs never share state.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from flowbench.private_files import make_private, private_file
from flowbench.ui.short_digest import short_digest

MAX_RECENT = 8


def _workspace_key(location: str) -> str:
    return short_digest(location)


class SavedLayout:
    """A layout Qt saves as bytes (``saveGeometry``, ``saveState``) kept under ``key``:
    None until one was saved."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, settings: AppSettings, owner: type | None = None) -> QByteArray | None:
        value = settings.store.value(self.key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def __set__(self, settings: AppSettings, value: QByteArray) -> None:
        settings.store.setValue(self.key, value)


class AppSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()
        self._make_file_private()

    def _make_file_private(self) -> None:
        """The settings file (and its folder) readable by its owner only: created empty
        and 0600 before Qt first writes it (Qt keeps the mode of the file it replaces)."""
        if self.store.format() == QSettings.Format.NativeFormat and sys.platform != "linux":
            return  # the registry (Windows) or a plist Qt manages itself (macOS)
        path = Path(self.store.fileName())
        try:  # (not contextlib.suppress: a module less on the way to the first window)
            if not private_file(path):
                make_private(path)
        except OSError:
            pass

    # --- sign-in -----------------------------------------------------------------------
    @property
    def last_email(self) -> str:
        return str(self.store.value("session/last_email", "") or "")

    @last_email.setter
    def last_email(self, email: str) -> None:
        self.store.setValue("session/last_email", email)

    # --- recent workspaces ---------------------------------------------------------------
    def recent_workspaces(self) -> list[str]:
        value = self.store.value("workspaces/recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        if not isinstance(value, list | tuple):
            return []
        stored = [str(item) for item in value if item]
        if not stored:
            return []
        from flowbench.services.addresses import without_password  # (no database library)

        # an address remembered with its password (before passwords were taken out):
        # shown and kept from now on without it
        clean = list(dict.fromkeys(without_password(item) for item in stored))
        if clean != stored:
            self.store.setValue("workspaces/recent", clean)
        return clean

    def add_recent(self, location: str) -> None:
        from flowbench.services.addresses import without_password

        location = without_password(location)
        recent = [location] + [item for item in self.recent_workspaces() if item != location]
        self.store.setValue("workspaces/recent", recent[:MAX_RECENT])

    def remove_recent(self, location: str) -> None:
        self.store.setValue("workspaces/recent",
                            [item for item in self.recent_workspaces() if item != location])

    # --- window ----------------------------------------------------------------------------
    window_geometry = SavedLayout("window/geometry")
    window_state = SavedLayout("window/state")
    splitter_state = SavedLayout("window/splitter")

    @property
    def flow_list_shown(self) -> bool:
        return str(self.store.value("window/flow_list_shown", "true")).lower() != "false"

    @flow_list_shown.setter
    def flow_list_shown(self, shown: bool) -> None:
        self.store.setValue("window/flow_list_shown", "true" if shown else "false")

    # --- last flow, per workspace ---------------------------------------------------------
    def last_flow(self, location: str | None) -> int | None:
        if not location:
            return None
        value = self.store.value(f"last_flow/{_workspace_key(location)}")
        try:
            return int(str(value)) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def set_last_flow(self, location: str | None, flow_id: int | None) -> None:
        if not location:
            return
        key = f"last_flow/{_workspace_key(location)}"
        if flow_id is None:
            self.store.remove(key)
        else:
            self.store.setValue(key, flow_id)

    # --- the name of each workspace, for the sign-in dialog shown before it opens ---------
    def workspace_name(self, location: str) -> str:
        """The name the workspace at ``location`` had when it was last open ("" if never)."""
        return str(self.store.value(f"workspace_name/{_workspace_key(location)}", "") or "")

    def set_workspace_name(self, location: str | None, name: str) -> None:
        if location and name != self.workspace_name(location):
            self.store.setValue(f"workspace_name/{_workspace_key(location)}", name)

    def sync(self) -> None:
        self.store.sync()
