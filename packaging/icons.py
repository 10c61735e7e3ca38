"""Render the application icon from resources/icons/flowbench.svg for every installer.

Nothing binary is committed: PNGs for the hicolor theme, a Windows ``.ico`` and a macOS
``.icns`` are drawn at build time with Qt's own SVG renderer (QtSvg is part of
PySide6-Essentials), offscreen, so this runs on a build machine without a display.

Both container formats hold PNG images, which Windows (Vista on) and macOS (10.7 on)
read, so they are written here directly instead of through platform tools.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

# The hicolor sizes the .deb installs (plus the scalable SVG itself).
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128),
              (b"ic08", 256), (b"ic09", 512), (b"ic10", 1024))


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """PNG bytes of the SVG drawn at each square size, transparent outside the artwork."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icons: {svg} is not a valid SVG")
    pngs: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"icons: could not encode the {size}px icon as PNG")
        buffer.close()
        pngs[size] = bytes(data.data())
    del app
    return pngs


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding one PNG image per size (0 in the directory means 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        dimension = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(data),
                               offset + len(images))
        images += data
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon family holding PNG elements."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def build_icons(svg: Path, out: Path) -> Path:
    """Write ``out/hicolor/<n>x<n>/apps/flowbench.png``, ``flowbench.ico``, ``flowbench.icns``."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = tuple(sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES}))
    pngs = render_pngs(svg, sizes)
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "flowbench.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = out / "hicolor" / "scalable" / "apps" / "flowbench.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(svg.read_bytes())
    (out / "flowbench.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (out / "flowbench.icns").write_bytes(icns_bytes(pngs))
    return out


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print(build_icons(root / "resources" / "icons" / "flowbench.svg", root / "build" / "icons"))
