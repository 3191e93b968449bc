"""Reading the import graph from the source: what each module imports, anywhere in it, and circles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports anywhere: at the top, inside functions and under `if TYPE_CHECKING:`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from pkg import module`
    return found


def module_files(*packages: str) -> dict[str, Path]:
    """Module name -> file, for every module of these top-level packages (subpackages included)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def import_graph(*packages: str) -> dict[str, set[str]]:
    """Module -> the modules of these packages it imports (a package's own name stands for its __init__)."""
    modules = module_files(*packages)
    return {name: imported_modules(path) & set(modules) - {name} for name, path in modules.items()}


def imports_from(path: Path, prefixes: tuple[str, ...]) -> set[str]:
    """The imports of `path` that are one of `prefixes` or inside one of them."""
    return {name for name in imported_modules(path) if any(name == p or name.startswith(f"{p}.") for p in prefixes)}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it (first repeated at the end), or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            cycle = visit(target, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    return next((cycle for module in sorted(graph) if (cycle := visit(module, []))), None)
