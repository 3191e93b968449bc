"""`/profile show` at forum scale: `python -m bench.profile_bench [--participants 50000] [--repeats 5]`.

One server with `participants` members, each with a profile and a position with a rationale on each of the
five themes (and its statement and history row), inserted in bulk with SQL into a database file made by the
store itself (its migrations). Then, as `/profile show` asks the store, for 200 members chosen at random
(seeded): `store.get_profile` and `store.positions_of`, through the store opened as the bot opens it.

Limit, in the same run: the same two SELECTs on a plain `sqlite3` connection to the same file, with the
`(guild_id, user_id)` indexes and statistics in place: what the database itself takes. The lookups are
interleaved (store, limit, store, limit, ...) after one warm-up round; medians per lookup over the repeats.
`--plans` prints `EXPLAIN QUERY PLAN` for the two queries. Not a test: read the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bot.store import SqliteStore
from bot.store.base import _PRAGMAS
from bot.store.positions import _POSITION_COLUMNS

GUILD = 1_000_000_000_000_000
FIRST_USER = 2_000_000_000_000_000
THEMES = ("gaps", "access", "rights", "security", "future")
STANCES = ("none", "some", "widespread", "undecided")
GROUPS = ("government", "business", "civil-society", "academia", "technical")
AT = "2012-11-08T09:00:00.000000Z"
LOOKUPS = 200

PROFILE_SQL = "SELECT user_id, stakeholder, region FROM profiles WHERE guild_id = ? AND user_id = ?"
POSITIONS_SQL = f"""
    SELECT p.theme, {_POSITION_COLUMNS}
    FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
    WHERE p.guild_id = ? AND p.user_id = ?
"""


def fill(path: Path, participants: int) -> None:
    """The rows, in bulk (deterministic: the same file every run)."""
    db = sqlite3.connect(path)
    users = range(FIRST_USER, FIRST_USER + participants)
    db.executemany(
        "INSERT INTO profiles (guild_id, user_id, stakeholder, region, updated_at) VALUES (?, ?, ?, NULL, ?)",
        [(GUILD, user, GROUPS[user % 5], AT) for user in users],
    )
    number = 0
    for theme in THEMES:
        rows = []
        for user in users:
            number += 1
            rows.append((number, user, f"{theme}: member {user} thinks so, for reasons of their own."))
        db.executemany(
            f"INSERT INTO statements (id, guild_id, number, theme, author_id, text, created_at) "
            f"VALUES (?, {GUILD}, ?, '{theme}', ?, ?, '{AT}')",
            [(n, n, user, text) for n, user, text in rows],
        )
        db.executemany(
            "INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at, "
            "statement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(GUILD, theme, user, f"member{user}", STANCES[user % 4], text, AT, n) for n, user, text in rows],
        )
        db.executemany(
            "INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale, statement_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(GUILD, theme, user, AT, STANCES[user % 4], text, n) for n, user, text in rows],
        )
    db.execute("INSERT INTO statement_counters (guild_id, last_number) VALUES (?, ?)", (GUILD, number))
    db.commit()
    db.close()


async def through_the_store(store: SqliteStore, members: list[int]) -> float:
    started = time.perf_counter()
    for user in members:
        profile = await store.get_profile(GUILD, user)
        mine = await store.positions_of(GUILD, user)
        assert profile is not None and len(mine) == len(THEMES)
    return (time.perf_counter() - started) / len(members)


def bare(db: sqlite3.Connection, members: list[int]) -> float:
    started = time.perf_counter()
    for user in members:
        profile = db.execute(PROFILE_SQL, (GUILD, user)).fetchone()
        mine = db.execute(POSITIONS_SQL, (GUILD, user)).fetchall()
        assert profile is not None and len(mine) == len(THEMES)
    return (time.perf_counter() - started) / len(members)


async def main(participants: int, repeats: int, plans: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.db"
        store = await SqliteStore.open(path)  # the schema: every migration
        await store.close()
        fill(path, participants)
        store = await SqliteStore.open(path)  # as the bot opens it, after the rows came
        db = sqlite3.connect(path)
        for pragma in _PRAGMAS:
            db.execute(pragma).fetchall()
        db.row_factory = sqlite3.Row
        if plans:
            for sql in (PROFILE_SQL, POSITIONS_SQL):
                print(" ".join(sql.split())[:90], "...")
                for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", (GUILD, FIRST_USER)):
                    print("   ", row[3])
        rng = random.Random(7)
        service: list[float] = []
        limit: list[float] = []
        try:
            for repeat in range(repeats + 1):
                members = [FIRST_USER + rng.randrange(participants) for _ in range(LOOKUPS)]
                took_store = await through_the_store(store, members)
                took_bare = bare(db, members)
                if repeat:
                    service.append(took_store)
                    limit.append(took_bare)
        finally:
            db.close()
            await store.close()
    ratios = [s / b for s, b in zip(service, limit, strict=True)]
    ratio = statistics.median(ratios)
    print(f"/profile show at {participants:,} participants x {len(THEMES)} themes; medians of {repeats} repeats")
    print(f"{'path':<34} {'store':>9} {'limit':>9} {'ratio':>7} {'(min-max)':>12} {'target':>7}")
    print(
        f"{'get_profile + positions_of':<34} {1000 * statistics.median(service):>7.3f}ms "
        f"{1000 * statistics.median(limit):>7.3f}ms {ratio:>6.1f}x {min(ratios):>5.1f}-{max(ratios):<5.1f}x "
        f"{2:>5}x  {'met' if ratio <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--plans", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.participants, max(1, arguments.repeats), arguments.plans))
