"""Light and dark look, following the system colour scheme (and its changes).

Where the platform style already draws dark when the system is dark (Windows 11,
macOS, recent GNOME/KDE), only our small stylesheet changes. Where it does not, the
Fusion style with a dark palette stands in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK_COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(DISABLED_TEXT))
    return palette


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


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
        self._platform_palette = QPalette(app.palette())
        self.dark = False

    def follow_system(self) -> None:
        self.apply(system_is_dark(self.app))
        self.app.styleHints().colorSchemeChanged.connect(
            lambda scheme: self.apply(scheme == Qt.ColorScheme.Dark))

    def apply(self, dark: bool) -> None:
        self.dark = dark
        if dark and self._platform_palette.color(Role.Window).lightness() > 128:
            if self._platform_style is None:
                self._platform_style = self.app.style().name()
            self.app.setStyle("Fusion")  # the platform style stays light: draw it ourselves
            self.app.setPalette(dark_palette())
        elif not dark and self._platform_style is not None \
                and self.app.style().name() != self._platform_style:
            self.app.setStyle(self._platform_style)
            self.app.setPalette(self._platform_palette)
        icons.use_dark_icons(dark)
        self.app.setStyleSheet(stylesheet(dark))
