"""Logging to the platform's log folder with rotation, and the last-resort handler that
shows unexpected errors in a dialog (naming the log file) instead of dying silently.

Nothing happens at import time: ``setup_logging`` creates the folder when the GUI starts.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from flowbench.domain.safe_text import printable
from flowbench.private_files import private_file, private_folder

LOG_NAME = "flowbench.log"
MAX_BYTES = 1_000_000
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger("flowbench")


def no_sql(record: logging.LogRecord) -> bool:
    """Leave out the database driver's query log: its parameters carry password hashes
    (and every other value written), which no log file may hold."""
    return not (record.name == "peewee" or record.name.startswith(("peewee.", "psycopg"))) \
        or record.levelno >= logging.WARNING


class SafeFormatter(logging.Formatter):
    """Log lines with control characters escaped (a flow name holding an escape
    sequence cannot rewrite the terminal of whoever reads the log)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = printable(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return printable(super().formatException(ei), keep_lines=True)

ShowError = Callable[[str, str, Path | None], None]  # (summary, details, log file)


def log_folder() -> Path:
    return platformdirs.user_log_path("Flowbench", appauthor=False)


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to ``<folder>/flowbench.log`` (rotated); returns the file, or None when the
    folder cannot be written (logging then goes to stderr only)."""
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level))
    target = (folder or log_folder()) / LOG_NAME
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    try:
        private_folder(target.parent)
        handler = PrivateLogHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                    encoding="utf-8", delay=True)
    except OSError as exc:
        logging.basicConfig(level=level, format=FORMAT)
        for existing in root.handlers:
            existing.setFormatter(SafeFormatter(FORMAT))
            existing.addFilter(no_sql)
        log.warning("cannot write the log file %s: %s", target, exc)
        return None
    handler.setFormatter(SafeFormatter(FORMAT))
    handler.addFilter(no_sql)
    root.addHandler(handler)
    return target


class PrivateLogHandler(RotatingFileHandler):
    """A rotating log whose files only their owner may read (each new file 0600)."""

    def _open(self):  # type: ignore[no-untyped-def]
        private_file(Path(self.baseFilename))
        return super()._open()


def current_log_file() -> Path | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None


class UnexpectedErrorHook:
    """``sys.excepthook``: log the exception, then show it (once at a time)."""

    def __init__(self, show: ShowError) -> None:
        self._show = show
        self._showing = False
        self.previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous

    def __call__(self, kind: type[BaseException], error: BaseException,
                 trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, error, trace)
            return
        log.error("unexpected error", exc_info=(kind, error, trace))
        if self._showing:  # an error while showing an error: the log has it
            return
        self._showing = True
        try:
            summary = f"{kind.__name__}: {error}" if str(error) else kind.__name__
            details = "".join(traceback.format_exception(kind, error, trace))
            self._show(summary, details, current_log_file())
        except Exception:  # the dialog itself failed: fall back to stderr
            self.previous(kind, error, trace)
        finally:
            self._showing = False
