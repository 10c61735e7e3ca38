"""Locate files from the top-level ``resources/`` folder, however Flowbench was installed.

Three layouts are supported, tried in this order:

* a PyInstaller bundle: ``sys._MEIPASS/resources``;
* an installed wheel: the package data ``flowbench/_resources``;
* a source checkout: ``<repo>/resources`` next to ``desktop/``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _candidate_roots() -> list[Path]:
    """Where resources may be (looked up once: every icon asks)."""
    roots: list[Path] = []
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir:
        roots.append(Path(bundle_dir) / "resources")
    if _PACKAGE_DIR.is_dir():  # a package on disk: its data is beside it
        roots.append(_PACKAGE_DIR / "_resources")
    else:  # pragma: no cover - a package inside a zip: ask its loader
        from importlib import resources as importlib_resources

        try:
            packaged = importlib_resources.files("flowbench").joinpath("_resources")
            roots.append(Path(str(packaged)))
        except (ModuleNotFoundError, TypeError):  # exotic loaders
            pass
    # desktop/flowbench/resources.py -> <repo>/resources
    roots.append(_PACKAGE_DIR.parent.parent / "resources")
    return roots


def resource_path(relative: str) -> Path:
    """Return the path of a resource, e.g. ``resource_path("icons/flowbench.svg")``.

    Raises ``FileNotFoundError`` naming every place that was searched when the
    resource exists in none of them.
    """
    relative_path = Path(relative)
    if relative_path.is_absolute() or ".." in relative_path.parts:
        raise ValueError(f"resource path must be relative and stay inside resources/: {relative}")
    searched = []
    for root in _candidate_roots():
        candidate = root / relative_path
        if candidate.exists():
            return candidate
        searched.append(str(candidate))
    raise FileNotFoundError(f"resource {relative!r} not found; looked in: {', '.join(searched)}")
