"""The layers of docs/architecture.md hold: the core never imports MkDocs, and loading never imports rendering."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

CORE = ROOT / "hooks" / "taxonomy"
SITE_BUILDER = {"mkdocs", "material"}
"""Only the adapter (hooks/taxonomy_hooks.py) may use them."""
RENDERING = {"render", "casepages", "provenance", "flowchart", "sanitize", "templating", "inline",
             "jinja2", "nh3", "markdown"}
"""The modules and libraries that make pages out of a loaded taxonomy."""


def _imports(path: Path) -> set[str]:
    """Modules a core module imports: sibling modules by name, others by their top-level package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


GRAPH = {path.stem: _imports(path) for path in CORE.glob("*.py")}


def _reached(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in seen or module not in GRAPH:
            continue
        seen.add(module)
        todo.extend(GRAPH[module])
    return seen


def test_the_core_never_imports_the_site_builder() -> None:
    """Only hooks/taxonomy_hooks.py talks to MkDocs; the core can move to another builder unchanged."""
    assert {m: sorted(GRAPH[m] & SITE_BUILDER) for m in GRAPH if GRAPH[m] & SITE_BUILDER} == {}


def test_loading_never_reaches_the_rendering_modules() -> None:
    """`load()` and everything it imports make a Taxonomy without templates, pages or HTML."""
    assert "loader" in GRAPH and "render" in GRAPH
    reached = _reached("loader")
    assert sorted((reached | {name for module in reached for name in GRAPH[module]}) & RENDERING) == []


def _module_id(path: Path) -> str:
    parts = path.relative_to(CORE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_id(path): path for path in CORE.rglob("*.py")}


def _core_imports(module: str) -> set[str]:
    """The core modules one core module imports, type-only imports included, by dotted name under the package."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[: len(package) - node.level + 1]
        target = ".".join([*base, *(node.module.split(".") if node.module else [])])
        for alias in node.names:
            found.add(f"{target}.{alias.name}".lstrip(".") if f"{target}.{alias.name}".lstrip(".") in MODULES
                      else target)
    return found & MODULES.keys()


def test_the_core_has_no_import_cycle() -> None:
    """No two core modules import each other, directly or through others (type-only imports count: a cycle there
    is two modules that should be one or share a third)."""
    graph = {module: _core_imports(module) - {module} for module in MODULES}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported):], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
    assert "render" in graph["casepages"] or "casepages" in graph["render"]
