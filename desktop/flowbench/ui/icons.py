"""Icons from ``resources/icons/actions`` (SVG), recoloured for a dark colour scheme."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon, QPixmap

from flowbench.resources import resource_path

LIGHT_INK = "#3F74D6"  # the stroke colour the SVG files are drawn with
DARK_INK = "#8AB4F8"
_SIZES = (16, 20, 24, 32, 48, 64)
_dark = False


def use_dark_icons(dark: bool) -> None:
    """Called by the theme when the colour scheme changes; later icons follow it."""
    global _dark
    if dark != _dark:
        _dark = dark
        _load.cache_clear()


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/actions/<name>.svg``; an empty icon if it is missing."""
    return _load(name, _dark)


@cache
def _load(name: str, dark: bool) -> QIcon:
    try:
        path = resource_path(f"icons/actions/{name}.svg")
    except FileNotFoundError:
        return QIcon()
    if not dark:
        return QIcon(str(path))
    data = path.read_bytes().replace(LIGHT_INK.encode(), DARK_INK.encode())
    result = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        if pixmap.loadFromData(data, "SVG"):
            result.addPixmap(pixmap.scaled(size, size))
    return result
