"""Votes while a poll is open: open ballots keyed by Discord id, secret ballots keyed by a hash.

Secret ballots never touch a Discord id here: the cog hands over the keyed hash (bytes) instead,
and the store refuses the wrong kind of voter for the poll. Each click is one transaction that
reads the voter's current choices, applies the core's click rule and writes the result, so a
burst of concurrent clicks serialises cleanly.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.core.ballot_keys import BallotSeed
from bot.core.polls import Aggregate, Click, PollInfo, aggregate, apply_click
from bot.store.base import StoreBase
from bot.store.dbtime import to_db_time
from bot.store.interface import Voter


def ballot_seed(row: aiosqlite.Row) -> BallotSeed | None:
    if row["ballot_nonce"] is None and row["salt"] is None:
        return None
    return BallotSeed(nonce=row["ballot_nonce"], check=row["ballot_check"], legacy_salt=row["salt"])


def _ballot_table(voter: Voter) -> tuple[str, str]:
    return ("poll_ballots", "voter_key") if isinstance(voter, bytes) else ("poll_votes", "user_id")


class PollBallotQueries(StoreBase):
    async def poll_ballot_seed(self, poll_id: int) -> BallotSeed | None:
        row = await self._read_one("SELECT salt, ballot_nonce, ballot_check FROM polls WHERE id = ?", (poll_id,))
        return ballot_seed(row) if row else None

    async def open_ballot_seeds(self) -> dict[int, BallotSeed]:
        rows = await self._read_all(
            "SELECT id, salt, ballot_nonce, ballot_check FROM polls WHERE secret = 1 AND closed_at IS NULL ORDER BY id"
        )
        return {row["id"]: seed for row in rows if (seed := ballot_seed(row)) is not None}

    async def voter_choices(self, poll_id: int, voter: Voter) -> frozenset[int]:
        table, column = _ballot_table(voter)
        rows = await self._read_all(
            f"SELECT position FROM {table} WHERE poll_id = ? AND {column} = ?", (poll_id, voter)
        )
        return frozenset(row[0] for row in rows)

    async def _choices(self, db: aiosqlite.Connection, poll_id: int, voter: Voter) -> frozenset[int]:
        table, column = _ballot_table(voter)
        async with db.execute(
            f"SELECT position FROM {table} WHERE poll_id = ? AND {column} = ?", (poll_id, voter)
        ) as cursor:
            return frozenset(row[0] for row in await cursor.fetchall())

    async def _accepting(
        self, db: aiosqlite.Connection, guild_id: int, poll_id: int, voter: Voter, now: datetime
    ) -> tuple[int, int]:
        """(max_choices, number of options) if this server's poll still takes votes, else (0, 0).

        Decided inside the vote's transaction, so a vote and the sealing of the poll never overlap:
        a vote either lands before the seal (and is counted) or is refused. Refuses a Discord id as
        the voter of a secret poll, and a hash for an open one.
        """
        async with db.execute(
            """
            SELECT secret, max_choices, (SELECT count(*) FROM poll_options o WHERE o.poll_id = p.id) AS options
            FROM polls p WHERE id = ? AND guild_id = ? AND closed_at IS NULL AND closes_at > ?
            """,
            (poll_id, guild_id, to_db_time(now)),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return 0, 0
        if bool(row["secret"]) != isinstance(voter, bytes):
            raise ValueError("a secret poll's ballots are keyed by hash, an open poll's by user id")
        if row["secret"]:
            await self._secure_delete(db)
        return row["max_choices"], row["options"]

    async def cast_vote(
        self, guild_id: int, poll_id: int, voter: Voter, position: int, stakeholder: str | None, now: datetime
    ) -> Click | None:
        """Apply one click atomically (read, decide, write); None when the poll no longer takes votes."""
        async with self.transaction() as db:
            max_choices, options = await self._accepting(db, guild_id, poll_id, voter, now)
            if not options:
                return None
            if not 0 <= position < options:
                raise ValueError(f"poll {poll_id} has no option {position}")
            click = apply_click(await self._choices(db, poll_id, voter), position, max_choices)
            if click.choices != click.previous:
                await self._write_choices(db, poll_id, voter, click.choices, stakeholder, now)
            return click

    async def retract_vote(self, guild_id: int, poll_id: int, voter: Voter, now: datetime) -> frozenset[int] | None:
        """Remove a voter's ballot; returns what it held (empty: there was none), None when the poll is closed."""
        async with self.transaction() as db:
            if not (await self._accepting(db, guild_id, poll_id, voter, now))[1]:
                return None
            previous = await self._choices(db, poll_id, voter)
            if previous:
                await self._write_choices(db, poll_id, voter, frozenset(), None, now)
            return previous

    async def _write_choices(
        self,
        db: aiosqlite.Connection,
        poll_id: int,
        voter: Voter,
        choices: frozenset[int],
        stakeholder: str | None,
        now: datetime,
    ) -> None:
        table, column = _ballot_table(voter)
        await db.execute(f"DELETE FROM {table} WHERE poll_id = ? AND {column} = ?", (poll_id, voter))
        if isinstance(voter, bytes):
            ballots = [(poll_id, voter, position, stakeholder) for position in sorted(choices)]
            await db.executemany(
                "INSERT INTO poll_ballots (poll_id, voter_key, position, stakeholder) VALUES (?, ?, ?, ?)", ballots
            )
        else:
            votes = [(poll_id, voter, position, stakeholder, to_db_time(now)) for position in sorted(choices)]
            await db.executemany(
                "INSERT INTO poll_votes (poll_id, user_id, position, stakeholder, voted_at) VALUES (?, ?, ?, ?, ?)",
                votes,
            )

    async def _live_counts(self, db: aiosqlite.Connection, poll: PollInfo) -> Aggregate:
        table, column = ("poll_ballots", "voter_key") if poll.secret else ("poll_votes", "user_id")
        ballots: dict[object, tuple[set[int], str | None]] = {}
        async with db.execute(
            f"SELECT {column} AS voter, position, stakeholder FROM {table} WHERE poll_id = ?", (poll.id,)
        ) as cursor:
            for row in await cursor.fetchall():
                ballots.setdefault(row["voter"], (set(), row["stakeholder"]))[0].add(row["position"])
        return aggregate(ballots.values())
