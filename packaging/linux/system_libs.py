"""Which shared libraries the Linux bundle carries, and which it leaves to the system.

Qt's xcb platform plugin (``libqxcb.so``, ``libQt6XcbQpa.so.6``) links about fifteen X11
helper libraries. The ``xcb-util`` family in particular is missing from many desktops
(Qt's infamous "could not load the Qt platform plugin xcb"), so the bundle CARRIES
them: PyInstaller copies them from the build machine. A build machine without them
makes a bundle that fails on users' desktops while PyInstaller merely warns, so the
build checks for them first and refuses, naming the packages to install.

Everything in ``SYSTEM`` is part of every desktop's graphics and font stack, must match
the user's drivers, X server and font configuration, and is left OUT of the bundle;
the ``.deb`` depends on it instead (``DEPENDS``).

This file is plain standard-library Python: ``build.sh`` runs it with the system
Python before anything is downloaded or built (``python3 system_libs.py --check``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# soname -> Debian package: libraries the bundle must carry (all linked by Qt's xcb
# platform plugin or its GL integrations; read off with readelf -d).
BUNDLED: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

# soname pattern -> Debian package: libraries taken from the user's system. PyInstaller
# already leaves out glibc, libGL/libEGL, libxcb.so.1 and libwayland-*; the spec leaves
# out the rest of this list too.
SYSTEM: Mapping[str, str] = {
    r"libstdc\+\+\.so\.6": "libstdc++6",
    r"libgcc_s\.so\.1": "libgcc-s1",
    r"libz\.so\.1": "zlib1g",
    r"libzstd\.so\.1": "libzstd1",
    r"libGL\.so\.1": "libgl1",
    r"libEGL\.so\.1": "libegl1",
    r"libxcb\.so\.1": "libxcb1",
    r"libX11\.so\.6": "libx11-6",
    r"libX11-xcb\.so\.1": "libx11-xcb1",
    r"libxkbcommon\.so\.0": "libxkbcommon0",
    r"libxkbcommon-x11\.so\.0": "libxkbcommon-x11-0",
    r"libfontconfig\.so\.1": "libfontconfig1",
    r"libfreetype\.so\.6": "libfreetype6",
    r"lib(glib|gthread|gobject|gio|gmodule)-2\.0\.so\.0": "libglib2.0-0",
    r"libdbus-1\.so\.3": "libdbus-1-3",
    r"libwayland-(client|cursor|egl)\.so\.\d+": "libwayland-client0",
}

# The .deb's Depends: field. Alternatives cover Ubuntu 24.04's "t64" renames and let
# any common font package satisfy the need for a font (Qt draws no text without one).
DEPENDS: tuple[str, ...] = (
    "libc6 (>= {glibc})",
    "libstdc++6",
    "libgcc-s1",
    "zlib1g",
    "libzstd1",
    "libgl1",
    "libegl1",
    "libxcb1",
    "libx11-6",
    "libx11-xcb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libfreetype6",
    "fonts-dejavu-core | fonts-liberation2 | fonts-noto-core | fonts-freefont-ttf",
    "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
)

# Tools the build itself runs.
BUILD_TOOLS: Mapping[str, str] = {
    "ldd": "libc-bin",
    "objdump": "binutils",
    "dpkg-deb": "dpkg",
}


def is_system_library(soname: str) -> bool:
    return any(re.fullmatch(pattern, soname) for pattern in SYSTEM)


@dataclass(frozen=True)
class Missing:
    what: str
    package: str


# How ``ldconfig -p`` tags libraries of each architecture ("(libc6,x86-64) => …").
_LDCONFIG_ARCH = {"x86_64": "x86-64", "aarch64": "AArch64"}


def loader_cache(ldconfig_output: str, machine: str | None = None) -> set[str]:
    """The sonames ``ldconfig -p`` lists for this machine's architecture."""
    tag = _LDCONFIG_ARCH.get(machine or platform.machine())
    names = set()
    for line in ldconfig_output.splitlines():
        name, _, rest = line.strip().partition(" (")
        flags, arrow, _ = rest.partition(") => ")
        if arrow and (tag is None or tag in flags.split(",")):
            names.add(name)
    return names


def missing_libraries(known: Iterable[str], installed_packages: Iterable[str] = (),
                      wanted: Mapping[str, str] = BUNDLED) -> list[Missing]:
    """The wanted libraries the loader does not know (whatever package brought them)."""
    known_set, packages = set(known), set(installed_packages)
    return [Missing(soname, package) for soname, package in wanted.items()
            if soname not in known_set and package not in packages]


def python_library_missing(known: Iterable[str]) -> list[Missing]:
    """PyInstaller bundles the Python shared library; a static-only Python cannot be frozen."""
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return []
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    soname = f"libpython{version}.so.1.0"
    return [] if soname in set(known) else [Missing(soname, f"libpython{version}")]


def missing_tools() -> list[Missing]:
    return [Missing(tool, package) for tool, package in BUILD_TOOLS.items()
            if shutil.which(tool) is None]


def refusal(missing: list[Missing]) -> str:
    """The message a person reads when the build machine is not fit to build on."""
    lines = ["The build machine lacks what the Linux bundle must carry or the build needs:"]
    lines += [f"    {item.what:<28} (Debian/Ubuntu package {item.package})" for item in missing]
    packages = " ".join(sorted({item.package for item in missing}))
    lines += [
        "A bundle built without them fails on desktops that lack them (Qt reports that it",
        "could not load the 'xcb' platform plugin), so the build stops here. Install them:",
        f"    sudo apt-get install {packages}",
        "or run packaging/build.sh as root, which offers to install them.",
    ]
    return "\n".join(lines)


def _ldconfig_output() -> str:
    for candidate in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        path = shutil.which(candidate) or (candidate if os.path.exists(candidate) else None)
        if path:
            return subprocess.run([path, "-p"], capture_output=True, text=True,
                                  check=False).stdout
    return ""


def _installed_packages(packages: Iterable[str]) -> set[str]:
    if shutil.which("dpkg-query") is None:
        return set()
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", *sorted(set(packages))],
        capture_output=True, text=True, check=False)
    return {line.split()[0] for line in result.stdout.splitlines()
            if line.endswith(" installed")}


def check_build_machine() -> list[Missing]:
    known = loader_cache(_ldconfig_output())
    return (missing_libraries(known, _installed_packages(BUNDLED.values()))
            + python_library_missing(known) + missing_tools())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1, saying what to install, if the build machine lacks "
                             "something the bundle must carry")
    parser.add_argument("--packages", action="store_true",
                        help="print the Debian packages that are missing, one a line")
    parser.add_argument("--depends", metavar="GLIBC",
                        help="print the .deb Depends: field for this minimum glibc")
    args = parser.parse_args(argv)
    if args.depends:
        print(", ".join(DEPENDS).format(glibc=args.depends))
        return 0
    missing = check_build_machine()
    if args.packages:
        print("\n".join(sorted({item.package for item in missing})))
        return 0
    if missing:
        print(refusal(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
