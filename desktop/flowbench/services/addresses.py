"""Workspace addresses as the app shows and remembers them: a team workspace's address
without its password. Light on purpose (no database library): the window reads the
remembered workspaces on its way to the first windows."""

from __future__ import annotations

from flowbench.store.team_address import without_password

__all__ = ["without_password"]
