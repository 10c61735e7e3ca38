# peewee's stubs do not know its connection state or driver hooks:
# mypy: disable-error-code="attr-defined, misc, no-untyped-call"
"""Team workspaces: the PostgreSQL connection, its password and a server that goes away.

A team points Flowbench at ``postgresql://USER@HOST:PORT/DB``. The password is never
written to a file: it comes from the caller (a prompt), the URL, ``$PGPASSWORD`` or the
system keyring, and a password that worked after a prompt is kept in the keyring.

``TeamDatabase`` turns the driver's "connection lost" into ``ServerUnavailable`` (a
FlowbenchError with a sentence for the member): the transaction that was running is
rolled back by the server, nothing was written, and the next call reconnects.
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any

import peewee
from peewee import PostgresqlDatabase

from flowbench.domain.errors import (
    PasswordRequired,
    ServerUnavailable,
    WorkspaceUnusable,
)

KEYRING_SERVICE = "Flowbench team workspace"
CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, not waited on forever
APPLICATION_ID = "flowbench"

_AUTH_STATES = {"28P01", "28000"}  # invalid_password, invalid_authorization_specification


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url


def parse_url(url: str) -> dict[str, str]:
    """The URL's parts (user, host, port, dbname, password…); WorkspaceUnusable if bad."""
    import psycopg  # only team workspaces need the driver: loaded on first use
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {key: str(value) for key, value in conninfo_to_dict(normalise_url(url)).items()}
    except psycopg.ProgrammingError as exc:
        raise WorkspaceUnusable(
            f"'{url}' is not a team workspace address; write it as "
            "postgresql://USER@HOST:PORT/DATABASE.") from exc


def display_name(parts: dict[str, str]) -> str:
    user = parts.get("user") or os.environ.get("PGUSER") or ""
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    where = f"{host}:{port}/{parts.get('dbname', '')}"
    return f"{user}@{where}" if user else where


def keyring_key(parts: dict[str, str]) -> str:
    return display_name(parts)


# --- the system keyring -------------------------------------------------------------------

def keyring_password(key: str) -> str | None:
    """The kept password, or None (also when there is no usable keyring)."""
    try:
        import keyring

        found: str | None = keyring.get_password(KEYRING_SERVICE, key)
        return found
    except Exception:  # no backend, a locked or broken one: ask instead
        return None


def keep_password(key: str, password: str) -> str:
    """Keep ``password`` in the system keyring; "" when kept, else what the member should
    know (the password is then not kept anywhere and will be asked for again)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, key, password)
    except Exception as exc:
        reason = str(exc).strip() or type(exc).__name__
        return ("The password could not be kept in the system keyring (" + reason.rstrip(".")
                + "). It was not saved anywhere; Flowbench will ask for it next time.")
    return ""


def forget_password(key: str) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, key)
    except Exception:
        pass


# --- the database ---------------------------------------------------------------------------

class TeamDatabase(PostgresqlDatabase):
    """peewee's PostgreSQL database on psycopg 3, with clear errors for a lost server."""

    def __init__(self, url: str, *, password: str | None, password_source: str) -> None:
        self.parts = parse_url(url)
        self.display_name = display_name(self.parts)
        self.password_source = password_source  # "prompt", "url", "env", "keyring" or ""
        self._given_password = password if password_source == "prompt" else None
        params: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT,
                                  "application_name": APPLICATION_ID}
        if password is not None and "password" not in self.parts:
            params["password"] = password
        super().__init__(normalise_url(url), prefer_psycopg3=True, **params)

    # connecting
    def _connect(self) -> Any:
        import psycopg

        try:
            return super()._connect()
        except psycopg.OperationalError as exc:
            raise self._refusal(exc) from exc

    def _refusal(self, exc: Exception) -> Exception:
        text = str(exc).strip()
        state = getattr(exc, "sqlstate", None)
        if state in _AUTH_STATES or "password" in text.lower():
            if self.password_source == "keyring":
                forget_password(keyring_key(self.parts))
            if self.password_source == "env":
                return PasswordRequired(f"The server refused the password in $PGPASSWORD for "
                                        f"{self.display_name}.")
            given = self.password_source in {"prompt", "url", "keyring"}
            return PasswordRequired(
                f"The server refused the password for {self.display_name}; type it again."
                if given else f"The team workspace {self.display_name} needs a password.")
        role = re.search(r'role "([^"]*)" does not exist', text)
        if role is not None:
            return WorkspaceUnusable(
                f"The team workspace server {self.display_name} refused the user "
                f"{role.group(1)}: the server has no such role. Check the user name in the "
                "address, or ask the server's administrator to create the role (see the "
                "README: Team workspaces).")
        if state == "3D000" or ('database "' in text and "does not exist" in text):
            return WorkspaceUnusable(
                f"The server has no database '{self.parts.get('dbname', '')}'. Ask the "
                "server's administrator to create it (see the README: Team workspaces).")
        first = text.splitlines()[0] if text else type(exc).__name__
        return ServerUnavailable(
            f"The team workspace server {self.display_name} cannot be reached ({first}). "
            "Nothing was changed; your unsaved edits are kept — try again when it is back.")

    # losing the server mid-session
    def _lost(self) -> bool:
        conn = self._state.conn
        return conn is None or bool(conn.closed) or bool(getattr(conn, "broken", False))

    def _went_away(self, exc: Exception) -> ServerUnavailable:
        if self.transaction_depth() == 0:
            self._drop()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ServerUnavailable(
            f"The connection to the team workspace server {self.display_name} was lost "
            f"({first}). The last change was not saved; your unsaved edits are kept — try "
            "again when the server is back.")

    def _drop(self) -> None:
        conn = self._state.conn
        try:
            if conn is not None:
                conn.close()
        except Exception:
            pass
        self._state.reset()

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        try:
            return super().execute_sql(sql, params)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._lost():
                raise self._went_away(exc) from exc
            raise

    def begin(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().begin(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._lost():
                raise self._went_away(exc) from exc
            raise

    def commit(self) -> None:
        try:
            super().commit()
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            if self._lost():
                raise self._went_away(exc) from exc
            raise

    def rollback(self) -> None:
        if not self._state.closed and self._lost():
            if self.transaction_depth() == 0:
                self._drop()  # the server rolled back when it lost us; nothing to undo
            return
        super().rollback()

    # opening
    def inspect_schema(self) -> int | None:
        """The workspace's schema version; None for an empty database. Refuses others."""
        tables = {row[0] for row in self.execute_sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()").fetchall()}
        if not tables:
            return None
        if "flowbench_meta" not in tables:
            raise WorkspaceUnusable(
                f"The database {self.display_name} holds other tables and is not a Flowbench "
                "workspace; it was left as it is. Use an empty database.")
        facts = dict(self.execute_sql("SELECT key, value FROM flowbench_meta").fetchall())
        if facts.get("application") != APPLICATION_ID:
            raise WorkspaceUnusable(f"{self.display_name} is not a Flowbench workspace.")
        try:
            return int(facts.get("schema_version", "0"))
        except ValueError as exc:
            raise WorkspaceUnusable(
                f"{self.display_name} has an unreadable schema version.") from exc

    def remember_password(self) -> str:
        """After a successful open: keep a typed password in the keyring."""
        if self._given_password is None:
            return ""
        password, self._given_password = self._given_password, None
        return keep_password(keyring_key(self.parts), password)

    def close_quietly(self) -> None:
        with contextlib.suppress(Exception):
            self._drop()


def open_team_database(url: str, password: str | None) -> tuple[TeamDatabase, str]:
    """A connected TeamDatabase and a notice for the member ("" when none)."""
    parts = parse_url(url)
    source = ""
    if password:
        source = "prompt"
    elif parts.get("password"):
        source = "url"
    elif os.environ.get("PGPASSWORD"):
        source = "env"
    else:
        kept = keyring_password(keyring_key(parts))
        if kept is not None:
            password, source = kept, "keyring"
    db = TeamDatabase(url, password=password, password_source=source)
    try:
        db.connect()
    except ServerUnavailable as exc:
        raise WorkspaceUnusable(str(exc).replace(
            " Nothing was changed; your unsaved edits are kept — try again when it is back.",
            " Check the address and that the server is running.")) from exc
    notice = db.remember_password()
    return db, notice
