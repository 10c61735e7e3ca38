"""README screenshots, written to docs/screenshots/ only when asked for.

``save_screenshot(widget, name)`` always renders ``widget.grab()`` (so a test still fails
when rendering does), but writes ``docs/screenshots/NAME.png`` only when the environment
variable ``FLOWBENCH_SCREENSHOTS=1`` is set; otherwise the PNG goes to a temporary folder
that is removed when the test run ends. A plain ``./dev test`` so leaves the tracked PNGs
alone. To regenerate them::

    FLOWBENCH_SCREENSHOTS=1 ./dev test tests/ui -k screenshot

Every PNG shows the app's light theme (see ``real_look``) and is kept small: rendered at
device pixel ratio 1, at most ``MAX_SIZE`` (larger widgets are scaled down, keeping the
aspect ratio), opaque, most compressed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from flowbench.ui.theme import Theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The main window's first-run size on a common 1920×1080 desktop (ui/window_size.py): the
# README shows the window as a new user first sees it, unscaled.
MAX_SIZE = (1536, 864)
ENVIRONMENT_VARIABLE = "FLOWBENCH_SCREENSHOTS"

_scratch: tempfile.TemporaryDirectory[str] | None = None


def writing_docs() -> bool:
    """True when screenshots go to docs/screenshots (FLOWBENCH_SCREENSHOTS=1)."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "") == "1"


def screenshot_folder() -> Path:
    """docs/screenshots when regenerating, otherwise a temporary folder for this run."""
    global _scratch
    if writing_docs():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    if _scratch is None:
        _scratch = tempfile.TemporaryDirectory(prefix="flowbench-screenshots-")
    return Path(_scratch.name)


@contextmanager
def real_look() -> Iterator[None]:
    """The app's light theme, as the app applies it on a desktop, unless a test applied a
    theme itself; undone afterwards so the tests that follow see the plain style."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or app.styleSheet():
        yield
        return
    Theme(app).apply(dark=False)
    app.processEvents()  # let layouts take the theme's padding before the grab
    try:
        yield
    finally:
        app.setStyleSheet("")
        app.processEvents()


def render(widget: QWidget) -> QImage:
    """``widget`` in the app's light theme as an opaque image at device pixel ratio 1,
    no larger than MAX_SIZE."""
    with real_look():
        image = widget.grab().toImage()
    assert not image.isNull(), f"{type(widget).__name__} rendered nothing"
    ratio = image.devicePixelRatio()
    if ratio != 1:  # a HiDPI screen: back to logical pixels, as the README shows them
        image = image.scaled(round(image.width() / ratio), round(image.height() / ratio),
                             Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        image.setDevicePixelRatio(1)
    if image.width() > MAX_SIZE[0] or image.height() > MAX_SIZE[1]:
        image = image.scaled(*MAX_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def at_first_run_size(window: QWidget) -> None:
    """Size the main window (and its flow list) as it first opens on a 1920×1080 desktop."""
    from flowbench.ui.window_size import COMMON_DESKTOP, first_run_geometry, flow_list_width

    size = first_run_geometry(COMMON_DESKTOP).size()
    window.resize(size)
    list_width = flow_list_width(size.width())
    window.splitter.setSizes([list_width, size.width() - list_width])  # type: ignore[attr-defined]
    QApplication.processEvents()


def save_screenshot(widget: QWidget, name: str) -> Path:
    """Render ``widget`` and save it as NAME.png (see the module docstring for where)."""
    image = render(widget)
    target = screenshot_folder() / f"{name}.png"
    assert image.save(str(target), "PNG", 0), f"could not save {target}"  # 0: most compressed
    return target
