"""Import rules: the rehearsal is a client of the bot, and its modules import one another one way only."""

from __future__ import annotations

import subprocess
import sys

from tests.support.imports import ROOT, find_cycle, import_graph

REHEARSAL = "rehearsal"


def test_no_import_circle_inside_the_rehearsal():
    graph = import_graph(REHEARSAL)
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
