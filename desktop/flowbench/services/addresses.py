"""Workspace addresses as the app shows and remembers them: a team workspace's address
without its password, and where the workspace file is when none is named. Light on
purpose (no database library): the window needs them on its way to the first windows."""

from __future__ import annotations

from flowbench.store.default_location import default_workspace_path
from flowbench.store.team_address import without_password

__all__ = ["default_workspace_path", "without_password"]
