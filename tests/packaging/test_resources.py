"""Resources (icons, styles) are found the same way from the source tree, from an
installed wheel (package data ``flowbench/_resources``) and from the bundle
(``sys._MEIPASS/resources``; the bundle smoke test's --self-test checks it for real)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("from flowbench.resources import resource_path; "
         "print(resource_path('icons/flowbench.svg')); "
         "print(resource_path('styles/dark.qss'))")


def run_probe(path_entry: Path, tmp_path: Path, extra: str = "") -> list[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONPATH"] = str(path_entry)
    result = subprocess.run([sys.executable, "-c", extra + PROBE], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_wheel_carries_the_resources_as_package_data() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        wheel = tomllib.load(handle)["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["resources"] == "flowbench/_resources"


def test_found_in_an_installed_wheel_layout(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "desktop" / "flowbench", site / "flowbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", site / "flowbench" / "_resources")

    found = run_probe(site, tmp_path)

    assert [Path(line) for line in found] == [
        site / "flowbench" / "_resources" / "icons" / "flowbench.svg",
        site / "flowbench" / "_resources" / "styles" / "dark.qss"]


def test_found_in_a_bundle_layout(tmp_path: Path) -> None:
    bundle = tmp_path / "_internal"
    shutil.copytree(ROOT / "desktop" / "flowbench", bundle / "flowbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", bundle / "resources")

    found = run_probe(bundle, tmp_path, f"import sys; sys._MEIPASS = {str(bundle)!r}; ")

    assert [Path(line) for line in found] == [
        bundle / "resources" / "icons" / "flowbench.svg",
        bundle / "resources" / "styles" / "dark.qss"]


def test_found_in_the_source_tree(tmp_path: Path) -> None:
    found = run_probe(ROOT / "desktop", tmp_path)

    assert [Path(line) for line in found] == [ROOT / "resources" / "icons" / "flowbench.svg",
                                              ROOT / "resources" / "styles" / "dark.qss"]
