"""The look follows the system colour scheme: before the first paint from what the
platform's palette (or Windows' own setting) says, without asking Qt's colour scheme
(that would build PySide6's whole ``Qt`` namespace on the way to the first window); once
the first windows are up, from Qt's colour scheme and each of its changes."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from flowbench.ui import theme as theme_module
from flowbench.ui.theme import Theme, dark_palette

pytestmark = pytest.mark.ui
DARK_ACCENT = "#a9c7ff"  # the dark style sheet's accent


def application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def window_lightness(app: QApplication) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


def test_a_dark_platform_palette_makes_the_first_look_dark(
        qtbot, dark_scheme: Callable[[bool], None]) -> None:
    app = application()
    app.setPalette(dark_palette())  # what macOS, GNOME or KDE hand a dark desktop
    theme = Theme(app)
    theme.follow_system()
    assert theme.dark is True
    assert DARK_ACCENT in app.styleSheet()
    assert app.style().name().lower() != "fusion" or window_lightness(app) < 80


def test_a_light_platform_palette_makes_the_first_look_light(
        qtbot, dark_scheme: Callable[[bool], None]) -> None:
    app = application()
    theme = Theme(app)
    theme.follow_system()
    assert theme.dark is False
    assert DARK_ACCENT not in app.styleSheet()
    assert window_lightness(app) > 128


def test_qt_saying_dark_after_the_first_paint_turns_a_light_start_dark(
        qtbot, dark_scheme: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform style that stays light on a dark system (the palette said light):
    Fusion with the dark palette stands in once Qt's colour scheme is asked."""
    app = application()
    theme = Theme(app)
    theme.follow_system()
    assert theme.dark is False
    monkeypatch.setattr(theme_module, "system_is_dark", lambda _app: True)
    theme.confirm_system()
    assert theme.dark is True
    assert window_lightness(app) < 80
    assert DARK_ACCENT in app.styleSheet()


def test_after_the_start_every_change_of_the_scheme_is_followed(
        qtbot, dark_scheme: Callable[[bool], None]) -> None:
    app = application()
    theme = Theme(app)
    theme.follow_system()
    theme.confirm_system()  # offscreen Qt knows no scheme: light stays
    assert theme.dark is False

    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop went dark
    assert theme.dark is True
    assert window_lightness(app) < 80
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.dark is False
    assert window_lightness(app) > 128


@pytest.mark.parametrize(("apps_use_light", "dark"), [(0, True), (1, False)])
def test_on_windows_the_first_look_follows_the_apps_mode_setting(
        qtbot, dark_scheme: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch,
        apps_use_light: int, dark: bool) -> None:
    read: list[tuple[object, str]] = []

    class Key:
        def __enter__(self) -> Key:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def open_key(root: object, path: str) -> Key:
        read.append((root, path))
        return Key()

    winreg = types.SimpleNamespace(
        HKEY_CURRENT_USER="HKCU", OpenKey=open_key,
        QueryValueEx=lambda key, name: (apps_use_light if name == "AppsUseLightTheme"
                                        else None, 4))
    monkeypatch.setitem(sys.modules, "winreg", winreg)
    monkeypatch.setattr(theme_module.sys, "platform", "win32")
    theme = Theme(application())
    theme.follow_system()
    assert theme.dark is dark
    assert read == [("HKCU", theme_module.PERSONALIZE_KEY)]


def test_on_windows_without_the_setting_the_palette_decides(
        qtbot, dark_scheme: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch) -> None:
    def open_key(root: object, path: str) -> object:
        raise FileNotFoundError(path)

    monkeypatch.setitem(sys.modules, "winreg",
                        types.SimpleNamespace(HKEY_CURRENT_USER="HKCU", OpenKey=open_key))
    monkeypatch.setattr(theme_module.sys, "platform", "win32")
    app = application()
    app.setPalette(dark_palette())
    theme = Theme(app)
    theme.follow_system()
    assert theme.dark is True
