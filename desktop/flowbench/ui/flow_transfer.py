"""File → Import Flow… and Export Flow…: flow files in, flow files out.

The import runs on a worker thread (``tasks.Task``); a malformed file or a refusal is
explained in a dialog naming the file, and nothing is written.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from flowbench.domain.errors import FlowbenchError
from flowbench.services import flow_files
from flowbench.services.context import Actor
from flowbench.ui.dialogs.prompts import Prompts
from flowbench.ui.session import AppSession, SessionChange
from flowbench.ui.tasks import Task, TaskControl, show_progress

log = logging.getLogger(__name__)

FILTERS = "Flow files (*.flowbench.json *.json);;All files (*)"
SUFFIX = ".flowbench.json"  # the file type the installers associate with Flowbench
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def suggested_file_name(flow_name: str) -> str:
    stem = _UNSAFE.sub("-", flow_name).strip(" .-") or "flow"
    return stem + SUFFIX


def read_flow_file(path: Path) -> str:
    """The file's text (UTF-8, with or without a byte-order mark); ValueError if not."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not UTF-8 text, so it cannot be a flow "
                         "file.") from None


def report_unexpected(error: BaseException) -> None:
    """An error no service explained: log it and show the unexpected-error dialog."""
    sys.excepthook(type(error), error, error.__traceback__)


class FlowTransfer(QObject):
    imported = Signal(int, bool)  # flow id, whether it was created (else a new draft)
    message = Signal(str)

    def __init__(self, window: QWidget, session: AppSession, prompts: Prompts) -> None:
        super().__init__(window)
        self.window, self.session, self.prompts = window, session, prompts
        self.task: Task | None = None
        self.last_directory = str(Path.home())

    # --- import ---------------------------------------------------------------------------
    def import_flow(self, path: Path | None = None) -> Task | None:
        """Ask for a file (unless given) and import it in the background."""
        actor = self.session.actor
        if actor is None:
            return None
        if path is None:
            path = self.prompts.choose_open_file(self.window, "Import Flow", FILTERS,
                                                 self.last_directory)
            if path is None:
                return None
        self.last_directory = str(path.parent)
        try:
            text = read_flow_file(path)
        except OSError as error:
            self.prompts.error(self.window, "Flow not imported",
                               f"{path.name} could not be read: {error.strerror or error}.")
            return None
        except ValueError as error:
            self.prompts.error(self.window, "Flow not imported", str(error))
            return None
        if not self._may_replace(actor, text):
            return None

        def work(control: TaskControl) -> tuple[int, bool, str]:
            control.report(f"Importing {path.name}")
            summary, created = flow_files.import_flow(actor, text)
            return summary.id, created, summary.name

        task = Task(work, self)
        task.succeeded.connect(self._imported)
        task.failed.connect(lambda error: self._import_failed(path, error))
        show_progress(task, self.window, "Importing the flow", cancellable=False)
        self.task = task
        return task.start()

    def _may_replace(self, actor: Actor, text: str) -> bool:
        """A draft another member saved last is replaced only when the member says so
        (its revision stays kept either way)."""
        try:
            replaced = flow_files.replaced_by_import(actor, text)
        except FlowbenchError:
            return True  # the import itself says what is wrong
        if replaced is None:
            return True
        name = replaced.saved_by
        return self.prompts.confirm(  # No is the default button
            self.window, "Replace the draft?",
            f"{name} saved revision {replaced.revision} of this draft "
            f"{replaced.describe_age()}. Replace it with the file? {name}'s revision stays "
            "in the history.")

    def _imported(self, outcome: tuple[int, bool, str]) -> None:
        flow_id, created, name = outcome
        self.session.notify(SessionChange.for_flow(flow_id, origin=self))
        self.message.emit(f"Imported “{name}” as a new flow." if created
                          else f"Imported “{name}” as its new draft.")
        self.imported.emit(flow_id, created)

    def _import_failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, FlowbenchError):
            self.prompts.error(self.window, "Flow not imported",
                               f"{path.name} was not imported; nothing was changed.\n\n"
                               f"{error}")
        else:
            report_unexpected(error)

    # --- export ---------------------------------------------------------------------------
    def export_flow(self, flow_id: int, flow_name: str) -> Path | None:
        """Ask where, then write the flow (its draft, else its live version)."""
        suggested = str(Path(self.last_directory) / suggested_file_name(flow_name))
        path = self.prompts.choose_save_file(self.window, "Export Flow", FILTERS, suggested)
        if path is None:
            return None
        self.last_directory = str(path.parent)
        try:
            text = flow_files.export_flow(flow_id)
            path.write_text(text, encoding="utf-8")
        except FlowbenchError as error:
            self.prompts.error(self.window, "Flow not exported", str(error))
            return None
        except OSError as error:
            self.prompts.error(self.window, "Flow not exported",
                               f"{path} could not be written: {error.strerror or error}.")
            return None
        self.message.emit(f"Exported “{flow_name}” to {path}.")
        return path
