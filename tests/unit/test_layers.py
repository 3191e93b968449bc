"""The house's rules, kept by a test: the core is pure, renderers never query, and imports form a tree.

The one deliberate crossing is the other way: the store may call pure core rules inside a
transaction (a vote is decided atomically), so bot/store imports bot/core, never the reverse.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.imports import ROOT, find_cycle, import_graph, imports_from, module_files

CORE_MODULES = sorted(name for name in module_files("bot") if name.startswith("bot.core"))
BLOCKED = ("discord", "aiosqlite", "pydantic_settings", "pydantic", "apscheduler", "matplotlib")

# A meta-path finder that refuses the blocked packages, as if they were not installed.
BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
import importlib
for name in {modules!r}:
    importlib.import_module(name)
print("ok")
"""


def test_every_core_module_imports_with_discord_the_database_and_settings_libraries_blocked():
    assert len(CORE_MODULES) >= 8
    script = BLOCKER.format(blocked=set(BLOCKED), modules=CORE_MODULES)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_blocker_really_blocks():
    script = BLOCKER.format(blocked={"discord"}, modules=["bot.app"])
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "blocked: discord" in done.stderr


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_neither_the_store_nor_renderers_nor_discord(module):
    path = module_files("bot")[module]
    assert imports_from(path, ("bot.store", "bot.render", "discord", "cogs", "bot.app", "bot.interactions")) == set()


def test_renderers_never_read_the_store():
    offenders = {
        name: found
        for name, path in module_files("bot").items()
        if name.startswith("bot.render") and (found := imports_from(path, ("bot.store", "aiosqlite")))
    }
    assert offenders == {}


def test_cogs_never_import_the_app():
    offenders = {
        name: found for name, path in module_files("cogs").items() if (found := imports_from(path, ("bot.app",)))
    }
    assert offenders == {}


def test_no_import_circle_in_the_bot_and_its_cogs():
    graph = import_graph("bot", "cogs")
    assert len(graph) > 40
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_bot_and_its_cogs_import_without_matplotlib_until_a_chart_is_drawn():
    script = (
        "import sys, bot.app, cogs.themes, cogs.polls, cogs.digests, cogs.profile; print('matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
