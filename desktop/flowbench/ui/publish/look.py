"""How the Publish tab and the pre-publish dialog look, in the light or dark scheme.

Both follow the palette: ``dark(widget)`` tells which scheme it is, ``muted(widget)`` is
the colour of secondary text (also used inside rich text), ``stylesheet(dark)`` styles
the headings, banners and frames the two screens share.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

COLOURS = {
    False: {"muted": "#5f6673", "warn_bg": "#FFF4D6", "warn_fg": "#4A3B00",
            "warn_line": "#E8D9A8", "ok_bg": "#E6F4EA", "ok_fg": "#0D4A22",
            "ok_line": "#B7DFC4", "bad_bg": "#FDECEA", "bad_fg": "#8C1D18",
            "bad_line": "#F2B8B5", "error": "#b3261e"},
    True: {"muted": "#a3abb8", "warn_bg": "#3a3220", "warn_fg": "#f3dfa2",
           "warn_line": "#6b5a2c", "ok_bg": "#1f3527", "ok_fg": "#b7e4c4",
           "ok_line": "#3f6b4d", "bad_bg": "#3d2221", "bad_fg": "#f2b8b5",
           "bad_line": "#6e3a37", "error": "#f2b8b5"},
}

STYLE = """
QLabel#publishHeading, QLabel#dialogHeading {{ font-size: 14pt; font-weight: 600; }}
QLabel#sectionHeading {{ font-weight: 600; font-size: 10.5pt; }}
QLabel#subtle, QLabel#emptyState {{ color: {muted}; }}
QLabel#emptyState {{ font-size: 11pt; }}
QFrame#publishSection {{ background: palette(base); border: 1px solid palette(mid);
                        border-radius: 6px; }}
QFrame#summaryFrame {{ background: palette(alternate-base); border: 1px solid palette(mid);
                      border-radius: 6px; }}
QLabel#publishState {{ border-radius: 6px; padding: 8px 10px; border: 1px solid {warn_line};
                      background: {warn_bg}; color: {warn_fg}; }}
QLabel#publishState[state="ready"] {{ background: {ok_bg}; color: {ok_fg};
                                     border: 1px solid {ok_line}; }}
QLabel#publishState[state="idle"] {{ background: palette(alternate-base); color: palette(text);
                                    border: 1px solid palette(mid); }}
QFrame#overrideFrame {{ background: {warn_bg}; border: 1px solid {warn_line};
                       border-radius: 6px; }}
QFrame#overrideFrame QLabel {{ color: {warn_fg}; }}
QLabel#staleNote {{ background: {bad_bg}; color: {bad_fg}; border: 1px solid {bad_line};
                   border-radius: 6px; padding: 6px 8px; }}
QListWidget#publishErrors {{ border: none; background: transparent; }}
QListWidget#publishErrors::item {{ padding: 3px 2px; color: {error}; }}
QCheckBox {{ spacing: 8px; padding: 2px 0; }}
"""


def dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def muted(widget: QWidget) -> str:
    return COLOURS[dark(widget)]["muted"]


def stylesheet(is_dark: bool) -> str:
    return STYLE.format(**COLOURS[is_dark])
