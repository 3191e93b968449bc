"""Burst of poll votes, measured by hand: `python -m bench.poll_burst [--sizes 500 5000]`.

Runs the real bot (create_bot, real cogs, a real SQLite file) inside SimCord and sends N members'
votes at once through the very function the vote buttons call (PollCog.record_vote), for an open
and a secret ballot, then closes the poll (sealing the counts, erasing a secret poll's ballots).
Checks every vote counted exactly once and prints wall-clock times. Not a test: timings vary by machine.

Two runs per size: inside SimCord (the whole bot attached to the simulated Discord, whose
instrumented event loop adds overhead to every await) and "direct" (the same cog method over the
same store, no simulator), which is closer to production.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import simcord

from bot import create_bot
from bot.app import ConcordBot
from bot.context import BotContext
from bot.core.ballot_keys import BallotKeys
from bot.settings import Settings
from bot.store import open_store
from cogs.polls import PollCog

GUILD = 1


async def measure(bot: ConcordBot, cog: PollCog, guild_id: int, poll_id: int, size: int) -> dict[str, float]:
    """Everyone votes at once, then everyone clicks again at once (half confirm, half change); then close."""
    users = range(1_000_000, 1_000_000 + size)
    started = time.perf_counter()
    await asyncio.gather(*(cog.voting.record_vote(guild_id, poll_id, user, user % 3) for user in users))
    first = time.perf_counter() - started
    started = time.perf_counter()
    await asyncio.gather(*(cog.voting.record_vote(guild_id, poll_id, user, user % 2) for user in users))
    again = time.perf_counter() - started
    poll = await bot.store.get_poll_by_id(poll_id)
    counts = await bot.store.poll_counts(poll)
    assert sum(counts.voters.values()) == size, counts.voters
    assert sum(counts.votes.values()) == size, "each voter holds exactly one choice"
    started = time.perf_counter()
    await bot.store.close_poll(poll_id, bot.clock())
    seal = time.perf_counter() - started
    sealed = await bot.store.poll_counts(await bot.store.get_poll_by_id(poll_id))
    assert sum(sealed.voters.values()) == size
    return {"first": first, "again": again, "seal": seal}


async def in_simcord(size: int, secret: bool, path: Path) -> dict[str, float]:
    bot = create_bot(Settings.load(None, database={"path": path}))
    try:
        async with simcord.run(bot) as env:
            guild = env.create_guild(name="bench")
            channel = guild.create_text_channel("polls")
            chair = guild.add_member(env.create_user("chair"), roles=[guild.create_role("Facilitator")])
            await chair.slash(channel, "poll create", question="Bench?", options="Yes; No; Not yet", secret=secret)
            poll = await bot.store.get_poll(guild.id, 1)
            cog = bot.get_cog("Polls")
            assert isinstance(cog, PollCog)
            return await measure(bot, cog, guild.id, poll.id, size)
    finally:
        await bot.close()


async def direct(size: int, secret: bool, path: Path) -> dict[str, float]:
    bot = create_bot(Settings.load(None, database={"path": path}))
    store = await open_store(bot.settings.database)
    bot._store = store  # what setup_hook does, without connecting anywhere
    ctx = BotContext(bot.settings, store, bot, bot.clock, BallotKeys(secrets.token_bytes(32)))
    try:
        now = bot.clock()
        poll = await store.create_poll(
            guild_id=GUILD,
            channel_id=2,
            created_by=3,
            question="Bench?",
            options=["Yes", "No", "Not yet"],
            theme=None,
            secret=secret,
            hide_results=True,
            max_choices=1,
            now=now,
            closes_at=now + timedelta(hours=1),
            ballot_seed=ctx.ballot_keys.new_seed() if secret else None,
        )
        return await measure(bot, PollCog(bot, ctx), GUILD, poll.id, size)
    finally:
        await store.close()


async def main(sizes: list[int]) -> None:
    print(f"{'run':<8} {'votes':>6}  {'ballot':<7} {'all vote':>9} {'all again':>10} {'per vote':>9} {'close':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            for runner in (direct, in_simcord):
                for secret in (False, True):
                    path = Path(folder) / f"{runner.__name__}-{size}-{int(secret)}.db"
                    took = await runner(size, secret, path)
                    per_vote = 1000 * took["first"] / size
                    print(
                        f"{runner.__name__:<8} {size:>6}  {'secret' if secret else 'open':<7} {took['first']:>8.2f}s "
                        f"{took['again']:>9.2f}s {per_vote:>7.2f}ms {took['seal']:>6.2f}s"
                    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(parser.parse_args().sizes))
