"""Shared set-up of the store and service tests: real workspaces, SQLite and PostgreSQL.

Each test runs once per backend (see tests/support/workspaces.py).

Hashing a password (argon2id) costs tens of milliseconds, so a *template* workspace is
built once per session — its Owner, one member of every other role, and the approval
groups Legal and Marketing — and each test gets a copy of that file.

Cast of the template (password ``PASSWORD`` for everybody):

========  ===========  ==================  ===============
key       role         email               approval groups
========  ===========  ==================  ===============
owner     Owner        olive@example.com   –
admin     Admin        ada@example.com     –
publisher Publisher    pat@example.com     Marketing
editor    Editor       ed@example.com      Legal
viewer    Viewer       vi@example.com      Legal
========  ===========  ==================  ===============

Approvals are off in the template; ``approvals_on`` switches them on.

Test modules are imported in importlib mode and cannot import this file, so everything
they share comes as a fixture: ``cast``, ``owner``, ``make_member``, ``content``,
``broken_content``, ``password``, ``snapshot``, ``read_tables`` and ``template``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from workspaces import (
    Location,
    new_location,
    open_rows,
    table_names,
)

from flowbench.domain.definition import Button, FlowDefinition, Step, Trigger
from flowbench.services import members, workspace
from flowbench.services.context import Actor
from flowbench.store.connection import Workspace, close_workspace, open_workspace

PASSWORD = "correct horse battery"
ROLES = ("owner", "admin", "publisher", "editor", "viewer")
PEOPLE = {  # role -> (email, name, groups)
    "owner": ("olive@example.com", "Olive", ()),
    "admin": ("ada@example.com", "Ada", ()),
    "publisher": ("pat@example.com", "Pat", ("Marketing",)),
    "editor": ("ed@example.com", "Ed", ("Legal",)),
    "viewer": ("vi@example.com", "Vi", ("Legal",)),
}
GROUPS = ("Legal", "Marketing")


@dataclass(frozen=True)
class Cast:
    owner: Actor
    admin: Actor
    publisher: Actor
    editor: Actor
    viewer: Actor

    def by_role(self, role: str) -> Actor:
        actor: Actor = getattr(self, role)
        return actor


def build_template(path: Location) -> Cast:
    open_workspace(path)
    try:
        email, name, _ = PEOPLE["owner"]
        actors = {"owner": workspace.create_workspace("Production", email, name, PASSWORD)}
        owner = actors["owner"]
        for group in GROUPS:
            members.add_group(owner, group)
        for role in ROLES[1:]:
            email, name, groups = PEOPLE[role]
            info = members.add_member(owner, email, name, role, PASSWORD)
            actors[role] = Actor(info.id, info.email, info.name, info.role)
            for group in groups:
                members.add_group_member(owner, group, email)
    finally:
        close_workspace()
    return Cast(**actors)


@pytest.fixture(scope="session")
def template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Location, Cast]:
    """The session's template workspace (file or database) and its cast (do not open it)."""
    from workspaces import make_template

    location, cast = make_template(backend, tmp_path_factory.mktemp("template"),
                                   build_template)
    return location, cast


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    """The copied workspace, opened via ``open_workspace`` and closed afterwards."""
    opened = open_workspace(ws_path)
    yield opened
    close_workspace()


@pytest.fixture
def cast(template: tuple[Path, Cast], ws: Workspace) -> Cast:
    return template[1]


@pytest.fixture
def owner(cast: Cast) -> Actor:
    return cast.owner


@pytest.fixture
def empty_ws(backend: str, tmp_path: Path) -> Iterator[Workspace]:
    """A brand-new workspace (file or database) with nobody in it (for the first run)."""
    for location in new_location(backend, tmp_path):
        opened = open_workspace(location)
        yield opened
        close_workspace()


@pytest.fixture
def approvals_on(cast: Cast) -> Cast:
    workspace.set_approvals(cast.owner, True)
    return cast


MemberFactory = Callable[..., Actor]


@pytest.fixture
def make_member(cast: Cast, fast_hashing: None) -> MemberFactory:
    """``make_member("editor", groups=("Legal",))``: a new member of that role."""
    counter = iter(range(1, 10_000))

    def make(role: str, *, groups: tuple[str, ...] = (), name: str | None = None,
             password: str = PASSWORD) -> Actor:
        number = next(counter)
        email = f"{role}{number}@example.com"
        info = members.add_member(cast.owner, email, name or f"{role.title()} {number}",
                                  role, password)
        for group in groups:
            members.add_group_member(cast.owner, group, email)
        return Actor(info.id, info.email, info.name, info.role)

    return make


# --- flow content ------------------------------------------------------------------------

def welcome(title: str = "Welcome!", *, event: str = "signup_completed",
            wait: str = "P2D") -> FlowDefinition:
    """A valid definition; vary ``title`` to get different content."""
    return FlowDefinition(
        trigger=Trigger("api_event", event=event),
        steps=(Step("welcome", "send_card", title=title, body="Let's get you set up.",
                    buttons=(Button("Start", "submit"),), priority=5),
               Step("later", "wait_duration", parent="welcome", duration=wait)))


def broken() -> FlowDefinition:
    """A definition with validation errors (empty card title, zero wait)."""
    return welcome(title="", wait="P0D")


@pytest.fixture
def content() -> Callable[..., FlowDefinition]:
    """``content("Hi")``: a valid definition whose card title is "Hi"."""
    return welcome


@pytest.fixture
def broken_content() -> FlowDefinition:
    return broken()


@pytest.fixture
def password() -> str:
    """Everybody's password in the template workspace."""
    return PASSWORD


# --- comparing the whole database ----------------------------------------------------------

def table_snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the open workspace, for "nothing changed" checks."""
    return open_rows()


@pytest.fixture
def snapshot() -> Callable[[], dict[str, list[tuple[object, ...]]]]:
    return table_snapshot


@pytest.fixture
def read_tables() -> Callable[[Location], set[str]]:
    """Table names of a workspace, read without going through Flowbench."""
    return table_names
