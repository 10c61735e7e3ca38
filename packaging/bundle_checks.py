"""Checks on a Linux one-dir bundle: what its libraries need, and whether they get it.

* ``unneeded_libraries`` (used by the spec): shared libraries collected only because a
  plugin the spec dropped needed them.
* ``check_bundle`` (used by build.py after PyInstaller): every library that something
  in the bundle links must be in the bundle or be one the .deb depends on; the bundle
  stays under the size limit; and the newest glibc symbol version it uses, which
  becomes the .deb's ``libc6 (>= …)``.

Reads ELF headers with ``objdump -p`` (binutils), which PyInstaller needs anyway.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "linux"))
from system_libs import is_system_library  # noqa: E402

SIZE_LIMIT_MB = 170
# glibc's own libraries: always on the system, covered by ``libc6 (>= …)``.
GLIBC = re.compile(r"(libc|libm|libdl|libpthread|librt|libutil|libresolv|libanl)\.so\.\d+"
                   r"|ld-linux(-x86-64|-aarch64)?\.so\.\d+")
_GLIBC_VERSION = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")
_ELF_MAGIC = b"\x7fELF"
_EXTENSION_MODULE = re.compile(r"\.(cpython-[^/]*|abi3)\.so$")


@dataclass(frozen=True)
class ElfInfo:
    needed: tuple[str, ...]
    glibc: tuple[int, ...]  # newest GLIBC_x.y symbol version referenced, () if none


@cache
def elf_info(path: str) -> ElfInfo:
    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True,
                            check=True)
    needed = tuple(re.findall(r"^\s+NEEDED\s+(\S+)$", result.stdout, flags=re.M))
    versions = [tuple(int(part) for part in match if part)
                for match in _GLIBC_VERSION.findall(result.stdout)]
    return ElfInfo(needed, max(versions, default=()))


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == _ELF_MAGIC
    except OSError:
        return False


def _is_root(dest_name: str) -> bool:
    """Collected for its own sake (a module, a plugin, Python itself), not as a dependency."""
    name = dest_name.replace("\\", "/")
    if name.startswith("libpython") or _EXTENSION_MODULE.search(name):
        return True
    # Anything else at the top, and Qt's own libraries, came in as a dependency.
    return "/" in name and "PySide6/Qt/lib/" not in name


def unneeded_libraries(binaries: Iterable[tuple[str, str, str]]) -> set[str]:
    """Dependency-only libraries (top level, Qt's lib/) that nothing kept links any more.

    Also the SYMLINK entries (PyInstaller links Qt's libraries into the top folder) that
    would point at a library left out.
    """
    toc = list(binaries)
    entries = [(dest, src) for dest, src, kind in toc
               if kind != "SYMLINK" and is_elf(Path(src))]
    links = {dest: os.path.normpath(os.path.join(os.path.dirname(dest), target))
             for dest, target, kind in toc if kind == "SYMLINK"}
    by_basename = {os.path.basename(dest): dest for dest, _src in entries}
    by_basename.update({os.path.basename(dest): target for dest, target in links.items()})
    source = dict(entries)
    reached: set[str] = set()
    pending = [dest for dest, _src in entries if _is_root(dest)]
    while pending:
        dest = pending.pop()
        if dest in reached or dest not in source:
            continue
        reached.add(dest)
        for needed in elf_info(source[dest]).needed:
            target = by_basename.get(needed)
            if target is not None and target not in reached:
                pending.append(target)
    unneeded = {dest for dest in source if dest not in reached}
    kept = {dest for dest, _src, _kind in toc if dest not in unneeded}
    unneeded |= {dest for dest, target in links.items() if target not in kept}
    return unneeded


@dataclass
class BundleReport:
    size_bytes: int = 0
    files: int = 0
    elf_files: int = 0
    glibc: tuple[int, ...] = ()
    unresolved: dict[str, set[str]] = field(default_factory=dict)  # library -> needed by
    system: set[str] = field(default_factory=set)

    @property
    def size_mb(self) -> float:
        return self.size_bytes / 1_000_000

    @property
    def glibc_version(self) -> str:
        return ".".join(str(part) for part in self.glibc) or "2.17"

    def problems(self, limit_mb: int = SIZE_LIMIT_MB) -> list[str]:
        found = []
        if self.size_mb >= limit_mb:
            found.append(f"the bundle is {self.size_mb:.1f} MB, over the {limit_mb} MB limit")
        for library, users in sorted(self.unresolved.items()):
            found.append(f"{library} is needed by {', '.join(sorted(users)[:3])} but is "
                         "neither in the bundle nor a library the .deb depends on")
        return found


def check_bundle(bundle: Path) -> BundleReport:
    report = BundleReport()
    elf_paths: list[Path] = []
    present: set[str] = set()
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            report.files += 1
            report.size_bytes += path.stat().st_size
            if is_elf(path):
                elf_paths.append(path)
        if path.is_file():
            present.add(path.name)
    report.elf_files = len(elf_paths)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        infos = list(pool.map(lambda p: elf_info(str(p)), elf_paths))
    for path, info in zip(elf_paths, infos, strict=True):
        report.glibc = max(report.glibc, info.glibc)
        for needed in info.needed:
            if needed in present or GLIBC.fullmatch(needed):
                continue
            if is_system_library(needed):
                report.system.add(needed)
                continue
            report.unresolved.setdefault(needed, set()).add(str(path.relative_to(bundle)))
    return report


if __name__ == "__main__":
    checked = check_bundle(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/flowbench"))
    print(f"{checked.size_mb:.1f} MB in {checked.files} files ({checked.elf_files} ELF); "
          f"needs glibc {checked.glibc_version}; from the system: "
          f"{', '.join(sorted(checked.system))}")
    for problem in checked.problems():
        print("problem:", problem)
