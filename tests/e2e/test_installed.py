"""The bot as pip installs it from a wheel (not editable): the installed copy finds and applies every migration.

Built and installed offline (no build isolation, no dependencies), from a copy of the checkout so the
build leaves nothing in it, and run from a folder outside it so nothing can be read from the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Compiled catalogues are left behind too: the wheel's build compiles its own (setup.py).
NOT_SOURCE = (".git", ".venv", "build", "demo-out", "*.egg-info", "__pycache__", ".*_cache", "*.db*", "*.mo")

APPLY_MIGRATIONS = """
import asyncio, sqlite3, sys
import aiosqlite
import bot.migrate

async def apply(path):
    async with aiosqlite.connect(path) as db:
        return await bot.migrate.migrate(db)

version = asyncio.run(apply(sys.argv[1]))
with sqlite3.connect(sys.argv[1]) as db:
    tables = sorted(name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
print(version, len(bot.migrate.available_migrations()), bot.migrate.__file__, bot.migrate.MIGRATIONS_DIR)
print(*tables)
"""


def test_an_installed_bot_applies_every_migration(tmp_path):
    source, site, elsewhere = tmp_path / "source", tmp_path / "site", tmp_path / "elsewhere"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    elsewhere.mkdir()
    offline = ["--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", *offline, "--target", str(site), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shipped = sorted(path.name for path in (site / "migrations").glob("*.sql"))
    assert shipped == sorted(path.name for path in (ROOT / "migrations").glob("*.sql")) != []
    assert (site / "bot").is_dir() and (site / "cogs").is_dir()
    compiled = sorted(path.parts[-3] for path in (site / "bot" / "locales").glob("*/LC_MESSAGES/concord.mo"))
    assert compiled == ["ar", "es", "fr", "ru", "zh"]  # each catalogue compiled into the wheel
    assert not (site / "rehearsal").exists()  # a client of the bot, like bench/: it stays in the checkout

    done = subprocess.run(
        [sys.executable, "-c", APPLY_MIGRATIONS, str(elsewhere / "concord.db")],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    summary, tables = done.stdout.splitlines()
    version, available, module, folder = summary.split()
    assert int(version) == int(available) == len(shipped)
    assert Path(module).is_relative_to(site) and Path(folder).is_relative_to(site)  # not the checkout's copy
    assert {"positions", "profiles", "polls", "digest_runs"} <= set(tables.split())
