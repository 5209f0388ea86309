"""The package's shape: modules import each other one way only (a newcomer can read them bottom up)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hooks" / "annals"


def _imports(path: Path) -> set[str]:
    """The package modules a module imports (``from .x import``, ``from . import x``), anywhere in it,
    inside functions too (an import put off until a call is still a cycle); those for type checkers only
    (under ``if TYPE_CHECKING:``) are not."""
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {alias.name for alias in node.names}
        todo.extend(ast.iter_child_nodes(node))
    return {name.split(".")[0] for name in found}


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in trail:
                cycles.append(" → ".join(trail[trail.index(imported):] + [imported]))
            elif imported in graph:
                visit(imported, trail + [imported])

    for module in sorted(graph):
        visit(module, [module])
    assert graph["model"] and graph["render"], "the graph was read"
    assert not cycles, sorted(set(cycles))[:5]
