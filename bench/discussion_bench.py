"""Common ground and discuss at forum scale, measured by hand: `python -m bench.discussion_bench`.

One theme with 2,000 current statements and 100,000 reactions from 5,000 members (defaults), in a real
SQLite file (WAL) with the bot's own schema (the migrations applied by `open_store`). The rows are
generated deterministically and inserted in bulk with SQL, which is quicker than 100,000 clicks and
lands in the same tables. Then, through the real store, as the cogs call it:

- bridges: what `/<slug> bridges` does before rendering (cogs/themes/_cog.py): `store.theme_votes`
  (one aggregate query), the pure scoring `ranked(...)`, and `store.current_statements` for the
  statements chosen. Limit 100 ms.
- next: choosing what a member reads next in `/<slug> discuss`: `store.discussion_candidates` and
  `choose_next`. Limit 20 ms.
- bare: the aggregate `SELECT ... GROUP BY` of `theme_votes` alone, run with sqlite3 directly on its
  own connection: what the database cannot do faster, measured in the same run.

Repeats are interleaved (bare, bridges, next, bare, ...) and medians reported, each as a ratio against
its limit and against the bare aggregate, so a noisy machine shows in the bare figure too.
`--plans` prints SQLite's query plans for the hot queries. Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from bot.core.consensus import Reaction, choose_next, ranked
from bot.forum import REGIONS, STAKEHOLDERS
from bot.settings import DatabaseSettings, Settings
from bot.store import Store, open_store
from bot.store.dbtime import to_db_time
from cogs.themes._cog import BRIDGES_SHOWN, DIVIDES_SHOWN

GUILD = 1
THEME = "gaps"
BRIDGES_LIMIT_MS = 100.0
NEXT_LIMIT_MS = 20.0
REACTIONS = tuple(Reaction)

#: The aggregate of `theme_votes` (bot/store/statements.py), as it runs there; the bench checks that it
#: counts what the store counts, so the two cannot drift apart unnoticed.
BARE_AGGREGATE = """
    SELECT cs.id AS statement_id, cs.number, r.stakeholder AS grp,
           count(*) FILTER (WHERE r.reaction = 'agree') AS agrees,
           count(*) FILTER (WHERE r.reaction = 'disagree') AS disagrees,
           count(*) FILTER (WHERE r.reaction = 'pass') AS passes
    FROM current_statements cs JOIN reactions r ON r.statement_id = cs.id
    WHERE cs.guild_id = ? AND cs.theme = ?
    GROUP BY cs.id, r.stakeholder
    ORDER BY cs.id, r.stakeholder
"""
#: The candidates query of `discussion_candidates`, for its plan.
CANDIDATES = """
    SELECT cs.id, cs.number, cs.agrees, cs.disagrees, cs.passes FROM current_statements cs
    WHERE cs.guild_id = ? AND cs.theme = ? AND cs.author_id != ?
      AND cs.id NOT IN (SELECT r.statement_id FROM reactions r WHERE r.guild_id = ? AND r.user_id = ?)
    ORDER BY cs.number
"""


def generate(path: Path, statements: int, reactions: int, members: int, stances: list[str], seed: int) -> None:
    """Members with profiles, one current statement by each of the first `statements` members, and
    `reactions` reactions spread evenly over the members (none to their own statement), each group
    leaning its own way on each statement, so the ranking has work to do."""
    rng = Random(seed)
    at = to_db_time(datetime(2012, 11, 1, tzinfo=UTC))
    groups, regions = list(STAKEHOLDERS), list(REGIONS)
    group_of = {user: groups[rng.randrange(len(groups))] for user in range(1, members + 1)}
    profiles = [(GUILD, user, group, regions[user % len(regions)], at) for user, group in group_of.items()]
    authored = [
        (number, GUILD, number, THEME, number, f"Statement {number}: an argument of typical length. " * 3, at)
        for number in range(1, statements + 1)
    ]
    positions = [
        (GUILD, THEME, n, f"member {n}", stances[n % len(stances)], text, at, n) for n, *_, text, _ in authored
    ]
    leaning = {(n, group): rng.random() for n in range(1, statements + 1) for group in groups}
    rows = []
    per_member, extra = divmod(reactions, members)
    for user in range(1, members + 1):
        count = per_member + (user <= extra)
        for number in rng.sample(range(1, statements + 1), count + 1):
            if number == user or count == 0:
                continue
            count -= 1
            lean, draw = leaning[(number, group_of[user])], rng.random()
            reaction = Reaction.AGREE if draw < lean * 0.8 else Reaction.DISAGREE if draw < 0.8 else Reaction.PASS
            rows.append((number, user, GUILD, reaction.value, group_of[user], at))
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO profiles VALUES (?, ?, ?, ?, ?)", profiles)
        db.executemany(
            "INSERT INTO profile_history (guild_id, user_id, stakeholder, region, at) VALUES (?, ?, ?, ?, ?)",
            profiles,
        )
        db.executemany(
            "INSERT INTO statements (id, guild_id, number, theme, author_id, text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            authored,
        )
        db.execute("INSERT INTO statement_counters VALUES (?, ?)", (GUILD, statements))
        db.executemany(
            "INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at, "
            "statement_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            positions,
        )
        db.executemany(
            "INSERT INTO position_history (guild_id, theme, user_id, stance, rationale, at, statement_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (guild, theme, user, stance, text, moment, n)
                for guild, theme, user, _, stance, text, moment, n in positions
            ],
        )
        db.executemany("INSERT INTO reactions VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.executemany(
            "INSERT INTO reaction_history (statement_id, user_id, guild_id, reaction, at) VALUES (?, ?, ?, ?, ?)",
            [(n, user, guild, reaction, moment) for n, user, guild, reaction, _, moment in rows],
        )
        # the statements' counts and the per-group counts follow by the triggers on reactions
        db.execute("ANALYZE")


class Clock:
    """Wall-clock and process CPU milliseconds of each part of a measurement (CPU counts every thread,
    aiosqlite's worker included, and not the other processes a busy machine runs)."""

    def __init__(self) -> None:
        self.parts: dict[str, tuple[float, float]] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.parts[name] = ((wall - self._wall) * 1000, (cpu - self._cpu) * 1000)
        self._wall, self._cpu = wall, cpu


async def bridges_work(store: Store, groups: tuple[str, ...]) -> Clock:
    """What `/<slug> bridges` computes before it renders: one aggregate, pure scoring, the chosen texts."""
    clock = Clock()
    votes = await store.theme_votes(GUILD, THEME)
    clock.lap("theme_votes")
    common, split = ranked(votes, groups, common_limit=BRIDGES_SHOWN, divide_limit=DIVIDES_SHOWN)
    clock.lap("ranked")
    chosen = sorted({c.statement.statement_id for c in common} | {d.statement.statement_id for d in split})
    found = await store.current_statements(GUILD, chosen)
    clock.lap("current_statements")
    assert len(found) == len(chosen) > 0
    return clock


async def next_work(store: Store, user: int, rng: Random) -> Clock:
    """What `/<slug> discuss` does to choose a member's next statement."""
    clock = Clock()
    candidates = await store.discussion_candidates(GUILD, THEME, user)
    clock.lap("discussion_candidates")
    assert choose_next(candidates, rng) is not None
    clock.lap("choose_next")
    return clock


def bare(db: sqlite3.Connection) -> Clock:
    clock = Clock()
    db.execute(BARE_AGGREGATE, (GUILD, THEME)).fetchall()
    clock.lap("GROUP BY")
    return clock


def print_plans(db: sqlite3.Connection) -> None:
    for name, sql, args in (
        ("theme_votes", BARE_AGGREGATE, (GUILD, THEME)),
        ("discussion_candidates", CANDIDATES, (GUILD, THEME, 7, GUILD, 7)),
    ):
        print(f"EXPLAIN QUERY PLAN {name}:")
        for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args):
            print(f"  {row[-1]}")


async def main(statements: int, reactions: int, members: int, repeats: int, plans: bool) -> None:
    settings = Settings.load(None)
    theme = settings.theme(THEME)
    assert theme is not None
    groups = settings.profiles.expected_stakeholders
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "discussion.db"
        store = await open_store(DatabaseSettings(path=path))  # the schema, by the bot's own migrations
        await store.close()
        started = time.perf_counter()
        generate(path, statements, reactions, members, [stance.key for stance in theme.stances], seed=2012)
        print(
            f"{statements:,} statements, {reactions:,} reactions from {members:,} members on one theme "
            f"(generated and inserted in {time.perf_counter() - started:.1f} s)"
        )
        store = await open_store(DatabaseSettings(path=path))
        db = sqlite3.connect(path)
        try:
            if plans:
                print_plans(db)
            stored = await store.theme_votes(GUILD, THEME)
            rows = db.execute(BARE_AGGREGATE, (GUILD, THEME)).fetchall()
            counted = sum(int(row[3]) + int(row[4]) + int(row[5]) for row in rows)
            assert counted == sum(item.overall.total for item in stored) == reactions, (counted, reactions)
            rng = Random(2012)
            runs: dict[str, list[Clock]] = {"bare": [], "bridges": [], "next": []}
            for repeat in range(repeats + 1):  # the first round warms the caches and is not counted
                user = 1 + (repeat * 997) % members
                measured = {
                    "bare": bare(db),
                    "bridges": await bridges_work(store, groups),
                    "next": await next_work(store, user, rng),
                }
                if repeat:
                    for name, clock in measured.items():
                        runs[name].append(clock)
        finally:
            db.close()
            await store.close()
    report(runs, repeats)


def _median(clocks: list[Clock], part: str | None = None, cpu: bool = False) -> float:
    index = 1 if cpu else 0
    return statistics.median(c.parts[part][index] if part else sum(v[index] for v in c.parts.values()) for c in clocks)


def report(runs: dict[str, list[Clock]], repeats: int) -> None:
    base = _median(runs["bare"])
    print(f"medians of {repeats} interleaved repeats, wall clock (process CPU in brackets):")
    bare_cpu = _median(runs["bare"], cpu=True)
    print(f"  {'bare aggregate SQL (sqlite3, the GROUP BY alone)':<50} {base:7.1f} ms ({bare_cpu:.1f})")
    for name, label, limit in (
        ("bridges", "/<slug> bridges (theme_votes + ranked + texts)", BRIDGES_LIMIT_MS),
        ("next", "next statement (candidates + choose_next)", NEXT_LIMIT_MS),
    ):
        took, cpu = _median(runs[name]), _median(runs[name], cpu=True)
        print(
            f"  {label:<50} {took:7.1f} ms ({cpu:.1f}) = {took / limit:.2f} of its {limit:.0f} ms limit, "
            f"{took / base:.2f}× the bare aggregate"
        )
        parts = ", ".join(f"{part} {_median(runs[name], part):.1f}" for part in runs[name][0].parts)
        print(f"    of which {parts} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--reactions", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN for the hot queries")
    args = parser.parse_args()
    asyncio.run(main(args.statements, args.reactions, args.members, args.repeats, args.plans))
