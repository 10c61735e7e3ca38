"""Build ``flowbench_<version>_amd64.deb`` from the one-dir bundle with dpkg-deb.

Layout of the package:

    /opt/flowbench/                       the bundle, as PyInstaller made it
    /usr/bin/flowbench                    -> /opt/flowbench/flowbench (absolute: Debian
                                          policy 10.5 wants links between top-level
                                          folders absolute)
    /usr/share/applications/flowbench.desktop
    /usr/share/icons/hicolor/<size>/apps/flowbench.{png,svg}
    /usr/share/metainfo/io.flowbench.Flowbench.metainfo.xml
    /usr/share/mime/packages/flowbench.xml   *.flowbench.json flow files
    /usr/share/man/man1/flowbench.1.gz    written from the command line's own help
    /usr/share/doc/flowbench/copyright
    /usr/share/doc/flowbench/changelog.gz
    /usr/share/lintian/overrides/flowbench   for binaries redistributed as built upstream

Compressed with xz: Debian 12's dpkg reads zstd members, but its lintian reports them as
a malformed archive, and older dpkg (Debian 11) cannot read them at all.

No maintainer scripts: the icon cache, the desktop database and the MIME database are
refreshed by the dpkg file triggers of hicolor-icon-theme, desktop-file-utils and
shared-mime-info on the machines that have them.
"""

from __future__ import annotations

import datetime
import gzip
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from manpage import build_manpage
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


# A shared library is loaded, never run: 0644 (lintian: shared-library-is-executable).
_SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")
COPYRIGHT = """\
Flowbench
Copyright (C) {year} the Flowbench team <flowbench@example.com>
All rights reserved.

The bundle under /opt/flowbench carries third-party components under their own
licences, with their copyright notices and licence texts in the *.dist-info folders
under /opt/flowbench/_internal:

  CPython           Copyright (C) 2001-{year} Python Software Foundation; PSF-2.0
  Qt 6, PySide6     Copyright (C) 2016-{year} The Qt Company Ltd.; LGPL-3.0
  libxcb helpers    Copyright (C) 2001-2008 Bart Massey, Jamey Sharp, Josh Triplett
                    and others; X11 licence
  peewee, platformdirs, argon2-cffi, keyring, jeepney, SecretStorage: MIT or BSD
  isodate: BSD-3-Clause; psycopg: LGPL-3.0; cryptography: Apache-2.0 or BSD-3-Clause

On Debian systems, the complete text of the GNU Lesser General Public License version 3
can be found in /usr/share/common-licenses/LGPL-3, and that of the Apache License
version 2.0 in /usr/share/common-licenses/Apache-2.0.
"""


def _normalise_modes(root: Path) -> None:
    """Directories 0755, executables 0755, shared libraries and other files 0644,
    whatever the umask was."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            (Path(dirpath) / name).chmod(0o755)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & 0o111 and not _SHARED_LIBRARY.search(name)
            path.chmod(0o755 if executable else 0o644)
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


def changelog_text(inputs: DebInputs) -> str:
    """A Debian changelog entry for this release (the package is native: no upstream
    tarball, so its changelog is the Debian one)."""
    when = datetime.datetime.strptime(inputs.release_date, "%Y-%m-%d").replace(
        hour=12, tzinfo=datetime.UTC)
    return (f"{PACKAGE} ({inputs.version}) unstable; urgency=medium\n\n"
            f"  * Flowbench {inputs.version}: see the README and the release notes of the\n"
            "    Flowbench team for what changed.\n\n"
            f" -- {MAINTAINER}  {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\n")


def _gzip(text: str, target: Path, release_date: str) -> None:
    """gzip -9n: no name, a fixed time (lintian: reproducible, maximum compression)."""
    mtime = int(datetime.datetime.strptime(release_date, "%Y-%m-%d").replace(
        tzinfo=datetime.UTC).timestamp())
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                 compresslevel=9, mtime=mtime) as packed:
        packed.write(text.encode("utf-8"))


def stage(inputs: DebInputs, root: Path) -> Path:
    """Lay the package tree out under ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / PACKAGE
    # Hard links: staging ~100 MB costs nothing; dpkg-deb reads the content.
    shutil.copytree(inputs.bundle, opt, symlinks=True, copy_function=os.link)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / PACKAGE).symlink_to(Path("/opt", PACKAGE, PACKAGE))
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
    (doc / "copyright").write_text(COPYRIGHT.format(year=inputs.release_date[:4]),
                                   encoding="utf-8")
    _gzip(changelog_text(inputs), doc / "changelog.gz", inputs.release_date)
    overrides = share / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy2(HERE / "lintian-overrides", overrides / PACKAGE)
    man1 = share / "man" / "man1"
    man1.mkdir(parents=True)
    _gzip(build_manpage(inputs.version, inputs.release_date), man1 / f"{PACKAGE}.1.gz",
          inputs.release_date)
    _normalise_modes(root)
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control_text(inputs, _installed_size_kib(root)), "utf-8")
    (debian / "control").chmod(0o644)
    return root


def build_deb(inputs: DebInputs, staging: Path, out_dir: Path) -> Path:
    root = stage(inputs, staging)
    target = out_dir / deb_name(inputs.version, inputs.architecture)
    # xz: what Debian's own tools (lintian, older dpkg) read; dpkg-deb compresses it on
    # every core. -z3: 43 MB in ~47 s of CPU, where the default -z6 takes twice as long
    # for 40 MB.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z3", "--build", str(root),
                    str(target)], check=True, stdout=subprocess.DEVNULL)
    return target
