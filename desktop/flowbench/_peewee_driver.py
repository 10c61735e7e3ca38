"""peewee without the PostgreSQL driver until a team workspace needs it.

peewee, and playhouse's PostgreSQL extension that ``playhouse.migrate`` imports, import
psycopg at their own import time when it is installed (for team workspaces): 0.3–0.6 s
of every start of the app (its binary libpq, asyncio, its type adapters), though only
``postgresql://`` workspaces use it. ``hide_driver_from_peewee`` (called by
``flowbench/__init__.py``, before anything imports peewee) makes ``import psycopg`` fail
*inside those two modules' own imports* — they treat the driver as not installed — and
the first ``PostgresqlDatabase`` created (a team workspace) then imports the driver and
gives peewee and the extension what their imports would have set. Nothing is imported
here: ``flowbench.domain`` stays free of peewee.

Why not simply import ``playhouse.postgres_ext`` only when a team workspace opens
(checked 2026-12-05, peewee 4.5.3): that module is not the only importer. ``peewee.py``
itself runs ``import psycopg`` (and ``psycopg2``) at its top, inside ``try``/``except
ImportError``, and ``playhouse.migrate`` pulls in ``playhouse.cockroachdb``, which imports
``postgres_ext``. Deferring our own imports cannot stop peewee's; only making the import
fail while peewee's module code runs does. The hook touches no private name of peewee's
beyond what its own import would have set (``psycopg``, ``Json_pg3``…, filled in by
``load_driver``), and ``tests/integration/test_lazy_driver.py`` proves both halves: a
start imports no psycopg, and a team workspace still works. Check it when peewee moves.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importlib.abc pulls in importlib.resources, zipfile, shutil…: ~15 ms of
    # every start; the import system only needs the methods, not the base classes
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

DRIVER = "psycopg"
IMPORTERS = ("peewee", "playhouse.postgres_ext")


class _Hide:
    """A meta path finder (``importlib.abc.MetaPathFinder``'s ``find_spec``)."""

    def __init__(self) -> None:
        self.hiding = 0  # > 0 while one of IMPORTERS runs its module code

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name == DRIVER and self.hiding:
            raise ModuleNotFoundError(f"No module named '{DRIVER}' (loaded when a team "
                                      "workspace opens)", name=DRIVER)
        if name not in IMPORTERS:
            return None
        for finder in sys.meta_path:
            found = None if finder is self else finder.find_spec(name, path, target)
            if found is not None and found.loader is not None:
                found.loader = _Hiding(found.loader, self, name)  # type: ignore[assignment]
                return found
        return None


class _Hiding:
    """The module's own loader, with the driver hidden while its code runs (an
    ``importlib.abc.Loader``: ``create_module`` and ``exec_module``)."""

    def __init__(self, loader: Loader, hide: _Hide, name: str) -> None:
        self._loader, self._hide, self._name = loader, hide, name

    def __getattr__(self, name: str) -> Any:  # get_source, is_package… as the real one
        return getattr(self._loader, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._hide.hiding += 1
        try:
            self._loader.exec_module(module)
        finally:
            self._hide.hiding -= 1
        if self._name == "peewee" and getattr(module, "psycopg", None) is None:
            original = module.PostgresqlDatabase.init

            def init(database: Any, *args: Any, **kwargs: Any) -> Any:
                load_driver()
                return original(database, *args, **kwargs)

            module.PostgresqlDatabase.init = init


def hide_driver_from_peewee() -> None:
    if DRIVER in sys.modules or any(name in sys.modules for name in IMPORTERS):
        return  # the driver is loaded already, or it is too late: peewee as it comes
    if not any(isinstance(finder, _Hide) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Hide())


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
    module: Any = peewee  # (untyped attributes)
    module.TransactionStatus = TransactionStatus
    module.Json_pg3, module.Jsonb_pg3 = Json, Jsonb
    adapter = module.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
    extension: Any = sys.modules.get("playhouse.postgres_ext")
    if extension is not None:
        from psycopg.types import TypeInfo
        from psycopg.types.hstore import register_hstore

        extension.TypeInfo, extension.register_hstore_pg3 = TypeInfo, register_hstore
    module.psycopg = psycopg
