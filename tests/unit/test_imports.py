"""Import rules: the rehearsal is a client of the bot, and its modules import one another one way only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REHEARSAL = "rehearsal"


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


def package_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (a package's own name stands for its __init__)."""
    folder = ROOT / package
    modules = {
        package if path.stem == "__init__" else f"{package}.{path.stem}": path for path in sorted(folder.glob("*.py"))
    }
    return {name: imported_modules(path) & set(modules) - {name} for name, path in modules.items()}


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


def test_no_import_circle_inside_the_rehearsal():
    graph = package_graph(REHEARSAL)
    assert len(graph) > 5
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_circle_finder_sees_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_importing_the_bot_and_its_command_line_loads_neither_simcord_nor_the_rehearsal(tmp_path):
    """`python -m bot run` must not need the demo extra: the rehearsal is imported only by `python -m bot demo`."""
    script = (
        "import sys, bot, cogs; from bot.cli import main; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'simcord', 'rehearsal'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
