"""Unsaved edits kept on disk, so a crash or a killed process loses at most seconds.

One file per workspace and flow in the platform's state folder:
``recovery/<workspace-hash>-<flow id>.json``, holding the edited name and definition and
the version and revision they were based on. Files are written whole to a temporary
file and then renamed over the old one, so a kill mid-write leaves the previous copy.
``RecoveryWriter`` writes while there are unsaved edits, at most every few seconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal

from flowbench.domain.definition import FlowDefinition
from flowbench.private_files import private_folder

WRITE_INTERVAL_MS = 3000
FORMAT = 1


@dataclass(frozen=True)
class RecoveredEdits:
    flow_id: int
    name: str
    definition: FlowDefinition
    base_version: int
    base_revision: int
    written_at: float

    def describe_age(self, now: float | None = None) -> str:
        seconds = max(0, int((now or time.time()) - self.written_at))
        if seconds < 90:
            return "moments ago"
        if seconds < 5400:
            return f"{round(seconds / 60)} minutes ago"
        if seconds < 129600:
            return f"{round(seconds / 3600)} hours ago"
        return f"{round(seconds / 86400)} days ago"


def recovery_folder() -> Path:
    return platformdirs.user_state_path("Flowbench", appauthor=False) / "recovery"


def workspace_key(location: str) -> str:
    """A short stable name for a workspace location (its file path or server URL)."""
    return hashlib.sha256(location.encode("utf-8")).hexdigest()[:16]


class RecoveryStore:
    """Reads, writes and deletes the recovery files of one workspace."""

    def __init__(self, workspace_location: str, folder: Path | None = None) -> None:
        self._key = workspace_key(workspace_location)
        self._folder = folder or recovery_folder()

    def path(self, flow_id: int) -> Path:
        return self._folder / f"{self._key}-{flow_id}.json"

    def write(self, flow_id: int, name: str, definition: FlowDefinition, base_version: int,
              base_revision: int) -> Path:
        private_folder(self._folder)  # the files themselves: mkstemp makes them 0600
        payload = {"format": FORMAT, "flow_id": flow_id, "name": name,
                   "definition": definition.to_dict(), "base_version": base_version,
                   "base_revision": base_revision, "written_at": time.time()}
        target = self.path(flow_id)
        handle, temporary = tempfile.mkstemp(dir=self._folder, prefix=f".{target.stem}.",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return target

    def read(self, flow_id: int) -> RecoveredEdits | None:
        """The kept edits of a flow; None when there are none or the file is unreadable."""
        try:
            data = json.loads(self.path(flow_id).read_text(encoding="utf-8"))
            return RecoveredEdits(
                flow_id=int(data["flow_id"]), name=str(data["name"]),
                definition=FlowDefinition.from_dict(data["definition"]),
                base_version=int(data["base_version"]),
                base_revision=int(data["base_revision"]),
                written_at=float(data.get("written_at", 0)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def delete(self, flow_id: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(flow_id).unlink()


Snapshot = Callable[[], "tuple[int, str, FlowDefinition, int, int] | None"]


class RecoveryWriter(QObject):
    """Writes the current unsaved edits at most every ``interval_ms`` while they last."""

    written = Signal(str)  # the file's path

    def __init__(self, snapshot: Snapshot, parent: QObject | None = None,
                 interval_ms: int = WRITE_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._store: RecoveryStore | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.write_now)

    @property
    def store(self) -> RecoveryStore | None:
        return self._store

    def set_store(self, store: RecoveryStore | None) -> None:
        self._timer.stop()
        self._store = store

    def edited(self) -> None:
        """Unsaved edits exist: write them soon (the timer is not restarted by typing)."""
        if self._store is not None and not self._timer.isActive():
            self._timer.start()

    def write_now(self) -> None:
        snapshot = self._snapshot()
        if self._store is None or snapshot is None:
            return
        try:
            path = self._store.write(*snapshot)
        except OSError:
            return  # a full disk must not break editing; the next edit tries again
        self.written.emit(str(path))

    def forget(self, flow_id: int) -> None:
        """The edits were saved or discarded: no file and no pending write."""
        self._timer.stop()
        if self._store is not None:
            self._store.delete(flow_id)
