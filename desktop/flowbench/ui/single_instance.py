"""One Flowbench window per user: a second start hands over to the one already running.

The first Flowbench to start takes a lock file and listens on a local socket
(``QLocalServer``: a Unix socket, a named pipe on Windows), both named after the user and
the settings folder (separate profiles, such as tests with their own ``XDG_CONFIG_HOME``,
do not meet). A later start finds the lock taken, connects, sends what it was asked to
open — a workspace, a flow file — as one line of JSON, waits for "ok" and exits 0; the
running one comes to the front and acts on it.

A Flowbench that was killed leaves its lock file and socket behind: the lock names a
process that no longer runs, so ``QLockFile`` treats it as stale and the next start takes
it over and replaces the socket. The command line never comes here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from flowbench.ui.short_digest import short_digest

if TYPE_CHECKING:  # QtNetwork loads when a start hands over or the server listens
    from PySide6.QtNetwork import QLocalSocket

log = logging.getLogger(__name__)
ACKNOWLEDGED = b"ok\n"
HANDOVER_WAIT_MS = 10_000  # the running one may still be starting
CONNECT_TRY_MS = 250
MAX_MESSAGE = 64 * 1024


class Handover(NamedTuple):
    """What a second start asks the running Flowbench to do (absolute paths or None)."""

    workspace: str | None = None
    flow_file: str | None = None

    def encode(self) -> bytes:
        import json

        return json.dumps({"workspace": self.workspace, "flow_file": self.flow_file}
                          ).encode("utf-8") + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> Handover:
        """Raises ValueError for anything that is not a hand-over."""
        import json  # (only a second start and the running one's listener need it)

        fields = json.loads(data.decode("utf-8"))
        if not isinstance(fields, dict):
            raise ValueError("not a hand-over")
        workspace, flow_file = fields.get("workspace"), fields.get("flow_file")
        for value in (workspace, flow_file):
            if value is not None and not isinstance(value, str):
                raise ValueError("not a hand-over")
        return cls(workspace or None, flow_file or None)

    def describe(self) -> str:
        parts = [f"open the workspace {self.workspace}" if self.workspace else "",
                 f"import the flow file {self.flow_file}" if self.flow_file else ""]
        return ", ".join(part for part in parts if part) or "come to the front"


def default_config_folder() -> Path:
    """The user's settings folder for Flowbench, as Qt finds it (``$XDG_CONFIG_HOME``
    honoured): found without ``platformdirs``, whose import cost the start ~10 ms before
    the first window."""
    generic = QStandardPaths.StandardLocation.GenericConfigLocation
    return Path(QStandardPaths.writableLocation(generic)) / "Flowbench"


def instance_key(config_folder: Path | None = None) -> str:
    """The user (by home folder) and settings folder, as a short name fit for a socket.
    The home folder rather than the user name: ``getpass`` loads ``termios`` (~1.5 ms
    on the way to the first window), and it tells users apart as well — even two who
    share one ``$XDG_CONFIG_HOME``."""
    folder = config_folder or default_config_folder()
    home = QStandardPaths.StandardLocation.HomeLocation
    return "flowbench-" + short_digest(f"{QStandardPaths.writableLocation(home)}\0{folder}")


def lock_path(key: str) -> str:
    # the home and temporary folders from QStandardPaths: by Qt's documentation the same
    # as QDir.homePath() and QDir.tempPath(), and QDir would cost its enums on the way to
    # the first window
    temp = QStandardPaths.StandardLocation.TempLocation
    return str(Path(QStandardPaths.writableLocation(temp)) / f"{key}.lock")


class InstanceLock:
    """Held by the running Flowbench for as long as it runs."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._lock = QLockFile(lock_path(key))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def try_take(self) -> bool:
        return bool(self._lock.tryLock(0))

    def release(self) -> None:
        self._lock.unlock()


def hand_over(key: str, handover: Handover, wait_ms: int = HANDOVER_WAIT_MS) -> bool:
    """Send ``handover`` to the running Flowbench; True once it said it got it."""
    from PySide6.QtNetwork import QLocalSocket

    deadline = time.monotonic() + wait_ms / 1000
    while True:
        socket = QLocalSocket()
        socket.connectToServer(key)
        if socket.waitForConnected(CONNECT_TRY_MS):
            socket.write(handover.encode())
            socket.waitForBytesWritten(CONNECT_TRY_MS * 4)
            answer = b""
            while not answer.endswith(b"\n") and time.monotonic() < deadline:
                if socket.waitForReadyRead(CONNECT_TRY_MS):
                    answer += bytes(socket.readAll().data())
                elif socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
                    break
            socket.disconnectFromServer()
            if answer == ACKNOWLEDGED:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(CONNECT_TRY_MS / 1000)


class InstanceServer(QObject):
    """Listens for later starts and announces what each of them handed over."""

    handed_over = Signal(object)  # a Handover

    def __init__(self, lock: InstanceLock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self.lock = lock
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Listen, replacing a socket a killed Flowbench left behind (we hold the lock,
        so nobody else listens on it)."""
        self.server.removeServer(self.lock.key)
        if self.server.listen(self.lock.key):
            return True
        log.warning("a second start cannot reach this Flowbench: %s", self.server.errorString())
        return False

    def close(self) -> None:
        self.server.close()
        self.lock.release()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._read(s, b))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer.extend(bytes(socket.readAll().data()))
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        try:
            handover = Handover.decode(line)
        except ValueError:
            log.warning("ignored a malformed hand-over from a second start")
            socket.abort()
            return
        socket.write(ACKNOWLEDGED)
        socket.flush()
        socket.disconnectFromServer()
        log.info("a second start handed over: %s", handover.describe())
        # after this socket's slot: acting may ask about unsaved edits (a dialog)
        QTimer.singleShot(0, self, lambda: self.handed_over.emit(handover))
