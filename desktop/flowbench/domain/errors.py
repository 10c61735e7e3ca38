"""Errors a person can read. Services raise these; the GUI and CLI show the message."""

from __future__ import annotations


class FlowbenchError(Exception):
    """Base class: ``str(error)`` is a complete sentence fit for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PermissionDenied(FlowbenchError):
    """The signed-in member's role does not allow the action."""


class NotFound(FlowbenchError):
    """A flow, member, group, version or customer that does not exist."""


class StaleError(FlowbenchError):
    """The thing acted on changed since the member looked at it."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "This draft changed since you looked — review it again.")


class InvalidInput(FlowbenchError):
    """Bad input (malformed file, bad value); nothing was written."""


class PlacedInvalidInput(InvalidInput):
    """Bad input at a known place: ``place`` says where (``steps[2].duration``), ``problem``
    what is wrong there; the message is both, ``"place: problem"``."""

    def __init__(self, place: str, problem: str) -> None:
        super().__init__(f"{place}: {problem}")
        self.place = place
        self.problem = problem


class Conflict(FlowbenchError):
    """The action clashes with existing data (a name taken, the last owner…)."""


class PublishBlocked(FlowbenchError):
    """Publishing is blocked: validation errors, missing approvals, nothing to publish."""

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = list(reasons or [])


class SignInFailed(FlowbenchError):
    """Wrong email or password, an inactive member, or too many attempts."""


class WorkspaceUnusable(FlowbenchError):
    """The workspace file or server cannot be opened (newer schema, corrupt, not Flowbench)."""


class OperationCancelled(FlowbenchError):
    """The member cancelled long work before it committed; nothing changed."""


class PasswordRequired(WorkspaceUnusable):
    """A team workspace server wants a password that was not given (or was refused)."""


class ServerUnavailable(FlowbenchError):
    """The team workspace server cannot be reached or went away; nothing was written."""


class WorkspaceBusy(FlowbenchError):
    """Another process held the workspace's write lock for longer than the busy timeout."""

    MESSAGE = ("The workspace is busy: another Flowbench is writing to it. Nothing was "
               "changed; try again.")

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.MESSAGE)


class DiskFull(FlowbenchError):
    """The disk that holds the workspace has no space left; the write was rolled back."""


class WorkspaceReadOnly(FlowbenchError):
    """The workspace file or its folder cannot be written: it was opened for reading only."""


class OfflineRefused(PermissionDenied):
    """An offline copy of a team workspace refuses what needs the team (approving…)."""
