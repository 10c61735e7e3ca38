"""Flowbench: a desktop workbench for authoring, approving and publishing Action Flows."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("flowbench")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

__all__ = ["__version__"]
