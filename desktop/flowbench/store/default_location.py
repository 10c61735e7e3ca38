"""Where a workspace file lives when none is named: the embedded workspace in the
platform's user data folder. Light on purpose (no database library): the window names it
in the welcome dialog before the workspace is opened."""

from __future__ import annotations

from pathlib import Path

import platformdirs

WORKSPACE_SUFFIX = ".flowbench"


def default_workspace_path() -> Path:
    """The embedded workspace in the platform's user data folder (not created here)."""
    return platformdirs.user_data_path("Flowbench", appauthor=False) / (
        "workspace" + WORKSPACE_SUFFIX)
