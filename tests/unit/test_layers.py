"""Dependencies point one way (README, Architecture): ui, cli -> services -> domain, store,
runtime. Read from the source (every import statement, also those inside functions), so a
lazy import cannot slip past."""

from __future__ import annotations

import ast
from pathlib import Path

import flowbench

PACKAGE = Path(flowbench.__file__).resolve().parent


def imports_of(layer: str) -> dict[str, set[str]]:
    """Each module file of ``flowbench.<layer>`` -> the modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(PACKAGE.parent))] = names
    return found


def offenders(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}"
                  for module, names in imports_of(layer).items() for name in names
                  if any(name == bad or name.startswith(bad + ".") for bad in forbidden))


def test_the_check_sees_imports_inside_functions() -> None:
    cli = imports_of("cli")
    assert "flowbench.services" in str(cli)  # the CLI does call the services
    assert any("flowbench.domain.errors" in names for names in cli.values())


def test_the_command_line_imports_neither_qt_nor_the_window_nor_the_self_test() -> None:
    assert offenders("cli", ("PySide6", "shiboken6", "flowbench.ui", "flowbench.selftest")) \
        == []


def test_services_and_runtime_import_no_qt() -> None:
    assert offenders("services", ("PySide6", "flowbench.ui", "flowbench.cli")) == []
    assert offenders("runtime", ("PySide6", "flowbench.ui", "flowbench.cli",
                                 "flowbench.services")) == []


def test_the_window_and_the_command_line_never_import_the_store() -> None:
    assert offenders("ui", ("flowbench.store",)) + offenders("cli", ("flowbench.store",)) == []
