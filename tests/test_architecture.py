"""ARCHITECTURE.md's layer table as a test: who may import whom, no private reach-ins, no cycles.

`check(root)` reads every module under a `healthgap` package folder with `ast` (nothing is
imported or run) and returns one `Violation` per broken rule, with file, line and rule:

1. layers: a module of package P imports `healthgap.Q` only when Q is P, a package P's row of
   the table allows, or one every package may import (`errors`, `config`, `publish`, and the
   `healthgap` package itself for `__version__`). "May import X" means X only, not what X may
   import. A package missing from the table is a violation (add its row first);
2. no domain package imports `healthgap.web`, and none imports Django;
3. no module imports another package's private module or name (`_private`, not dunders);
4. no import cycle between the modules of one package (imports under `if TYPE_CHECKING:` do
   not run and are left out; imports inside functions count).

The real tree must pass (first test); the others feed `check` small trees in `tmp_path` that
break one rule each and assert the violation is reported where it is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "healthgap"

EVERYONE = frozenset({"", "errors", "config", "publish"})
"""Importable by every module: `healthgap` itself, errors, config and publish."""

DOMAIN = frozenset(
    {
        "stats",
        "geography",
        "population",
        "indicators",
        "synthetic",
        "priorities",
        "brokering",
        "evaluation",
        "equality",
        "disclosure",
    }
)
EVERYTHING = DOMAIN | {"reports", "web", "cli"}

LAYERS: dict[str, frozenset[str]] = {
    # ARCHITECTURE.md "Packages" table, row by row ("may import" column).
    "stats": frozenset(),
    "geography": frozenset({"stats"}),
    # population pseudonymises NHS numbers at import with disclosure (DEVELOPERS.md, "Security
    # properties"); the table's row says geography only: proposed as "geography, disclosure".
    "population": frozenset({"geography", "disclosure"}),
    "indicators": frozenset({"geography", "population", "stats"}),
    "synthetic": frozenset({"geography", "population", "indicators"}),
    # Core20PLUS segmentation reads IMD deciles from geography (priorities/segments.py); the
    # table's row says indicators, stats: proposed as "indicators, geography, stats".
    "priorities": frozenset({"indicators", "geography", "stats"}),
    "brokering": frozenset({"priorities", "geography"}),
    "evaluation": frozenset({"stats"}),
    "equality": frozenset({"stats"}),
    "disclosure": frozenset({"stats"}),
    "reports": EVERYTHING - {"web", "cli", "reports"},
    "web": EVERYTHING - {"cli", "web"},
    "cli": EVERYTHING - {"cli"},
    # the project-wide modules every package may import, themselves importing nothing above
    "errors": frozenset(),
    "config": frozenset(),
    "publish": frozenset(),
    "": frozenset(),  # healthgap/__init__.py
}


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: where (file relative to the root's parent, line) and which rule."""

    file: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}"


@dataclass(frozen=True)
class Import:
    """One import statement: the module (`healthgap.stats._validate`), the names taken from it
    (`z_value`; none for `import x`), its line, and whether it runs (not under TYPE_CHECKING)."""

    module: str
    names: tuple[str, ...]
    line: int
    runs: bool


def _module_name(root: Path, path: Path) -> str:
    """`healthgap.indicators.store` for root/indicators/store.py (root: the healthgap folder)."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, module: str, is_package: bool) -> Iterator[Import]:
    """Every import statement of a module, relative imports resolved against `module`."""

    def visit(node: ast.AST, runs: bool) -> Iterator[Import]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from visit(child, False)
            for child in node.orelse:
                yield from visit(child, runs)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno, runs)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names = tuple(alias.name for alias in node.names if alias.name != "*")
            yield Import(base, names, node.lineno, runs)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(node.args[0].value, (), node.lineno, runs)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, runs)

    yield from visit(tree, True)


def _package(name: str) -> str:
    """The layer of a dotted name: `indicators` for healthgap.indicators.x, "" for healthgap."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _private(name: str) -> str | None:
    """The first `_private` part of a dotted name below its package (dunders are public)."""
    for part in name.split(".")[2:]:
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return part
    return None


def modules_in(root: Path) -> set[str]:
    """The dotted names of every module under `root`."""
    return {_module_name(root, path) for path in root.rglob("*.py")}


def _targets(imp: Import, modules: set[str]) -> list[str]:
    """The modules an import loads: `from p import m` loads module p.m if there is one, else p."""
    targets = [f"{imp.module}.{n}" for n in imp.names if f"{imp.module}.{n}" in modules]
    if len(targets) < len(imp.names) or not imp.names:
        targets.append(imp.module)
    return targets


def check(root: Path) -> list[Violation]:
    """Every violation of the rules above in the package folder `root` (named `healthgap`)."""
    violations: set[Violation] = set()
    known = modules_in(root)
    modules: dict[str, Path] = {}
    edges: dict[str, dict[str, int]] = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        modules[module] = path
        where = str(path.relative_to(root.parent))
        own = _package(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges[module] = {}
        if own not in LAYERS:
            violations.add(
                Violation(where, 1, f"package {own!r} is not in the layer table (ARCHITECTURE.md)")
            )
            continue
        for imp in _imports(tree, module, path.name == "__init__.py"):
            top = imp.module.split(".")[0]
            if top == "django" and own != "web":
                violations.add(Violation(where, imp.line, "domain packages never import Django"))
            if top != root.name:
                continue
            other = _package(imp.module)
            if other == own:
                if imp.runs:
                    for target in _targets(imp, known):
                        if target != module:
                            edges[module].setdefault(target, imp.line)
                continue
            if other == "web" and own in DOMAIN:
                rule = f"{own} imports {imp.module}: no domain package imports healthgap.web"
                violations.add(Violation(where, imp.line, rule))
            elif other not in LAYERS[own] | EVERYONE:
                allowed = ", ".join(sorted(LAYERS[own])) or "no other healthgap package"
                rule = f"{own} may not import {other} ({imp.module}); it may import: {allowed}"
                violations.add(Violation(where, imp.line, rule))
            for name in [imp.module, *(f"{imp.module}.{n}" for n in imp.names)]:
                private = _private(name)
                if private is not None:
                    rule = f"{own} imports {name}: {private} is private to {other}"
                    violations.add(Violation(where, imp.line, rule))
                    break
    violations.update(_cycles(modules, edges, root))
    return sorted(violations)


def _cycles(
    modules: dict[str, Path], edges: dict[str, dict[str, int]], root: Path
) -> Iterator[Violation]:
    """One violation per import cycle (strongly connected component) inside a package."""
    graph = {m: {t: line for t, line in out.items() if t in modules} for m, out in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    for component in components:
        first = component[0]
        target = next(t for t in sorted(graph[first]) if t in component)
        path = modules[first].relative_to(root.parent)
        rule = f"import cycle: {' <-> '.join(component)}"
        yield Violation(str(path), graph[first][target], rule)


# -- the tree ----------------------------------------------------------------------------------
def test_the_source_tree_keeps_the_layers() -> None:
    violations = check(SRC)
    assert not violations, "\n".join(map(str, violations))


def test_every_package_of_the_tree_is_in_the_table() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    assert packages | modules <= set(LAYERS)


# -- the checker on deliberately wrong trees ---------------------------------------------------
def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A `healthgap` package folder holding `files` (path -> source) and empty __init__.py files."""
    root = tmp_path / "healthgap"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in [path.parent, *path.parent.parents]:
            if folder == root.parent:
                break
            (folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return root


def test_a_clean_tree_has_no_violations(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "stats/rates.py": "import numpy\nfrom healthgap.errors import ArgumentError\n",
            "indicators/run.py": "from healthgap.stats import rate\nfrom . import store\n",
            "indicators/store.py": "from healthgap.publish import stage\n",
            "cli.py": "import importlib\nimportlib.import_module('healthgap.web.x')\n",
        },
    )
    assert check(root) == []


def test_an_import_from_a_layer_above_is_reported_with_file_line_and_rule(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "stats/rates.py": '"""Rates."""\n\nfrom healthgap.indicators import load_catalogue\n',
            "population/synth.py": "import os\n\n\ndef f():\n    import healthgap.indicators.run\n",
        },
    )
    assert [str(v) for v in check(root)] == [
        "healthgap/population/synth.py:5: population may not import indicators "
        "(healthgap.indicators.run); it may import: disclosure, geography",
        "healthgap/stats/rates.py:3: stats may not import indicators "
        "(healthgap.indicators); it may import: no other healthgap package",
    ]


def test_a_private_module_or_name_of_another_package_is_reported(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "stats/_validate.py": "def z_value(c):\n    return c\n",
            "stats/rates.py": "from healthgap.stats._validate import z_value\n",  # own: fine
            "priorities/headroom.py": "from healthgap.stats._validate import z_value\n",
            "synthetic/generate.py": "from healthgap.population.importer import _publish\n",
        },
    )
    assert [str(v) for v in check(root)] == [
        "healthgap/priorities/headroom.py:1: priorities imports healthgap.stats._validate: "
        "_validate is private to stats",
        "healthgap/synthetic/generate.py:1: synthetic imports "
        "healthgap.population.importer._publish: _publish is private to population",
    ]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = tree(tmp_path, {"geography/areas.py": "from ..indicators import plan\n"})
    assert [v.rule for v in check(root)] == [
        "geography may not import indicators (healthgap.indicators); it may import: stats"
    ]


def test_the_web_django_and_unlisted_packages_are_reported(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "geography/areas.py": "from django.db import models\nimport healthgap.web.need\n",
            "newthing/core.py": "import healthgap.stats\n",
            "web/views.py": "from django.db import models\nfrom healthgap.stats import rate\n",
        },
    )
    assert [str(v) for v in check(root)] == [
        "healthgap/geography/areas.py:1: domain packages never import Django",
        "healthgap/geography/areas.py:2: geography imports healthgap.web.need: "
        "no domain package imports healthgap.web",
        "healthgap/newthing/__init__.py:1: package 'newthing' is not in the layer table "
        "(ARCHITECTURE.md)",
        "healthgap/newthing/core.py:1: package 'newthing' is not in the layer table "
        "(ARCHITECTURE.md)",
    ]


def test_an_import_cycle_inside_a_package_is_reported(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "indicators/_parse.py": "from healthgap.indicators.definitions import Indicator\n",
            "indicators/definitions.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from healthgap.indicators.store import Results  # does not run: no cycle\n"
                "def load():\n"
                "    from healthgap.indicators._parse import parse  # runs when called\n"
            ),
            "indicators/store.py": "from healthgap.indicators.definitions import Indicator\n",
        },
    )
    assert [str(v) for v in check(root)] == [
        "healthgap/indicators/_parse.py:1: import cycle: "
        "healthgap.indicators._parse <-> healthgap.indicators.definitions"
    ]
