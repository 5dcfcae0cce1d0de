"""The equality package imports only what ARCHITECTURE.md allows it (stats, errors, config and
numpy/scipy/pandas/PyYAML; typer and rich in its CLI module only), never Django or indicators."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import healthgap.equality

PACKAGE = Path(healthgap.equality.__file__).parent
THIRD_PARTY = {"numpy", "scipy", "pandas", "yaml"}
HEALTHGAP = ("healthgap.equality", "healthgap.stats", "healthgap.errors", "healthgap.config")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_equality_imports_only_its_layers():
    offending = []
    for path in sorted(PACKAGE.rglob("*.py")):
        extra = {"typer", "rich"} if path.name == "cli.py" else set()
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "healthgap":
                ok = name.startswith(HEALTHGAP) and "._" not in name.replace(
                    "healthgap.equality", ""
                )
            else:
                ok = top in sys.stdlib_module_names or top in THIRD_PARTY | extra
            if not ok:
                offending.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offending == []
