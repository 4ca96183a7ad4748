"""No import circle in core, portfolio or tui, type-only and deferred imports included.

import-linter's layers and forbidden contracts say which way imports may go between named
parts; this test says that nothing anywhere goes round in a circle. It reads every module
with `ast` (nothing is imported), takes every import statement, at module level, under
`if TYPE_CHECKING:` or inside a function alike, and fails on each circle it finds, printed
as `a -> b -> a`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

from factories import ROOT

PACKAGES = ("core", "portfolio", "tui")

KNOWN_CYCLES: dict[str, str] = {}
"""Circles allowed for now, by one module they run through, with the issue removing each."""


def module_files() -> dict[str, Path]:
    """Every module of the three floors by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement reaches for (modules or names in them)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join([*here, base] if base else here)
    for alias in node.names:
        yield f"{base}.{alias.name}"
        yield base


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of other modules of the three floors.

    `from a import b` counts as importing `a.b` when that is a module, else `a`.
    """
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_bytes(), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = list(_imported(node, module, path.name == "__init__.py"))
            if isinstance(node, ast.ImportFrom):
                # pairs: (base.name, base); keep the submodule when it is one
                for full, base in zip(names[::2], names[1::2], strict=True):
                    targets.add(full if full in modules else base)
            else:
                targets.update(names)
        graph[module] = {t for t in targets if t in modules and t != module}
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def a_circle(graph: Mapping[str, set[str]], part: list[str]) -> list[str]:
    """One concrete circle through the first module of `part`: a -> ... -> a."""
    members = set(part)
    start = part[0]
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no circle through {start}")


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = import_graph(module_files())
    circles = [part for part in cycles(graph) if not KNOWN_CYCLES.keys() & set(part)]
    shown = "\n".join(
        f"{' -> '.join(a_circle(graph, part))}  (all of: {', '.join(part)})" for part in circles
    )
    assert not circles, f"import circles:\n{shown}"


def test_known_cycles_are_still_there() -> None:
    """An allowance outlives its circle by no commit: remove it with the circle."""
    in_circles = {module for part in cycles(import_graph(module_files())) for module in part}
    assert KNOWN_CYCLES.keys() <= in_circles, sorted(KNOWN_CYCLES.keys() - in_circles)


def test_the_walk_finds_a_circle_and_type_only_imports() -> None:
    """The detector itself: a type-only import closing a circle is one."""
    source = {
        "a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from b import B\n",
        "b": "def f():\n    import c\n",
        "c": "from a import thing\n",
        "d": "import a\n",
    }
    graph: dict[str, set[str]] = {}
    for name, text in source.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = list(_imported(node, name, is_package=False))
                targets.update(n.split(".")[0] for n in names)
        graph[name] = {t for t in targets if t in source and t != name}
    assert cycles(graph) == [["a", "b", "c"]]
    assert a_circle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
