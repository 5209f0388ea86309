"""The package's shape: folders by what the code does, in layers a newcomer reads bottom up.

Each folder of ``hooks/annals`` imports only from itself and the folders below it; no module imports one
that imports it back; and only the engine adapter (``engine/``, ``hooks/annals_hooks.py``) and the command
line import MkDocs: the rest is plain Python, data in and text out, for whichever engine builds the site.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
PACKAGE = HOOKS / "annals"
# Bottom up. A folder may import from its own layer and those before it, never from those after it.
LAYERS = [
    "data",     # the data contract: records, vocabularies, the YAML and Markdown readers, per-file checks
    "judge",    # judgements: a target beside its outcome, a promise beside what later reports say
    "intake",   # `annals import`: a report file in, faithful Markdown and candidates out
    "archive",  # every file read, checked and indexed into one Archive; queries over it
    "pages",    # what each page shows: blocks, templates, addresses, open data
    "search",   # the search index
    "build",    # what a build writes: the source tree for any engine (annals render), the staged output
    "review",   # `annals review`: the local page that checks an import's candidates
    "engine",   # MkDocs: the serve cache
    "cli",      # the `annals` command
]
ENGINES = ("mkdocs", "properdocs", "material")
ENGINE_FREE = LAYERS[: LAYERS.index("engine")]


def _imports(path: Path) -> set[str]:
    """The modules a module imports (absolute names), anywhere in it, inside functions too (an import put
    off until a call is still a dependency); those for type checkers only (under ``if TYPE_CHECKING:``)
    are not."""
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import (write annals.<folder>.<module>)"
            found |= {node.module or ""} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        todo.extend(ast.iter_child_nodes(node))
    return found


def _module(path: Path) -> str:
    return ".".join(path.relative_to(HOOKS).with_suffix("").parts).removesuffix(".__init__")


def _layer(module: str) -> str:
    return module.split(".")[1]


GRAPH = {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_sits_in_a_folder_of_a_layer() -> None:
    assert len(GRAPH) > 30, "the modules were read"
    strays = [m for m in GRAPH if m != "annals" and _layer(m) not in LAYERS]
    assert not strays, f"put these in a folder of LAYERS (or add one, with what it does): {strays}"


def test_each_folder_imports_only_from_itself_and_the_layers_below() -> None:
    upward = sorted(f"{m} imports {i}" for m, imported in GRAPH.items() if m != "annals" for i in imported
                    if i in GRAPH and i != "annals" and LAYERS.index(_layer(i)) > LAYERS.index(_layer(m)))
    assert not upward, upward


def test_only_the_engine_adapter_and_the_command_import_the_engine() -> None:
    bound = sorted(f"{m} imports {i}" for m, imported in GRAPH.items() if m != "annals" and _layer(m) in ENGINE_FREE
                   for i in imported if i.split(".")[0] in ENGINES)
    assert not bound, bound


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {m: {i for i in imported if i in GRAPH and i != m} for m, imported in GRAPH.items()}  # a child process imports its own module
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for imported in sorted(graph[module]):
            if imported in trail:
                cycles.append(" → ".join(trail[trail.index(imported):] + [imported]))
            else:
                visit(imported, trail + [imported])

    for module in sorted(graph):
        visit(module, [module])
    assert graph["annals.archive.model"] and graph["annals.pages.render"], "the graph was read"
    assert not cycles, sorted(set(cycles))[:5]


# ------------------------------------------------------------------ what README says of the tree

README = (HOOKS.parent / "README.md").read_text(encoding="utf-8")


def _readme_tree() -> set[str]:
    """The files README's tree under "How it is built" names, as paths from the repository's root."""
    block = README.split("## How it is built", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    stack: list[tuple[int, str]] = []
    named: set[str] = set()
    for line in block.splitlines():
        indent, name = len(line) - len(line.lstrip(" ")), line.strip().split(" ")[0]
        if not name or not (name.endswith("/") or name.endswith(".py")):
            continue  # a description's second line
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(folder for _, folder in stack) + name
        named.add(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return named


def test_readme_tree_names_every_module_and_folder_there_is() -> None:
    there = {p.relative_to(HOOKS.parent).as_posix() for p in HOOKS.rglob("*.py") if p.name != "__init__.py"}
    folders = {p.relative_to(HOOKS.parent).as_posix() + "/" for p in HOOKS.rglob("*") if p.is_dir() and p.name != "__pycache__"
               and not p.name.endswith(".egg-info")} | {"hooks/"}
    named = _readme_tree()
    assert named == there | folders, {"in README, not in hooks/": sorted(named - there - folders),
                                       "in hooks/, not in README": sorted((there | folders) - named)}


def test_readme_lists_every_block_template() -> None:
    listed = README.split("`hooks/annals/templates/annals/`: ", 1)[1].split(". ", 1)[0]
    there = {p.stem for p in (PACKAGE / "templates" / "annals").glob("*.html")}
    assert set(re.findall(r"`([a-z-]+)`", listed)) == there


CHINESE = re.compile(r"[\u4e00-\u9fff]")
ADDRESS = re.compile(r"^(?:docs/)?(?:reports|indicators|bureaus|commitments|opendata|search|said|assets)(?:/|\.md$)|^feed\.xml$")


def test_page_and_file_addresses_are_made_only_in_routes() -> None:
    """A folder or file name of the site spelled anywhere but data/routes.py is one a change would miss."""
    spelt = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "routes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ADDRESS.search(node.value) \
                    and not CHINESE.search(node.value):  # a message to an editor may name a path
                spelt.append(f"{path.relative_to(HOOKS)}:{node.lineno}: {node.value!r}")
    assert not spelt, spelt
