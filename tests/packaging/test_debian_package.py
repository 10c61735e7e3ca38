"""The .deb as Debian's tools see it, without building the bundle: the staged tree (a
man page from the CLI's own help, a changelog, a copyright notice, 0644 libraries, an
absolute /usr/bin link) and the lintian check that CI runs on the real package."""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from flowbench.cli import build_parser

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"


def load(name: str) -> ModuleType:
    if str(LINUX) not in sys.path:
        sys.path.insert(0, str(LINUX))  # the packaging scripts import each other so
    spec = importlib.util.spec_from_file_location(name, LINUX / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def debian_package() -> ModuleType:
    return load("debian_package")


def every_command(parser: object) -> list[str]:
    manpage = load("manpage")
    return [words for words, _help, _sub in manpage._subcommands(parser)]


def test_the_man_page_is_the_command_lines_own_help() -> None:
    manpage = load("manpage")
    page = manpage.build_manpage("9.9", "2026-12-05")

    assert page.startswith('.TH FLOWBENCH 1 "2026-12-05" "flowbench 9.9"')
    for words in every_command(build_parser()):  # every command and subcommand
        assert f'.SS "{manpage.escape(words)}"' in page
    assert "\\-\\-self\\-test" in page and "\\-\\-workspace" in page
    assert not re.search(r"^[.'](?!TH|SH|SS|TP|B |PP|nf|fi|br)", page, re.MULTILINE)
    if shutil.which("man"):
        target = Path(os.environ.get("TMPDIR", "/tmp")) / f"flowbench-{os.getpid()}.1"
        target.write_text(page, encoding="utf-8")
        try:
            shown = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", str(target)],
                                   capture_output=True, text=True, check=False,
                                   env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"))
        finally:
            target.unlink()
        assert shown.returncode == 0 and not shown.stderr.strip(), shown.stderr
        assert "flowbench init [-h] --workspace-name NAME" in shown.stdout


def test_the_staged_tree_is_what_lintian_wants(debian_package: ModuleType,
                                                tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal" / "lib-dynload").mkdir(parents=True)
    launcher = bundle / "flowbench"
    launcher.write_text("#!/bin/sh\n", encoding="utf-8")
    launcher.chmod(0o755)
    for name in ("libQt6Core.so.6", "_json.cpython-311-x86_64-linux-gnu.so"):
        library = bundle / "_internal" / name
        library.write_bytes(b"\x7fELF")
        library.chmod(0o755)  # as PyInstaller leaves them
    icons = tmp_path / "icons" / "hicolor" / "48x48" / "apps"
    icons.mkdir(parents=True)
    (icons / "flowbench.png").write_bytes(b"png")
    inputs = debian_package.DebInputs(bundle, tmp_path / "icons", "1.2.3", "2.35",
                                      "2026-12-05")

    root = debian_package.stage(inputs, tmp_path / "root")

    link = root / "usr" / "bin" / "flowbench"
    assert os.readlink(link) == "/opt/flowbench/flowbench"  # absolute: policy 10.5
    internal = root / "opt" / "flowbench" / "_internal"
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in internal.iterdir()
               if p.is_file())
    assert (root / "opt" / "flowbench" / "flowbench").stat().st_mode & 0o111
    doc = root / "usr" / "share" / "doc" / "flowbench"
    assert re.search(r"Copyright \(C\) 2026 ", (doc / "copyright").read_text("utf-8"))
    assert "/usr/share/common-licenses/LGPL-3" in (doc / "copyright").read_text("utf-8")
    changelog = gzip.decompress((doc / "changelog.gz").read_bytes()).decode()
    assert changelog.startswith("flowbench (1.2.3) unstable; urgency=medium")
    assert re.search(r"^ -- .+ <.+>  Sat, 05 Dec 2026 12:00:00 \+0000$", changelog,
                     re.MULTILINE)
    man = root / "usr" / "share" / "man" / "man1" / "flowbench.1.gz"
    assert gzip.decompress(man.read_bytes()).decode().startswith(".TH FLOWBENCH 1")
    assert (root / "usr" / "share" / "lintian" / "overrides" / "flowbench").exists()
    again = debian_package.stage(inputs, tmp_path / "again")  # reproducible, byte for byte
    for path in (doc / "changelog.gz", man):
        assert path.read_bytes() == (again / path.relative_to(root)).read_bytes()


LINTIAN_OUTPUT = """\
E: flowbench: dir-or-file-in-opt [opt/flowbench/]
E: flowbench: embedded-library bzip2 [opt/flowbench/_internal/libbz2.so.1.0]
E: flowbench: custom-library-search-path RUNPATH $ORIGIN [opt/flowbench/_internal/x.so]
O: flowbench: hardening-no-pie [opt/flowbench/flowbench]
N: a note that is not a tag
"""


def test_the_lintian_check_allows_only_what_any_bundle_under_opt_gets() -> None:
    check = load("check_lintian")
    found, overridden = check.tags_of(LINTIAN_OUTPUT), check.tags_of(LINTIAN_OUTPUT, "O")
    assert found == {"dir-or-file-in-opt": 1, "embedded-library": 1,
                     "custom-library-search-path": 1}
    assert check.unexpected(found, overridden) == []

    worse = LINTIAN_OUTPUT + ("W: flowbench: no-manual-page [usr/bin/flowbench]\n"
                              "E: flowbench: no-changelog usr/share/doc/flowbench/changelog.gz\n"
                              "O: flowbench: binary-without-manpage [usr/bin/x]\n")
    assert check.unexpected(check.tags_of(worse), check.tags_of(worse, "O")) == [
        "binary-without-manpage", "no-changelog", "no-manual-page"]
