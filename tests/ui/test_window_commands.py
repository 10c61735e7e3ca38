"""Everything the window does can be scripted: the table below names, for each action of
the window, the ``flowbench`` command that does the same. A menu action missing from the
table fails, and so does a command the command line does not have."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from flowbench.cli import main
from flowbench.ui.app_settings import AppSettings
from flowbench.ui.main_window import MainWindow
from flowbench.ui.session import AppSession

pytestmark = pytest.mark.ui

# (where in the window, the action's label): the command that does it
WINDOW_ACTIONS: dict[tuple[str, str], str] = {
    ("File", "New Flow…"): "flows import FILE",  # a new name: Version 1 draft
    ("File", "Import Flow…"): "flows import FILE",
    ("File", "Export Flow…"): "flows export NAME",
    ("File", "Duplicate Flow…"): "flows duplicate NAME --name NEW",
    ("File", "Archive Flow…"): "flows archive NAME",
    ("File", "Unarchive Flow"): "flows unarchive NAME",
    ("File", "Save"): "flows import FILE",  # the edited content as the draft's revision
    ("File", "Open Workspace…"): "--workspace PATH",
    ("File", "Open Team Workspace…"): "--workspace postgresql://USER@HOST/DATABASE",
    ("File", "Sign In…"): "--as EMAIL",
    ("File", "Work Offline…"): "offline copy FILE",
    ("File", "Sync"): "offline sync",
    ("File", "Offline Conflicts…"): "offline conflicts",
    ("Offline conflict", "Keep Mine / Take Theirs"): "offline resolve NAME --keep mine",
    ("Edit", "Find Flow"): "flows list",
    ("Edit", "Show Archived Flows"): "flows list --archived",
    ("Edit", "Test Send…"): "test-send NAME --to ID",
    ("Edit", "Test Inbox…"): "test-inbox ID",
    ("Workspace", "Members and Settings…"): "members list",
    ("Workspace", "Audit Log…"): "audit",
    ("Workspace", "Audit Log for This Flow…"): "audit --flow NAME",
    ("Workspace", "Change My Password…"): "members change-password",
    ("Runtime", "Customers and Segments…"): "customers list",
    ("Runtime", "Send Event…"): "events send --customer ID --event NAME",
    ("Runtime", "Advance Clock…"): "clock advance DURATION",
    ("Edit tab", "Save"): "flows import FILE",
    ("Edit tab", "Edit as Version N+1"): "flows new-draft NAME",
    ("Edit tab", "Problems"): "validate NAME",
    ("Versions tab", "Restore as Draft…"): "restore NAME --version N",
    ("Versions tab", "Cancel running instances of Version N…"): "cancel NAME --version N",
    ("Versions tab", "…and their open cards"): "cancel NAME --version N --with-cards",
    ("Activity tab", "Cancel running instances of all versions…"): "cancel NAME",
    ("Activity tab", "figures"): "runtime-status NAME",
    ("Publish tab", "Approve"): "approve NAME --group GROUP",
    ("Publish tab", "Reject…"): "reject NAME --group GROUP --comment TEXT",
    ("Publish tab", "Publish…"): "publish NAME",
    ("Pre-publish dialog", "summary and counts"): "publish NAME --dry-run",
    ("Members page", "Add Member…"): "members add --email E --name N --role R",
    ("Members page", "Change Role"): "members set-role EMAIL ROLE",
    ("Members page", "Deactivate…"): "members deactivate EMAIL",
    ("Members page", "Reactivate…"): "members reactivate EMAIL",
    ("Members page", "Reset Password…"): "members reset-password EMAIL",
    ("Groups page", "New Group…"): "groups add NAME",
    ("Groups page", "Rename…"): "groups rename OLD NEW",
    ("Groups page", "Delete…"): "groups remove NAME",
    ("Groups page", "Add to Group"): "groups add-member NAME EMAIL",
    ("Groups page", "Remove from Group"): "groups remove-member NAME EMAIL",
    ("Settings page", "Rename"): "settings rename NAME",
    ("Settings page", "Drafts need approval"): "settings set approvals on",
    ("Settings page", "Members may approve drafts they edited"):
        "settings set self-approval on",
    ("Settings page", "Mark Customer as Test Account…"): "customers set ID test=yes",
    ("Settings page", "Unmark"): "customers set ID test=no",
    ("Customers page", "Import CSV…"): "customers import FILE",
    ("Customers page", "Add Customer…"): "customers set ID KEY=VALUE",
    ("Customers page", "Save Attributes"): "customers set ID KEY=VALUE",
    ("Customers page", "a card's buttons, Snooze, Dismiss"): "cards act ID submit",
    ("Segments page", "New Segment…"): "segments import FILE",
    ("Segments page", "Edit Rules…"): "segments import FILE",
    ("Segments page", "Delete"): "segments delete NAME",
    ("Events & Clock", "Send Event"): "events send --customer ID --event NAME",
    ("Events & Clock", "Advance Clock"): "clock advance DURATION",
    ("Test inbox", "the inbox"): "test-inbox ID",
}
# Window matters only: they change nothing in the workspace.
WINDOW_ONLY = {"Recent Workspaces", "Sign Out", "Quit", "Undo", "Redo", "About Flowbench",
               "Revert to Saved",  # drops unsaved edits: nothing stored changes
               # View: what is on screen, never the workspace
               "Flow List", "Zoom In", "Zoom Out", "Fit Diagram to View", "Larger Diagram"}


def _label(text: str) -> str:
    return text.replace("&", "").split("\t")[0].strip()


def _menu_actions(window: MainWindow) -> set[tuple[str, str]]:
    found = set()
    for menu in window.menuBar().findChildren(QMenu):
        title = _label(menu.title())
        if title == "Recent Workspaces":
            continue
        for action in menu.actions():
            if action.isSeparator() or not action.text():
                continue
            label = _label(action.text())
            if label.startswith(("Undo", "Redo")):
                label = label.split(" ")[0]
            found.add((title, label))
    return found


def test_every_menu_action_has_its_command(qapp: Any, tmp_path: Any) -> None:
    window = MainWindow(AppSession(), AppSettings(QSettings(
        str(tmp_path / "s.ini"), QSettings.Format.IniFormat)), prompts=None)  # type: ignore[arg-type]
    try:
        missing = {(menu, label) for menu, label in _menu_actions(window)
                   if label not in WINDOW_ONLY and (menu, label) not in WINDOW_ACTIONS}
        assert not missing, f"window actions without a command in the table: {missing}"
    finally:
        window.deleteLater()


def _words(command: str) -> list[str]:
    """The subcommand words of a table entry: up to the first placeholder or option."""
    words = []
    for word in command.split():
        if word.startswith("-") or not word.islower() or "=" in word:
            break
        words.append(word)
    return words


@pytest.mark.parametrize("command", sorted(set(WINDOW_ACTIONS.values())))
def test_each_command_in_the_table_exists(command: str, capsys: Any) -> None:
    if command.startswith("--"):
        assert main(["--help"]) == 0
        assert command.split()[0] in capsys.readouterr().out
        return
    words = _words(command)
    assert words, command
    assert main([*words, "--help"]) == 0, command
    usage = capsys.readouterr().out
    for option in (w for w in command.split() if w.startswith("--")):
        assert option in usage, (command, option)
