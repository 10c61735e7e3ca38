"""The domain is plain Python: importing it pulls in neither Qt nor the database."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import flowbench.domain

DESKTOP = Path(flowbench.domain.__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "shiboken6", "peewee", "playhouse", "flowbench.store",
             "flowbench.services", "flowbench.ui", "flowbench.runtime")


def _domain_modules() -> list[str]:
    return [f"flowbench.domain.{info.name}"
            for info in pkgutil.iter_modules(flowbench.domain.__path__)]


def test_there_are_domain_modules_to_check() -> None:
    modules = _domain_modules()
    assert "flowbench.domain.validation" in modules
    assert "flowbench.domain.roles" in modules


def test_importing_every_domain_module_imports_neither_qt_nor_peewee() -> None:
    script = (
        "import importlib, json, sys\n"
        f"for name in {_domain_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={"PYTHONPATH": str(DESKTOP), "PATH": "/usr/bin:/bin"},
                            timeout=60, check=True)
    loaded = json.loads(result.stdout)
    offenders = [name for name in loaded
                 if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)]
    assert offenders == []
    assert "flowbench.domain.validation" in loaded  # the check really imported the domain
