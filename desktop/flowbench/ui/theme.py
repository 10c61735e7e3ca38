"""Light and dark look, following the system colour scheme (and its changes).

Where the platform style already draws dark when the system is dark (Windows 11,
macOS, recent GNOME/KDE), only our small stylesheet changes. Where it does not, the
Fusion style with a dark palette stands in.

Before the first paint the look comes from a guess that needs no ``Qt`` namespace
(``system_looks_dark``: Windows' own setting, elsewhere the platform's palette) —
PySide6 builds that namespace's ~95 enum classes at once on first use, ~13 ms that the
first window would wait for; ``confirm_system`` asks Qt's colour scheme once the window
is up and follows its changes from then on.
"""

from __future__ import annotations

import sys

from PySide6 import QtCore
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from flowbench.resources import resource_path
from flowbench.ui import icons

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

DARK_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Window: "#1f2227", Role.WindowText: "#e6e9ee", Role.Base: "#16181c",
    Role.AlternateBase: "#23262c", Role.ToolTipBase: "#2b2f36", Role.ToolTipText: "#e6e9ee",
    Role.PlaceholderText: "#8a93a2", Role.Text: "#e6e9ee", Role.Button: "#2a2e35",
    Role.ButtonText: "#e6e9ee", Role.BrightText: "#ff8a80", Role.Light: "#3a3f48",
    Role.Midlight: "#30343b", Role.Mid: "#24272d", Role.Dark: "#15171a",
    Role.Shadow: "#0b0c0e", Role.Highlight: "#3d6fd0", Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8", Role.LinkVisited: "#c58af9",
}
DISABLED_TEXT = "#6c7380"
PERSONALIZE_KEY = r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize"


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(DISABLED_TEXT))
    return palette


def system_is_dark(app: QApplication) -> bool:
    """Qt's word on the system colour scheme (builds the ``Qt`` namespace)."""
    return app.styleHints().colorScheme() == QtCore.Qt.ColorScheme.Dark


def windows_apps_use_dark() -> bool | None:
    """Windows' "app mode" setting, which Qt's colour scheme follows there; None when it
    cannot be read (not Windows, or no such setting)."""
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, PERSONALIZE_KEY) as key:
            return bool(winreg.QueryValueEx(key, "AppsUseLightTheme")[0] == 0)
    except OSError:
        return None


def system_looks_dark(app: QApplication) -> bool:
    """The first guess at the system colour scheme, without the ``Qt`` namespace: on
    Windows its own setting; elsewhere the platform's palette, which macOS, GNOME and KDE
    make dark when the system is dark. ``Theme.confirm_system`` corrects it."""
    windows = windows_apps_use_dark()
    if windows is not None:
        return windows
    return app.palette().color(Role.Window).lightness() < 128


def stylesheet(dark: bool) -> str:
    try:
        return resource_path(f"styles/{'dark' if dark else 'light'}.qss").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return ""


class Theme:
    """Applies the look now and again whenever the system colour scheme changes."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        # the platform style's name, read when Fusion first stands in for it (touching
        # QStyle costs the start-up its many enums)
        self._platform_style: str | None = None
        # a copy (not QPalette(…): an overload of it takes a Qt.GlobalColor, which builds
        # the Qt namespace)
        self._platform_palette = app.palette()
        self._standing_in = False  # Fusion and the dark palette replace the platform's
        self.dark = False

    def follow_system(self) -> None:
        """The look before the first paint (see ``system_looks_dark``)."""
        self.apply(system_looks_dark(self.app))

    def confirm_system(self) -> None:
        """Once the first window is up: Qt's colour scheme now and on every change."""
        dark = system_is_dark(self.app)
        if dark != self.dark:
            self.apply(dark)
        self.app.styleHints().colorSchemeChanged.connect(
            lambda scheme: self.apply(scheme == QtCore.Qt.ColorScheme.Dark))

    def apply(self, dark: bool) -> None:
        self.dark = dark
        if dark and self._platform_palette.color(Role.Window).lightness() > 128:
            if self._platform_style is None:
                self._platform_style = self.app.style().name()
            self.app.setStyle("Fusion")  # the platform style stays light: draw it ourselves
            self.app.setPalette(dark_palette())
            self._standing_in = True
        elif not dark and self._standing_in:
            if self._platform_style is not None \
                    and self.app.style().name() != self._platform_style:
                self.app.setStyle(self._platform_style)
            self.app.setPalette(self._platform_palette)  # (also where the style is Fusion)
            self._standing_in = False
        icons.use_dark_icons(dark)
        self.app.setStyleSheet(stylesheet(dark))
