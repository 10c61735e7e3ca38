"""Build ``flowbench_<version>_amd64.deb`` from the one-dir bundle with dpkg-deb.

Layout of the package:

    /opt/flowbench/                       the bundle, as PyInstaller made it
    /usr/bin/flowbench                    -> ../../opt/flowbench/flowbench (relative, so
                                          the link also works in an unpacked tree)
    /usr/share/applications/flowbench.desktop
    /usr/share/icons/hicolor/<size>/apps/flowbench.{png,svg}
    /usr/share/metainfo/io.flowbench.Flowbench.metainfo.xml
    /usr/share/mime/packages/flowbench.xml   *.flowbench.json flow files
    /usr/share/doc/flowbench/copyright

No maintainer scripts: the icon cache, the desktop database and the MIME database are
refreshed by the dpkg file triggers of hicolor-icon-theme, desktop-file-utils and
shared-mime-info on the machines that have them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from system_libs import DEPENDS

HERE = Path(__file__).resolve().parent
PACKAGE = "flowbench"
APPSTREAM_ID = "io.flowbench.Flowbench"
MAINTAINER = "Flowbench team <flowbench@example.com>"
DESCRIPTION = """\
Description: desktop workbench for customer-engagement Action Flows
 Flowbench authors, approves and publishes Action Flows: a trigger followed by
 a tree of steps that send in-app action cards and push notifications, wait,
 and react to what customers do with their cards. Flows are rehearsed offline
 against a local runtime with test customers.
 .
 This package carries its own Python and Qt under /opt/flowbench."""


@dataclass(frozen=True)
class DebInputs:
    bundle: Path  # dist/flowbench
    icons: Path  # build/icons (hicolor/ inside)
    version: str
    glibc: str  # newest glibc symbol version the bundle uses
    release_date: str  # YYYY-MM-DD, for the AppStream release entry
    architecture: str = "amd64"


def deb_name(version: str, architecture: str = "amd64") -> str:
    return f"{PACKAGE}_{version}_{architecture}.deb"


def _normalise_modes(root: Path) -> None:
    """Directories 0755, executables 0755, other files 0644, whatever the umask was."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            (Path(dirpath) / name).chmod(0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)
    root.chmod(0o755)


def _installed_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            total += (path.stat().st_size + 1023) // 1024
    return total


def control_text(inputs: DebInputs, installed_kib: int) -> str:
    depends = ", ".join(DEPENDS).format(glibc=inputs.glibc)
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {inputs.version}\n"
        f"Architecture: {inputs.architecture}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends}\n"
        "Recommends: hicolor-icon-theme, desktop-file-utils, shared-mime-info\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"{DESCRIPTION}\n"
    )


def stage(inputs: DebInputs, root: Path) -> Path:
    """Lay the package tree out under ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / PACKAGE
    # Hard links: staging ~100 MB costs nothing; dpkg-deb reads the content.
    shutil.copytree(inputs.bundle, opt, symlinks=True, copy_function=os.link)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / PACKAGE).symlink_to(Path("..", "..", "opt", PACKAGE, PACKAGE))
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(HERE / "flowbench.desktop", share / "applications" / "flowbench.desktop")
    shutil.copytree(inputs.icons / "hicolor", share / "icons" / "hicolor")
    (share / "metainfo").mkdir()
    metainfo = (HERE / f"{APPSTREAM_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", inputs.version).replace("@DATE@",
                                                                        inputs.release_date)
    (share / "metainfo" / f"{APPSTREAM_ID}.metainfo.xml").write_text(metainfo, "utf-8")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(HERE / "flowbench-mime.xml", share / "mime" / "packages" / "flowbench.xml")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Flowbench\nCopyright: the Flowbench team. All rights reserved.\n\n"
        "The bundle under /opt/flowbench carries third-party components under their own\n"
        "licences: CPython (PSF-2.0), Qt 6 and PySide6 (LGPL-3.0), peewee (MIT),\n"
        "platformdirs (MIT), argon2-cffi (MIT), isodate (BSD-3-Clause); their licence\n"
        "texts are in the *.dist-info folders under /opt/flowbench/_internal.\n",
        encoding="utf-8")
    _normalise_modes(root)
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control_text(inputs, _installed_size_kib(root)), "utf-8")
    (debian / "control").chmod(0o644)
    return root


def build_deb(inputs: DebInputs, staging: Path, out_dir: Path) -> Path:
    root = stage(inputs, staging)
    target = out_dir / deb_name(inputs.version, inputs.architecture)
    # zstd -12: 37 MB in ~16 s on two cores, where xz -6 takes ~2 minutes for 30 MB.
    # Every dpkg that can run this bundle (glibc >= 2.35: Debian 12, Ubuntu 22.04 and
    # later) reads zstd-compressed packages.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z12", "--build", str(root),
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    return target
