"""The charts, the report renderers and the export core load without discord: reports run anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISCORD_FREE = [
    "bot.render.charts",
    "bot.render.wording",
    "bot.render.report.markdown",
    "bot.render.report.html_page",
    "bot.render.report.json_data",
    "bot.render.report.csv_files",
    "bot.render.report.polis_files",
    "bot.core.export",
    "bot.core.polis",
]
BLOCK_DISCORD = """
import importlib, importlib.abc, sys

class NoDiscord(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "discord" or name.startswith("discord."):
            raise ImportError(f"{name} is blocked here")
        return None

sys.meta_path.insert(0, NoDiscord())
importlib.import_module(sys.argv[1])
"""


def import_without_discord(module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_DISCORD, module], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("module", DISCORD_FREE)
def test_module_loads_without_discord(module):
    result = import_without_discord(module)
    assert result.returncode == 0, result.stderr


def test_the_block_holds():
    result = import_without_discord("bot.render.discord.files")
    assert result.returncode != 0 and "discord is blocked here" in result.stderr
