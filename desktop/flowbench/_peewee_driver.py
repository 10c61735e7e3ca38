"""peewee without the PostgreSQL driver until a team workspace needs it.

peewee, and playhouse's PostgreSQL extension that ``playhouse.migrate`` imports, import
psycopg at their own import time when it is installed (for team workspaces): 0.3–0.6 s
of every start of the app (its binary libpq, asyncio, its type adapters), though only
``postgresql://`` workspaces use it. ``import_peewee`` (called by
``flowbench/__init__.py``) imports both with the driver hidden; the first
``PostgresqlDatabase`` created (a team workspace) loads the driver and gives peewee and
the extension what their own imports would have set.
"""

from __future__ import annotations

import sys
from typing import Any


def import_peewee() -> None:
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return  # too late, or the driver is wanted already: peewee as it comes
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # "not installed"
    try:
        import peewee
        import playhouse.migrate  # noqa: F401  # its PostgreSQL extension imports it too
    finally:
        del sys.modules["psycopg"]
    original = peewee.PostgresqlDatabase.init

    def init(self: Any, *args: Any, **kwargs: Any) -> Any:
        load_driver()
        return original(self, *args, **kwargs)

    setattr(peewee.PostgresqlDatabase, "init", init)  # noqa: B010  # (mypy: a method)


def load_driver() -> None:
    """Give peewee the psycopg 3 driver, as its import does when the driver is there."""
    import peewee

    if getattr(peewee, "psycopg", None) is not None:
        return
    try:
        import psycopg
        from psycopg.pq import TransactionStatus
        from psycopg.types.json import Json, Jsonb
    except ImportError:
        return  # not installed: peewee says "psycopg postgres driver not found"
    from playhouse import postgres_ext
    from psycopg.types import TypeInfo
    from psycopg.types.hstore import register_hstore

    module: Any = peewee  # (untyped attributes)
    module.TransactionStatus = TransactionStatus
    module.Json_pg3, module.Jsonb_pg3 = Json, Jsonb
    adapter = module.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
    extension: Any = postgres_ext
    extension.TypeInfo, extension.register_hstore_pg3 = TypeInfo, register_hstore
    module.psycopg = psycopg
