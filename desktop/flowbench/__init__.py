"""Flowbench: a desktop workbench for authoring, approving and publishing Action Flows."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("flowbench")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

__all__ = ["__version__"]

from flowbench._peewee_driver import hide_driver_from_peewee as _hide_driver  # noqa: E402

_hide_driver()  # peewee comes without psycopg: loaded when a team workspace opens
