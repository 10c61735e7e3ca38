"""The Linux build refuses, before building, on a machine without the xcb libraries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "system_libs.py"


@pytest.fixture(scope="module")
def system_libs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flowbench_packaging_system_libs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


LDCONFIG = """\
1234 libs found in cache `/etc/ld.so.cache'
\tlibxcb.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb.so.1
\tlibxcb-icccm.so.4 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb-icccm.so.4
\tlibxcb-cursor.so.0 (libc6) => /lib/i386-linux-gnu/libxcb-cursor.so.0
\tlibGL.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libGL.so.1
"""


def test_loader_cache_lists_only_this_architecture(system_libs: ModuleType) -> None:
    known = system_libs.loader_cache(LDCONFIG, machine="x86_64")

    assert {"libxcb.so.1", "libxcb-icccm.so.4", "libGL.so.1"} == known


def test_missing_xcb_libraries_are_refused_naming_the_packages(system_libs: ModuleType) -> None:
    known = system_libs.loader_cache(LDCONFIG, machine="x86_64")

    missing = system_libs.missing_libraries(known)
    message = system_libs.refusal(missing)

    packages = {item.package for item in missing}
    assert "libxcb-cursor0" in packages  # only a 32-bit copy is there
    assert "libxcb-icccm4" not in packages
    assert "sudo apt-get install " in message
    assert "libxcb-cursor0" in message.splitlines()[-2]
    assert "xcb" in message and "stops here" in message


def test_a_library_counts_when_its_package_is_installed(system_libs: ModuleType) -> None:
    missing = system_libs.missing_libraries(set(), installed_packages=set(
        system_libs.BUNDLED.values()))

    assert missing == []


def test_carried_and_system_libraries_do_not_overlap(system_libs: ModuleType) -> None:
    assert not [name for name in system_libs.BUNDLED if system_libs.is_system_library(name)]
    depends = ", ".join(system_libs.DEPENDS)
    for package in set(system_libs.SYSTEM.values()):
        assert package in depends
