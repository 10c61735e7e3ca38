"""Flowbench: a desktop workbench for authoring, approving and publishing Action Flows."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata when first asked for:
    ``importlib.metadata`` costs the window's start-up a noticeable share, and only the
    About dialog, ``--version`` and the self-test need it."""
    if name != "__version__":
        raise AttributeError(f"module 'flowbench' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("flowbench")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        version = "0.1.0"
    globals()["__version__"] = version
    return version


from flowbench._peewee_driver import hide_driver_from_peewee as _hide_driver  # noqa: E402

_hide_driver()  # peewee comes without psycopg: loaded when a team workspace opens
