"""Positions and tallies at forum scale, measured by hand: `python -m bench.tally_bench [--participants 1000]`.

What the position and tally commands cost with many participants, on a real SQLite file (WAL, as in production):
- recording: every participant sets a profile and takes a position on each of the five themes,
  through the store methods the cogs call (one transaction per position, history appended), first
  one after another, then as a concurrent burst (asyncio.gather);
- tallying: the store's per-stance, per-group counts (GROUP BY) and the pure core's percentages,
  as `/<slug> tally` does, for all five themes;
- the whole `/<slug> tally` command through the real bot inside SimCord, for all five themes.
Prints wall-clock times. Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.core.tally import tally_counts
from bot.forum import REGIONS, STAKEHOLDERS
from bot.render.discord.themes import tally_embed
from bot.settings import Settings
from bot.store import Store, open_store

GUILD = 1_000_000_000_000_000  # a snowflake-sized id, so SimCord accepts it as a guild id
RATIONALE = "A rationale of typical length, about two sentences, as participants write them in the forum. " * 2


async def fill(store: Store, settings: Settings, participants: int, first_user: int, concurrent: bool) -> float:
    """Profiles and five positions per participant; returns the seconds it took."""
    now = datetime(2012, 11, 1, tzinfo=UTC)
    groups, regions = list(STAKEHOLDERS), list(REGIONS)

    async def one(user: int) -> None:
        await store.set_profile(GUILD, user, groups[user % len(groups)], regions[user % len(regions)], now)
        for index, theme in enumerate(settings.themes):
            stance = theme.stances[(user + index) % len(theme.stances)].key
            await store.record_position(GUILD, theme.slug, user, f"user{user}", stance, RATIONALE, now)

    users = range(first_user, first_user + participants)
    started = time.perf_counter()
    if concurrent:
        await asyncio.gather(*(one(user) for user in users))
    else:
        for user in users:
            await one(user)
    return time.perf_counter() - started


async def tally_all(store: Store, settings: Settings) -> tuple[float, float, float]:
    """Seconds to read, count and render every theme's tally (store read, pure count, embed)."""
    read = count = render = 0.0
    for theme in settings.themes:
        t0 = time.perf_counter()
        counts = await store.stance_counts(GUILD, theme.slug)
        t1 = time.perf_counter()
        result = tally_counts(counts, [(s.key, s.label) for s in theme.stances])
        t2 = time.perf_counter()
        tally_embed(theme, result)
        t3 = time.perf_counter()
        read, count, render = read + t1 - t0, count + t2 - t1, render + t3 - t2
    return read, count, render


async def slash_tallies(settings: Settings, repeats: int) -> list[float]:
    """Seconds for `/<slug> tally` on all five themes through the real bot in SimCord, per repeat."""
    import simcord

    from bot import create_bot

    bot = create_bot(settings)
    timings = []
    try:
        async with simcord.run(bot) as env:
            guild = env.create_guild(name="bench", id=GUILD)
            channel = guild.create_text_channel("forum")
            chair = guild.add_member(env.create_user("chair"))  # the guild has the id the rows were stored under
            for _ in range(repeats):
                started = time.perf_counter()
                for theme in settings.themes:
                    result = await chair.slash(channel, f"{theme.slug} tally")
                    assert "Participants" in (result.response.embeds[0].description or "")
                timings.append(time.perf_counter() - started)
    finally:
        await bot.close()
    return timings


async def run(participants: int, repeats: int, folder: Path) -> None:
    """Half the participants recorded one after another, the other half as a burst; then the tallies."""
    settings = Settings.load(None, database={"path": folder / "bench.db"})
    themes = len(settings.themes)
    half = participants // 2
    store = await open_store(settings.database)
    try:
        for label, first, concurrent in (
            ("one after another", 1_000_000, False),
            ("concurrent burst", 2_000_000, True),
        ):
            seconds = await fill(store, settings, half, first, concurrent)
            print(
                f"record {half * themes} positions (+{half} profiles), {label}: {seconds:.2f} s "
                f"({1000 * seconds / (half * themes):.2f} ms per position)"
            )
        runs = [await tally_all(store, settings) for _ in range(repeats)]
        read, count, render = (statistics.median(run[i] for run in runs) for i in range(3))
        print(
            f"tally {themes} themes x {2 * half} participants: read {1000 * read:.1f} ms, count {1000 * count:.1f} ms, "
            f"embed {1000 * render:.1f} ms, total {1000 * (read + count + render):.1f} ms (median of {repeats})"
        )
    finally:
        await store.close()
    timings = await slash_tallies(settings, repeats)
    print(
        f"/<slug> tally for all {themes} themes through the bot in SimCord, {2 * half} participants each: "
        f"{1000 * statistics.median(timings):.1f} ms (median of {repeats})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000, help="participants, each on every theme")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args.participants, args.repeats, Path(folder)))


if __name__ == "__main__":
    main()
