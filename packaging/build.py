"""Build Flowbench's installers for the platform this runs on.

Run inside the packaging environment (``uv sync --no-dev --group packaging
--no-editable``); on Linux ``packaging/build.sh`` does that set-up and then runs this.

    Linux    dist/flowbench/                               one-dir bundle
             dist/flowbench-<version>-linux-x86_64.tar.gz  the bundle, for any distribution
             dist/flowbench_<version>_amd64.deb            Debian/Ubuntu package
    Windows  dist/flowbench/ and, when Inno Setup's iscc is on PATH,
             dist/Flowbench-<version>-windows-x64-setup.exe
    macOS    dist/Flowbench.app and dist/Flowbench-<version>-macos-<arm64|x86_64>.dmg

Steps: icons from resources/icons/flowbench.svg, PyInstaller with packaging/flowbench.spec,
checks on the bundle (Linux: every linked library is carried or depended on, the size
limit), then the platform's installers. Each step prints how long it took.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version as dist_version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(HERE / "linux")]

from bundle_checks import SIZE_LIMIT_MB, check_bundle  # noqa: E402
from icons import build_icons  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / "flowbench"


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    say(f"{title} …")
    started = time.perf_counter()
    yield
    say(f"{title}: done in {time.perf_counter() - started:.1f} s")


def run(command: list[str]) -> None:
    subprocess.run(command, check=True)


def release_date() -> str:
    """The date of the commit being built (reproducible), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        result = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True, check=False)
        epoch = result.stdout.strip() or str(int(time.time()))
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).strftime("%Y-%m-%d")


def pyinstaller() -> None:
    # A fresh work folder every time (no stale analysis), but not --clean: that also
    # empties PyInstaller's per-user cache of stripped libraries and triples the time.
    for folder in (BUNDLE, DIST / "Flowbench.app", WORK / "pyinstaller"):
        shutil.rmtree(folder, ignore_errors=True)
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level=WARN",
         "--distpath", str(DIST), "--workpath", str(WORK / "pyinstaller"),
         str(HERE / "flowbench.spec")])


def tarball(version: str) -> Path:
    """The bundle as ``flowbench-<version>/``, owned by root, in a stable order."""
    target = DIST / f"flowbench-{version}-linux-{platform.machine()}.tar.gz"
    top = f"flowbench-{version}"

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        archive.add(BUNDLE, arcname=top, filter=normalise)
    return target


def linux_installers(version: str, skip_deb: bool) -> list[Path]:
    from debian_package import DebInputs, build_deb

    with step("checking the bundle"):
        report = check_bundle(BUNDLE)
        say(f"bundle: {report.size_mb:.1f} MB in {report.files} files; needs glibc "
            f"{report.glibc_version}; from the system: {', '.join(sorted(report.system))}")
        problems = report.problems(SIZE_LIMIT_MB)
        if problems:
            raise SystemExit("build: the bundle is not fit to ship:\n  "
                             + "\n  ".join(problems))
    artifacts = []
    with step("writing the tarball"):
        artifacts.append(tarball(version))
    if not skip_deb:
        with step("building the .deb"):
            inputs = DebInputs(BUNDLE, WORK / "icons", version, report.glibc_version,
                               release_date())
            artifacts.append(build_deb(inputs, WORK / "deb" / "root", DIST))
    return artifacts


def windows_installers(version: str) -> list[Path]:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        say("Inno Setup's iscc is not on PATH; the installer was not built")
        return []
    with step("building the Inno Setup installer"):
        run([iscc, f"/DAppVersion={version}", f"/DSourceDir={BUNDLE}",
             f"/DIconFile={WORK / 'icons' / 'flowbench.ico'}", f"/O{DIST}",
             str(HERE / "windows" / "flowbench.iss")])
    return [DIST / f"Flowbench-{version}-windows-x64-setup.exe"]


def macos_installers(version: str) -> list[Path]:
    with step("building the disk image"):
        run(["bash", str(HERE / "macos" / "make_dmg.sh"), str(DIST / "Flowbench.app"),
             version, str(DIST), platform.machine()])
    return [DIST / f"Flowbench-{version}-macos-{platform.machine()}.dmg"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Flowbench's installers.")
    parser.add_argument("--skip-deb", action="store_true", help="Linux: no .deb")
    parser.add_argument("--bundle-only", action="store_true",
                        help="stop after PyInstaller (no checks, no installers)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    version = dist_version("flowbench")
    say(f"Flowbench {version} on {sys.platform} ({platform.machine()}), "
        f"Python {platform.python_version()}")
    DIST.mkdir(exist_ok=True)
    with step("rendering icons"):
        build_icons(ROOT / "resources" / "icons" / "flowbench.svg", WORK / "icons")
    with step("PyInstaller one-dir bundle"):
        pyinstaller()
    artifacts: list[Path] = [BUNDLE if sys.platform != "darwin" else DIST / "Flowbench.app"]
    if not args.bundle_only:
        builders: dict[str, Callable[[], list[Path]]] = {
            "linux": lambda: linux_installers(version, args.skip_deb),
            "win32": lambda: windows_installers(version),
            "darwin": lambda: macos_installers(version),
        }
        platform_key = "linux" if sys.platform.startswith("linux") else sys.platform
        artifacts += builders.get(platform_key, list)()
    for artifact in artifacts:
        size = (sum(p.stat().st_size for p in artifact.rglob("*") if p.is_file()
                    and not p.is_symlink()) if artifact.is_dir() else artifact.stat().st_size)
        say(f"{artifact.relative_to(ROOT)}: {size / 1_000_000:.1f} MB")
    say(f"finished in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
