"""Start-up at its limit: `python -m bench.startup_bench [--repeats 7]` (part of `make bench`).

Each figure is the wall clock of a whole new process (`python ...`, interpreter start included), the runs
interleaved (bare, concord, report, bare, ...) after one warm-up round; medians over the repeats:

- **bare**: the limit, a bare discord.py bot process: it imports discord.py, builds a `commands.Bot` with the
  default intents and one cog with one slash command, runs its set-up hook and closes; no network.
- **concord**: what `python -m bot run` does before it logs in: load the settings, open and migrate the
  database, load the ballot key and check it (`prepare_store`), `create_bot`, then the bot's whole
  `setup_hook` (store, every cog, the command tree and its hash), with only the call to Discord that would
  sync the commands left out; then close.
- **report**: `python -m bot report --guild ...` (Markdown on standard output) on a small forum's database,
  as an organiser runs it after a session; and **report+chart**, the same written to a file with its PNG
  chart beside it, the one of the three that needs matplotlib (imported when the chart is drawn).

`python -X importtime -m bench.startup_bench --child concord 2> imports.txt` shows where an import's time
goes. Not a test: the machine is noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GUILD = 1_000_000_000_000_000
TARGET = 1.3


async def bare() -> None:
    import discord
    from discord import app_commands
    from discord.ext import commands

    class Hello(commands.Cog):
        @app_commands.command(name="hello", description="Say hello")
        async def hello(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Hello")

    class Bare(commands.Bot):
        async def setup_hook(self) -> None:
            await self.add_cog(Hello())

    bot = Bare(command_prefix=commands.when_mentioned, intents=discord.Intents.default())
    async with bot:
        await bot._async_setup_hook()
        await bot.setup_hook()


async def concord(database: Path) -> None:
    from bot.cli.run import prepare_store
    from bot.settings import Settings

    settings = Settings.load(None, database={"path": database})
    await prepare_store(settings, ballots=True)
    from bot import create_bot

    bot = create_bot(settings)

    async def no_sync(**_: object) -> list[object]:  # the one call to Discord of the set-up
        return []

    bot.tree.sync = no_sync  # type: ignore[method-assign]
    async with bot:
        await bot._async_setup_hook()
        await bot.setup_hook()


async def make_forum(database: Path) -> None:
    """A small forum: 50 members' positions on each theme, and a profile each."""
    from datetime import UTC, datetime, timedelta

    from bot.settings import Settings
    from bot.store import open_store

    settings = Settings.load(None, database={"path": database})
    store = await open_store(settings.database)
    try:
        now = datetime(2012, 11, 8, 9, tzinfo=UTC)
        for user in range(1, 51):
            await store.set_profile(GUILD, user, "academia" if user % 2 else "business", None, now)
            for number, theme in enumerate(settings.themes):
                stance = ("none", "some", "widespread")[(user + number) % 3]
                at = now + timedelta(minutes=user)
                await store.record_position(GUILD, theme.slug, user, f"m{user}", stance, f"Because {user}.", at)
    finally:
        await store.close()


def child(kind: str, database: Path) -> None:
    if kind == "bare":
        asyncio.run(bare())
    elif kind == "concord":
        asyncio.run(concord(database))
    elif kind == "forum":
        asyncio.run(make_forum(database))


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CONCORD_BALLOT_KEY": "ab" * 32, "CONCORD_DATABASE__PATH": f"{folder}/concord.db"}
        me = [sys.executable, "-m", "bench.startup_bench", "--child"]
        subprocess.run([*me, "forum", "--database", f"{folder}/concord.db"], check=True, env=env)
        runs = {
            "bare": [*me, "bare"],
            "concord": [*me, "concord", "--database", f"{folder}/concord.db"],
            "report": [sys.executable, "-m", "bot", "report", "--guild", str(GUILD)],
            "report+chart": [sys.executable, "-m", "bot", "report", "--guild", str(GUILD), "--out", f"{folder}/out.md"],
        }
        measured: dict[str, list[float]] = {name: [] for name in runs}
        for repeat in range(repeats + 1):
            for name, command in runs.items():
                took = timed(command, env)
                if repeat:
                    measured[name].append(took)
    limit = statistics.median(measured["bare"])
    print(f"whole processes, medians of {repeats} interleaved repeats (seconds)")
    print(f"{'path':<44} {'time':>7} {'limit':>7} {'ratio':>6} {'(min-max)':>11} {'target':>7}")
    labels = {
        "concord": "start-up (python -m bot run, up to login)",
        "report": "python -m bot report (Markdown)",
        "report+chart": "the same with its PNG chart (--out)",
    }
    for name, label in labels.items():
        ratios = [took / bare for took, bare in zip(measured[name], measured["bare"], strict=True)]
        ratio = statistics.median(ratios)
        print(
            f"{label:<44} {statistics.median(measured[name]):>6.2f}s {limit:>6.2f}s {ratio:>5.2f}x "
            f"{min(ratios):>5.2f}-{max(ratios):<5.2f} {TARGET:>5.1f}x  {'met' if ratio <= TARGET else 'NOT met'}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--child", choices=("bare", "concord", "forum"), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.database)
    else:
        main(max(1, arguments.repeats))
