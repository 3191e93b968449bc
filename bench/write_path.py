"""The write path at its limit: `python -m bench.write_path [--size 5000] [--repeats 5]` (part of `make bench`).

Three concurrent bursts through the code the bot runs, each against its limit measured in the same run:

- **open votes**: `size` members vote at once (`asyncio.gather`) through the vote service the poll buttons
  call (`VoteService.record_vote`), on an open ballot; every call returns only once its vote is committed.
  Limit: the same `poll_votes` rows written by one `executemany` and one COMMIT on a plain `sqlite3`
  connection with the store's pragmas.
- **secret votes**: the same on a secret ballot; the limit writes the same `poll_ballots` rows (the voter
  keys computed beforehand, outside the timing).
- **positions**: `size` members record a position with a rationale at once, through what `/<slug> position`
  asks of the store. Limit: the same statements, positions and history rows (and the statement counter)
  by one `executemany` per table and one COMMIT.

Each run starts from a fresh database file made by the store itself (migrations, one poll). The runs are
interleaved (service, limit, service, limit, ...), after one warm-up round that is not counted; the figures
are medians over the repeats. Like the bot (`python -m bot run`), the bench freezes the heap it has loaded
before it starts (`gc.freeze()`), so the collector's full passes cover only what came after. Not a test: the
machine is noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.context import BotContext
from bot.core.ballot_keys import BallotKeys
from bot.settings import Settings
from bot.store import SqliteStore, Store
from bot.store.base import _PRAGMAS
from bot.store.dbtime import to_db_time
from cogs.polls._voting import VoteService

GUILD = 1_000_000_000_000_000
FIRST_USER = 2_000_000_000_000_000
NOW = datetime(2012, 11, 8, 9, tzinfo=UTC)
THEME = "gaps"
STANCES = ("none", "some", "widespread", "undecided")
SECRET = bytes(range(32))  # a fixed server secret: the same voter keys every run
OPTIONS = ("Yes", "No", "Not yet")


def rationale(user: int) -> str:
    """About 190 characters, different for every member (each is a statement of its own)."""
    return f"Member {user} thinks the gaps lie in specific policy areas, which the forum should name. " * 2


class NoScheduling:
    """The bench runs no scheduled work."""

    def add_due_work(self, work: object) -> None: ...
    def remove_due_work(self, work: object) -> None: ...
    def add_recurring(self, job_id: str, trigger: object) -> None: ...
    def remove_recurring(self, job_id: str) -> None: ...


def context(store: Store) -> BotContext:
    settings = Settings.load(None, database={"path": ":unused:"})
    return BotContext(settings, store, NoScheduling(), lambda: NOW, BallotKeys(SECRET))  # type: ignore[arg-type]


async def fresh_store(path: Path, *, secret: bool | None) -> tuple[SqliteStore, int]:
    """A new database file through the store (its migrations), with one open poll unless `secret` is None."""
    store = await SqliteStore.open(path)
    if secret is None:
        return store, 0
    poll = await store.create_poll(
        guild_id=GUILD,
        channel_id=2,
        created_by=3,
        question="Bench?",
        options=list(OPTIONS),
        theme=None,
        secret=secret,
        hide_results=True,
        max_choices=1,
        now=NOW,
        closes_at=NOW + timedelta(hours=1),
        ballot_seed=BallotKeys(SECRET).new_seed() if secret else None,
    )
    return store, poll.id


def users(size: int) -> range:
    return range(FIRST_USER, FIRST_USER + size)


# --- through the bot's code ---------------------------------------------------------------------


async def service_votes(path: Path, size: int, secret: bool) -> float:
    store, poll_id = await fresh_store(path, secret=secret)
    try:
        voting = VoteService(context(store))
        gc.collect()
        started = time.perf_counter()
        await asyncio.gather(*(voting.record_vote(GUILD, poll_id, user, user % 3, NOW) for user in users(size)))
        took = time.perf_counter() - started
        poll = await store.get_poll_by_id(poll_id)
        assert poll is not None
        counted = await store.poll_counts(poll)
        assert sum(counted.voters.values()) == size, counted.voters
        return took
    finally:
        await store.close()


async def record_as_the_command_does(store: Store, user: int) -> None:
    """What `/<slug> position` with a rationale asks of the store for one member: one operation."""
    await store.record_position(GUILD, THEME, user, f"member{user}", STANCES[user % 4], rationale(user), NOW)


async def service_positions(path: Path, size: int) -> float:
    store, _ = await fresh_store(path, secret=None)
    try:
        gc.collect()
        started = time.perf_counter()
        await asyncio.gather(*(record_as_the_command_does(store, user) for user in users(size)))
        took = time.perf_counter() - started
        assert await store.count_participants(GUILD, THEME) == size
        return took
    finally:
        await store.close()


# --- the limits: the same rows, one executemany per table, one COMMIT -----------------------------


def limit_connection(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    for pragma in _PRAGMAS:
        db.execute(pragma).fetchall()
    return db


async def limit_votes(path: Path, size: int, secret: bool) -> float:
    store, poll_id = await fresh_store(path, secret=secret)
    seed = await store.poll_ballot_seed(poll_id)
    await store.close()
    keys = BallotKeys(SECRET)
    db = limit_connection(path)
    try:
        if secret:
            assert seed is not None
            db.execute("PRAGMA secure_delete = ON")
            sql = "INSERT INTO poll_ballots (poll_id, voter_key, position, stakeholder) VALUES (?, ?, ?, ?)"
            rows: list[tuple[object, ...]] = [
                (poll_id, keys.voter_key(poll_id, seed, user), user % 3, None) for user in users(size)
            ]
        else:
            sql = "INSERT INTO poll_votes (poll_id, user_id, position, stakeholder, voted_at) VALUES (?, ?, ?, ?, ?)"
            rows = [(poll_id, user, user % 3, None, to_db_time(NOW)) for user in users(size)]
        gc.collect()
        started = time.perf_counter()
        db.executemany(sql, rows)
        db.commit()
        took = time.perf_counter() - started
        table = "poll_ballots" if secret else "poll_votes"
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (size,)
        return took
    finally:
        db.close()


async def limit_positions(path: Path, size: int) -> float:
    store, _ = await fresh_store(path, secret=None)
    await store.close()
    at = to_db_time(NOW)
    statements = [(GUILD, number, THEME, user, rationale(user), at) for number, user in enumerate(users(size), 1)]
    db = limit_connection(path)
    try:
        gc.collect()
        started = time.perf_counter()
        db.execute("INSERT INTO statement_counters (guild_id, last_number) VALUES (?, ?)", (GUILD, size))
        db.executemany(
            "INSERT INTO statements (guild_id, number, theme, author_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            statements,
        )
        # a fresh file: the statements' ids are 1..size, in the order inserted
        db.executemany(
            """
            INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at, statement_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                (GUILD, THEME, user, f"member{user}", STANCES[user % 4], rationale(user), at, statement)
                for statement, user in enumerate(users(size), 1)
            ],
        )
        db.executemany(
            """
            INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale, statement_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                (GUILD, THEME, user, at, STANCES[user % 4], rationale(user), statement)
                for statement, user in enumerate(users(size), 1)
            ],
        )
        db.commit()
        took = time.perf_counter() - started
        assert db.execute("SELECT count(*) FROM positions").fetchone() == (size,)
        return took
    finally:
        db.close()


# --- the table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    service: Callable[[Path, int], Awaitable[float]]
    limit: Callable[[Path, int], Awaitable[float]]
    target: float


ROWS = (
    Row(
        "concurrent poll votes, open ballot",
        lambda path, size: service_votes(path, size, False),
        lambda path, size: limit_votes(path, size, False),
        10.0,
    ),
    Row(
        "concurrent poll votes, secret ballot",
        lambda path, size: service_votes(path, size, True),
        lambda path, size: limit_votes(path, size, True),
        10.0,
    ),
    Row("concurrent position writes", service_positions, limit_positions, 5.0),
)


async def main(size: int, repeats: int) -> None:
    gc.freeze()  # as `python -m bot run` does before it logs in (bot/cli/run.py): the loaded modules are frozen
    measured: dict[str, tuple[list[float], list[float]]] = {row.name: ([], []) for row in ROWS}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(repeats + 1):  # round 0 warms up and is dropped
            for row in ROWS:
                for kind, run in (("service", row.service), ("limit", row.limit)):
                    path = Path(folder) / f"{repeat}-{row.name[:20]}-{kind}.db".replace(" ", "_")
                    took = await run(path, size)
                    if repeat:
                        measured[row.name][kind == "limit"].append(took)
                    for suffix in ("", "-wal", "-shm"):
                        path.with_name(path.name + suffix).unlink(missing_ok=True)
    print(f"{size:,} writes each; medians of {repeats} interleaved repeats (seconds)")
    print(f"{'path':<38} {'today':>8} {'limit':>8} {'ratio':>7} {'ratios (min-max)':>17} {'target':>7}")
    for row in ROWS:
        service, limit = measured[row.name]
        ratios = [s / limit_ for s, limit_ in zip(service, limit, strict=True)]
        ratio = statistics.median(ratios)
        verdict = "met" if ratio <= row.target else "NOT met"
        print(
            f"{row.name:<38} {statistics.median(service):>7.3f}s {statistics.median(limit):>7.3f}s "
            f"{ratio:>6.1f}x {min(ratios):>7.1f}-{max(ratios):<7.1f}x {row.target:>5.0f}x  {verdict}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(arguments.size, max(1, arguments.repeats)))
