"""`/<slug> position` through the bot against a bare command: `python -m bench.commands_bench [--commands 100]`.

The real bot (create_bot, its cogs, a real SQLite file) inside SimCord. A member records a position with a
rationale (`/gaps position`), and, as the limit measured in the same run, a bare command that only responds
(`/bare`, added to the same tree for the bench). SimCord waits 50 ms before it calls a handler that never
suspends finished (its idle poll); the bench shortens that poll for both commands, so what is measured is
the bot's work and SimCord's own per-command cost. Blocks of `commands` of each, interleaved, after one
warm-up round; medians of the per-command means over the repeats. Not a test: read the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import discord
import simcord
from discord import app_commands
from simcord.env import Env

from bot import create_bot
from bot.settings import Settings

IDLE = 0.0005  # seconds: SimCord's idle poll, shortened from 50 ms
TARGET = 1.2


def shorten_idle_poll() -> None:
    settle = Env._settle_internal

    async def quick(self: Env, **options: Any) -> None:
        options["idle"] = IDLE
        await settle(self, **options)

    Env._settle_internal = quick  # type: ignore[method-assign]


@app_commands.command(name="bare", description="Responds, and nothing else")
async def bare(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("ok", ephemeral=True)


async def run(commands: int, repeats: int, path: Path) -> tuple[list[float], list[float]]:
    bot = create_bot(Settings.load(None, database={"path": path}))
    bot.tree.add_command(bare)
    position: list[float] = []
    limit: list[float] = []
    try:
        async with simcord.run(bot) as env:
            guild = env.create_guild(name="bench")
            channel = guild.create_text_channel("forum")
            members = [guild.add_member(env.create_user(f"member{i}")) for i in range(commands)]
            for repeat in range(repeats + 1):  # round 0 warms up and is dropped
                started = time.perf_counter()
                for member in members:
                    await member.slash(channel, "bare")
                bare_took = (time.perf_counter() - started) / commands
                started = time.perf_counter()
                for index, member in enumerate(members):
                    reason = f"Round {repeat}: gaps in specific policy areas, as member {index} sees them."
                    await member.slash(channel, "gaps position", stance="some", rationale=reason)
                position_took = (time.perf_counter() - started) / commands
                if repeat:
                    limit.append(bare_took)
                    position.append(position_took)
            assert len(await bot.store.list_positions(guild.id, "gaps")) == commands
    finally:
        await bot.close()
    return position, limit


async def main(commands: int, repeats: int) -> None:
    shorten_idle_poll()
    with tempfile.TemporaryDirectory() as folder:
        position, limit = await run(commands, repeats, Path(folder) / "commands.db")
    ratios = [p / b for p, b in zip(position, limit, strict=True)]
    ratio = statistics.median(ratios)
    print(f"{commands} commands per block; medians of {repeats} interleaved repeats (per command)")
    print(f"{'path':<38} {'today':>8} {'limit':>8} {'ratio':>7} {'ratios (min-max)':>17} {'target':>7}")
    print(
        f"{'/<slug> position vs a bare command':<38} {1000 * statistics.median(position):>6.2f}ms "
        f"{1000 * statistics.median(limit):>6.2f}ms {ratio:>6.2f}x {min(ratios):>7.2f}-{max(ratios):<7.2f}x "
        f"{TARGET:>5.1f}x  {'met' if ratio <= TARGET else 'NOT met'}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(arguments.commands, max(1, arguments.repeats)))
