"""Team workspaces: concurrent saves on either backend, and what only a server can do
(lose the connection, refuse a database), plus the password's keyring handling."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from workspaces import POSTGRES_URL, create_database, drop_database

from flowbench.domain.definition import FlowDefinition
from flowbench.domain.errors import ServerUnavailable, StaleError, WorkspaceUnusable
from flowbench.services import drafts, flows
from flowbench.store import models, team
from flowbench.store.connection import close_workspace, open_workspace

needs_server = pytest.mark.skipif(not POSTGRES_URL, reason="needs $FLOWBENCH_TEST_POSTGRES")


def test_two_members_saving_the_same_revision_at_once_one_is_told_it_is_stale(
        cast, content: Callable[..., FlowDefinition]) -> None:
    flow = flows.create_flow(cast.owner, "Welcome")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor, title: str) -> None:
        start.wait()
        try:
            drafts.save_draft(actor, flow.id, content(title), expected_version=1,
                              expected_revision=1)
            outcomes.append("saved")
        except StaleError as error:
            outcomes.append(f"stale: {error}")
        finally:
            models.database.obj.close()  # this thread's own connection

    members = [threading.Thread(target=save, args=(cast.editor, "Ed's")),
               threading.Thread(target=save, args=(cast.admin, "Ada's"))]
    for member in members:
        member.start()
    for member in members:
        member.join(timeout=60)

    assert sorted(o.split(":")[0] for o in outcomes) == ["saved", "stale"], outcomes
    assert "changed since you looked" in next(o for o in outcomes if o.startswith("stale"))
    assert drafts.open_flow(flow.id).revision == 2


@needs_server
def test_a_server_that_goes_away_gives_a_clear_message_and_writes_nothing(
        cast, content: Callable[..., FlowDefinition], backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("a server connection")
    flow = flows.create_flow(cast.owner, "Welcome")
    db = models.database.obj
    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    with pytest.raises(ServerUnavailable) as refused:
        drafts.save_draft(cast.editor, flow.id, content("Lost"), expected_version=1,
                          expected_revision=1)
    assert "connection to the team workspace server" in str(refused.value)
    assert "unsaved edits are kept" in str(refused.value)
    # back again: the next call reconnects, and the lost save wrote nothing
    assert drafts.open_flow(flow.id).revision == 1
    saved = drafts.save_draft(cast.editor, flow.id, content("Again"), expected_version=1,
                              expected_revision=1)
    assert saved.revision == 2


@needs_server
def test_a_database_with_other_tables_is_refused_and_left_alone() -> None:
    url = create_database()
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")
        with pytest.raises(WorkspaceUnusable, match="not a Flowbench workspace"):
            open_workspace(url)
        with psycopg.connect(url) as conn:
            tables = {row[0] for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public'")}
        assert tables == {"invoices"}
    finally:
        close_workspace()
        drop_database(url)


@needs_server
def test_a_missing_database_is_named() -> None:
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/no_such_flowbench_db"
    with pytest.raises(WorkspaceUnusable, match="no database 'no_such_flowbench_db'"):
        open_workspace(url)


@needs_server
def test_a_missing_role_is_named_not_called_unreachable() -> None:
    parts = POSTGRES_URL.split("://", 1)[1]
    address = "postgresql://ana_no_such_role@" + parts.split("@", 1)[1]
    with pytest.raises(WorkspaceUnusable) as refused:
        open_workspace(address)
    assert "refused the user ana_no_such_role" in str(refused.value)
    assert "cannot be reached" not in str(refused.value)


def test_an_unreachable_server_is_refused_clearly() -> None:
    with pytest.raises(WorkspaceUnusable, match="cannot be reached"):
        open_workspace("postgresql://nobody@127.0.0.1:9/flowbench")


def test_a_bad_address_is_explained() -> None:
    with pytest.raises(WorkspaceUnusable, match="postgresql://USER@HOST:PORT/DATABASE"):
        open_workspace("postgresql://ana@db:port/x?nonsense_option=1")


def test_without_a_keyring_the_password_is_not_kept_and_the_member_is_told(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    import keyring.errors

    def no_backend(*args: object) -> None:
        raise keyring.errors.NoKeyringError("No recommended backend was available")

    monkeypatch.setattr(keyring, "set_password", no_backend)
    monkeypatch.setattr(keyring, "get_password", no_backend)
    notice = team.keep_password("ana@db:5432/flowbench", "s3cret")
    assert "could not be kept in the system keyring" in notice
    assert "will ask for it next time" in notice
    assert "s3cret" not in notice
    assert team.keyring_password("ana@db:5432/flowbench") is None


def test_a_typed_password_goes_to_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    kept: dict[tuple[str, str], str] = {}
    monkeypatch.setattr(keyring, "set_password",
                        lambda service, key, password: kept.__setitem__((service, key),
                                                                        password))
    monkeypatch.setattr(keyring, "get_password",
                        lambda service, key: kept.get((service, key)))
    assert team.keep_password("ana@db:5432/flowbench", "s3cret") == ""
    assert team.keyring_password("ana@db:5432/flowbench") == "s3cret"


@needs_server
def test_two_members_opening_a_new_team_workspace_at_once_both_get_it() -> None:
    import subprocess
    import sys

    url = create_database()
    script = ("from flowbench.store.connection import open_workspace; "
              f"print(open_workspace({url!r}).schema_version)")
    try:
        members = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outcomes = [member.communicate(timeout=90) for member in members]
        from flowbench.store import migrations

        assert [out.strip() for out, _ in outcomes] == [str(migrations.LATEST_SCHEMA)] * 2, \
            outcomes
    finally:
        drop_database(url)
