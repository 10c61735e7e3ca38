"""Smoke test of the Linux installers: the .deb, unpacked, runs; so do the bundle and tarball.

Runs only with FLOWBENCH_PACKAGING_SMOKE=1 (`.ci/run` sets it after building). It uses
the artifacts in dist/ when they are newer than every source file they are built
from, and otherwise runs the build command, packaging/build.sh, first (~1-2 minutes).

The .deb is unpacked with `dpkg-deb -x` into a temporary root, never installed, and its
/usr/bin/flowbench runs offscreen with a throw-away home folder.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
SOURCES = ("desktop/flowbench", "resources", "packaging", "pyproject.toml", "uv.lock")
SIZE_LIMIT_MB = 170
# System packages the .deb must depend on (Qt's run-time needs that the bundle leaves
# to the system).
REQUIRED_DEPENDS = ("libegl1", "libgl1", "libfontconfig1", "fonts-dejavu-core",
                    "libxkbcommon0", "libxkbcommon-x11-0", "libdbus-1-3", "libglib2.0-0",
                    "libxcb1")
# The X11 helper libraries the bundle must carry (see packaging/linux/system_libs.py).
CARRIED = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-image.so.0",
           "libxcb-keysyms.so.1", "libxcb-render-util.so.0", "libxcb-util.so.1")

pytestmark = [
    pytest.mark.skipif(os.environ.get("FLOWBENCH_PACKAGING_SMOKE") != "1",
                       reason="packaging smoke test: set FLOWBENCH_PACKAGING_SMOKE=1"),
    pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None,
                       reason="needs Linux with dpkg-deb"),
    pytest.mark.slow,
    pytest.mark.timeout(1200),
]


@dataclass(frozen=True)
class Artifacts:
    version: str
    bundle: Path
    tarball: Path
    deb: Path


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()
                                                 and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


@pytest.fixture(scope="module")
def artifacts() -> Artifacts:
    version = _version()
    found = Artifacts(version, DIST / "flowbench",
                      DIST / f"flowbench-{version}-linux-x86_64.tar.gz",
                      DIST / f"flowbench_{version}_amd64.deb")
    outputs = (found.bundle / "flowbench", found.tarball, found.deb)
    if not all(p.exists() for p in outputs) or \
            min(p.stat().st_mtime for p in outputs) < _newest_source_mtime():
        subprocess.run([str(ROOT / "packaging" / "build.sh")], cwd=ROOT, check=True,
                       timeout=1100)
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def deb_root(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(artifacts.deb), str(root)], check=True)
    return root


@pytest.fixture(scope="module")
def tarball_root(artifacts: Artifacts,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("tarball")
    with tarfile.open(artifacts.tarball) as archive:
        archive.extractall(root, filter="tar")
    yield root / f"flowbench-{artifacts.version}"


def offscreen_env(home: Path, **extra: str) -> dict[str, str]:
    """No display, a throw-away home: as on a CI runner or a fresh user account."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH", "PYTHONHOME"}
           and not key.startswith(("XDG_", "QT_"))}
    env.update({"HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LC_ALL": "C.UTF-8"})
    env.update(extra)
    return env


def run_flowbench(executable: Path, home: Path, *args: str,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(executable), *args], capture_output=True, text=True,
                          env=env or offscreen_env(home), timeout=120, check=False)


# --------------------------------------------------------------------------- the .deb
def test_deb_control_fields(artifacts: Artifacts) -> None:
    fields = subprocess.run(["dpkg-deb", "-f", str(artifacts.deb)], capture_output=True,
                            text=True, check=True).stdout
    control = dict(line.split(": ", 1) for line in fields.splitlines() if ": " in line)
    assert control["Package"] == "flowbench"
    assert control["Version"] == artifacts.version
    assert control["Architecture"] == "amd64"
    depends = {alternative.split(" (")[0].strip()
               for group in control["Depends"].split(",") for alternative in group.split("|")}
    assert set(REQUIRED_DEPENDS) <= depends, set(REQUIRED_DEPENDS) - depends


def launcher_in(root: Path) -> Path:
    """/usr/bin/flowbench of an unpacked .deb: an absolute link (Debian policy), followed
    inside ``root`` rather than on this machine."""
    link = root / "usr" / "bin" / "flowbench"
    return root / os.readlink(link).lstrip("/")


def test_deb_installs_under_opt_with_desktop_integration(deb_root: Path) -> None:
    launcher = deb_root / "usr" / "bin" / "flowbench"
    assert launcher.is_symlink()
    assert os.readlink(launcher) == "/opt/flowbench/flowbench"
    assert launcher_in(deb_root) == deb_root / "opt" / "flowbench" / "flowbench"
    assert os.access(launcher_in(deb_root), os.X_OK)
    share = deb_root / "usr" / "share"
    desktop = (share / "applications" / "flowbench.desktop").read_text(encoding="utf-8")
    assert "Exec=flowbench" in desktop and "Icon=flowbench" in desktop
    for size in ("16x16", "48x48", "256x256", "512x512"):
        assert (share / "icons" / "hicolor" / size / "apps" / "flowbench.png").stat().st_size
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "flowbench.svg").exists()
    metainfo = share / "metainfo" / "io.flowbench.Flowbench.metainfo.xml"
    assert "flowbench.desktop" in metainfo.read_text(encoding="utf-8")
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(share / "applications" /
                                                     "flowbench.desktop")], check=True)
    if shutil.which("appstreamcli"):
        subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)], check=True,
                       capture_output=True)


def test_deb_flowbench_version(artifacts: Artifacts, deb_root: Path, home: Path) -> None:
    result = run_flowbench(launcher_in(deb_root), home, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"flowbench {artifacts.version}"


def test_deb_flowbench_self_test(deb_root: Path, home: Path) -> None:
    result = run_flowbench(launcher_in(deb_root), home, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "bundled" in result.stdout.splitlines()[0]
    # the keyring step ran: a backend, or "none" because no Secret Service runs here —
    # never because the bundle lacks what Secret Service needs (that fails the step)
    keyring_step = [line for line in result.stdout.splitlines()
                    if "find the keyring backend: ok (" in line]
    assert keyring_step, result.stdout
    assert "support is missing" not in keyring_step[0]
    assert str(deb_root / "opt" / "flowbench" / "_internal" / "resources") in result.stdout


def test_deb_self_test_reports_failure(deb_root: Path, tmp_path: Path) -> None:
    """With no font anywhere Qt cannot draw text: the self-test must say so and fail."""
    fonts = tmp_path / "fonts.conf"
    fonts.write_text("<?xml version='1.0'?><fontconfig><dir>/nonexistent</dir>"
                     f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>", encoding="utf-8")
    env = offscreen_env(tmp_path, FONTCONFIG_FILE=str(fonts), QT_QPA_FONTDIR="/nonexistent")
    result = run_flowbench(launcher_in(deb_root), tmp_path, "--self-test", env=env)
    assert result.returncode != 0
    assert "FAILED" in result.stdout and "font" in result.stdout


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian: xvfb)")
def test_deb_self_test_on_an_x11_display(deb_root: Path, home: Path) -> None:
    """The xcb platform plugin loads, with the X11 helper libraries the bundle carries."""
    env = offscreen_env(home, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(["xvfb-run", "-a", str(launcher_in(deb_root)),
                             "--self-test"], capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "platform xcb" in result.stdout


def ar_members(archive: Path) -> list[str]:
    """The member names of an ar archive (a .deb is one)."""
    data = archive.read_bytes()
    assert data.startswith(b"!<arch>\n")
    names, offset = [], 8
    while offset + 60 <= len(data):
        header = data[offset:offset + 60]
        size = int(header[48:58])
        names.append(header[:16].decode().strip().rstrip("/"))
        offset += 60 + size + size % 2
    return names


def test_deb_is_what_debian_tools_expect(artifacts: Artifacts, deb_root: Path) -> None:
    """xz members, a manual page from the CLI's help, a changelog, a copyright notice,
    shared libraries not executable (what lintian checks; .ci/run runs lintian itself)."""
    assert ar_members(artifacts.deb) == ["debian-binary", "control.tar.xz", "data.tar.xz"]
    share = deb_root / "usr" / "share"
    with gzip.open(share / "man" / "man1" / "flowbench.1.gz", "rt", encoding="utf-8") as man:
        page = man.read()
    assert page.startswith(".TH FLOWBENCH 1") and '.SS "publish"' in page
    assert (share / "doc" / "flowbench" / "changelog.gz").stat().st_size > 0
    assert re.search(r"Copyright \(C\) \d{4}", (share / "doc" / "flowbench" /
                                                 "copyright").read_text(encoding="utf-8"))
    libraries = [p for p in (deb_root / "opt").rglob("*.so*") if p.is_file()
                 and not p.is_symlink() and re.search(r"\.so(\.\d+)*$", p.name)]
    assert libraries and not [p for p in libraries if p.stat().st_mode & 0o111]


# --------------------------------------------------------------------------- bundle, tarball
def test_bundle_is_small_and_carries_what_it_must(artifacts: Artifacts) -> None:
    files = [p for p in artifacts.bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_size for p in files) / 1_000_000
    assert size_mb < SIZE_LIMIT_MB
    internal = artifacts.bundle / "_internal"
    assert (internal / "resources" / "icons" / "flowbench.svg").exists()
    for soname in CARRIED:
        assert (internal / soname).exists(), f"{soname} missing from the bundle"
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not [p for p in artifacts.bundle.rglob("*") if p.is_symlink() and not p.exists()]


def test_tarball_runs(artifacts: Artifacts, tarball_root: Path, home: Path) -> None:
    result = run_flowbench(tarball_root / "flowbench", home, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"flowbench {artifacts.version}"
    assert (tarball_root / "_internal" / "resources" / "icons" / "flowbench.svg").exists()
