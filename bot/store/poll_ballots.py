"""Votes while a poll is open: open ballots keyed by Discord id, secret ballots keyed by a hash.

A click is one store operation (`vote`): one job of the group commit (see group_commit.py) that reads the
poll, decides whether it still takes votes, finds the voter's ballot (for a secret poll, the keyed hash
of the member, computed in the job from the server secret the service hands over; the Discord id is never
written), applies the core's click rule and writes the result. Concurrent clicks share one transaction and
one COMMIT; the clicks of one member apply in the order they arrived, so the last one counts. The clicks
of one batch are decided together (`_Vote.run_many`): one read of all their voters' ballots and profiles,
the secret keys derived in one go, one `executemany` per statement, with the outcomes and the rows exactly
those of running the clicks one by one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.core.ballot_keys import BallotKeys, BallotSeed
from bot.core.polls import Aggregate, Click, PollInfo, VoteOutcome, VoteRefusal, aggregate, apply_click
from bot.store.base import StoreBase
from bot.store.dbtime import to_db_time
from bot.store.group_commit import Batch, BulkJob
from bot.store.interface import Voter
from bot.store.poll_rows import POLL_COLUMNS, poll_of


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

    async def vote(
        self, guild_id: int, poll_id: int, user_id: int, choice: int | None, now: datetime, keys: BallotKeys
    ) -> VoteOutcome:
        """One click (`choice` None: retract), decided and written in one job of the group commit."""
        at = to_db_time(now)
        return await self._write(_Vote(guild_id, poll_id, user_id, choice, now, at, keys))

    async def cast_vote(
        self, guild_id: int, poll_id: int, voter: Voter, position: int, stakeholder: str | None, now: datetime
    ) -> Click | None:
        """Apply one click of a known voter atomically (read, decide, write); None when the poll no longer
        takes votes."""
        at = to_db_time(now)

        def job(batch: Batch) -> Click | None:
            conn = batch.conn
            max_choices, options = _accepting(conn, guild_id, poll_id, voter, at)
            if not options:
                return None
            if not 0 <= position < options:
                raise ValueError(f"poll {poll_id} has no option {position}")
            click = apply_click(_choices(conn, poll_id, voter), position, max_choices)
            if click.choices != click.previous:
                _write_choices(conn, poll_id, voter, click.choices, stakeholder, at)
            return click

        return await self._write(job)

    async def retract_vote(self, guild_id: int, poll_id: int, voter: Voter, now: datetime) -> frozenset[int] | None:
        """Remove a voter's ballot; returns what it held (empty: there was none), None when the poll is closed."""
        at = to_db_time(now)

        def job(batch: Batch) -> frozenset[int] | None:
            conn = batch.conn
            if not _accepting(conn, guild_id, poll_id, voter, at)[1]:
                return None
            previous = _choices(conn, poll_id, voter)
            if previous:
                _write_choices(conn, poll_id, voter, frozenset(), None, at)
            return previous

        return await self._write(job)

    async def _live_counts(self, db: aiosqlite.Connection, poll: PollInfo) -> Aggregate:
        table, column = ("poll_ballots", "voter_key") if poll.secret else ("poll_votes", "user_id")
        ballots: dict[object, tuple[set[int], str | None]] = {}
        async with db.execute(
            f"SELECT {column} AS voter, position, stakeholder FROM {table} WHERE poll_id = ?", (poll.id,)
        ) as cursor:
            for row in await cursor.fetchall():
                ballots.setdefault(row["voter"], (set(), row["stakeholder"]))[0].add(row["position"])
        return aggregate(ballots.values())


# --- the jobs' statements, run on the writer's thread inside a group commit --------------------------


class _Vote(BulkJob):
    """One click as a job of the group commit. The clicks of one batch run together (`run_many`): one read of
    every voter's ballot and profile per poll, the secret poll's voter keys derived in one go, the clicks
    applied in arrival order in memory, one `executemany` per statement for what changed."""

    __slots__ = ("at", "choice", "guild_id", "keys", "now", "poll_id", "user_id")

    def __init__(
        self, guild_id: int, poll_id: int, user_id: int, choice: int | None, now: datetime, at: str, keys: BallotKeys
    ) -> None:
        self.guild_id = guild_id
        self.poll_id = poll_id
        self.user_id = user_id
        self.choice = choice
        self.now = now
        self.at = at
        self.keys = keys

    @staticmethod
    def run_many(batch: Batch, jobs: Sequence[Any]) -> list[Any]:
        return _votes(batch, jobs)


def _refusal(poll: PollInfo | None, seed: BallotSeed | None, vote: _Vote) -> VoteOutcome | None:
    if poll is None:
        return VoteOutcome(None, VoteRefusal.GONE)
    if poll.guild_id != vote.guild_id:
        return VoteOutcome(poll, VoteRefusal.ELSEWHERE)
    if not poll.accepts_votes(vote.now):
        return VoteOutcome(poll, VoteRefusal.CLOSED)
    if vote.choice is not None and not 0 <= vote.choice < len(poll.options):
        return VoteOutcome(poll, VoteRefusal.NO_SUCH_ANSWER)
    if poll.secret and seed is None:
        return VoteOutcome(poll, VoteRefusal.CLOSED)
    return None


def _votes(batch: Batch, votes: Sequence[_Vote]) -> list[VoteOutcome]:
    """The clicks' outcomes in order, exactly as if each had run alone one after another (see `_Vote`)."""
    outcomes: list[VoteOutcome | None] = [None] * len(votes)
    # (poll id, the server secret for a secret poll) -> indices of the votes it takes; a vote under another
    # secret would be another voter (another key), so no member's clicks are ever split between two groups
    taken: dict[tuple[int, int], list[int]] = {}
    for index, vote in enumerate(votes):
        poll, seed = _poll_and_seed(batch, vote.poll_id)
        outcomes[index] = refused = _refusal(poll, seed, vote)
        if refused is None:
            assert poll is not None
            taken.setdefault((vote.poll_id, id(vote.keys) if poll.secret else 0), []).append(index)
    for (poll_id, _), indices in taken.items():
        poll, seed = _poll_and_seed(batch, poll_id)
        assert poll is not None
        mine = [votes[index] for index in indices]
        for index, outcome in zip(indices, _poll_votes(batch.conn, poll, seed, mine), strict=True):
            outcomes[index] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


def _poll_votes(
    conn: sqlite3.Connection, poll: PollInfo, seed: BallotSeed | None, votes: Sequence[_Vote]
) -> list[VoteOutcome]:
    """Votes that one open poll takes, in arrival order: read once, applied in memory, written once."""
    user_ids = [vote.user_id for vote in votes]
    voters: list[Voter]
    if poll.secret:
        assert seed is not None
        voters = list(votes[0].keys.voter_keys(poll.id, seed, user_ids))
    else:
        voters = list(user_ids)
    table, column = ("poll_ballots", "voter_key") if poll.secret else ("poll_votes", "user_id")
    stored: dict[Voter, set[int]] = {}
    for voter, position in _read_in(
        conn, f"SELECT {column}, position FROM {table} WHERE poll_id = ? AND {column} IN", (poll.id,), set(voters)
    ):
        stored.setdefault(voter, set()).add(position)
    voting = {vote.user_id for vote in votes if vote.choice is not None}
    profiles = "SELECT user_id, stakeholder FROM profiles WHERE guild_id = ? AND user_id IN"
    groups: dict[int, str | None] = dict(_read_in(conn, profiles, (poll.guild_id,), voting))
    held: dict[Voter, frozenset[int]] = {voter: frozenset(positions) for voter, positions in stored.items()}
    written: dict[Voter, tuple[int, str]] = {}  # voter -> (user id, time) of the last click that changed the ballot
    outcomes: list[VoteOutcome] = []
    for vote, voter in zip(votes, voters, strict=True):
        current = held.get(voter, frozenset())
        if vote.choice is None:
            if current:
                held[voter] = frozenset()
                written[voter] = (vote.user_id, vote.at)
            outcomes.append(VoteOutcome(poll, previous=current))
            continue
        click = apply_click(current, vote.choice, poll.max_choices)
        if click.choices != click.previous:
            held[voter] = click.choices
            written[voter] = (vote.user_id, vote.at)
        outcomes.append(VoteOutcome(poll, click=click))
    gone = [(poll.id, voter) for voter in written if voter in stored]
    if gone:
        conn.executemany(f"DELETE FROM {table} WHERE poll_id = ? AND {column} = ?", gone)
    if poll.secret:
        conn.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, position, stakeholder) VALUES (?, ?, ?, ?)",
            [
                (poll.id, voter, position, groups.get(user_id))
                for voter, (user_id, _) in written.items()
                for position in sorted(held[voter])
            ],
        )
    else:
        conn.executemany(
            "INSERT INTO poll_votes (poll_id, user_id, position, stakeholder, voted_at) VALUES (?, ?, ?, ?, ?)",
            [
                (poll.id, voter, position, groups.get(user_id), at)
                for voter, (user_id, at) in written.items()
                for position in sorted(held[voter])
            ],
        )
    return outcomes


_CHUNK = 500  # values bound per `IN (...)`, well under SQLite's limit on variables


def _read_in(
    conn: sqlite3.Connection, sql: str, params: tuple[object, ...], values: Collection[object]
) -> Iterator[tuple[Any, Any]]:
    """The rows of `sql ... IN (values)` (the statement ends with IN), a chunk of values at a time."""
    ordered = list(values)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        yield from conn.execute(f"{sql} ({','.join('?' * len(chunk))})", (*params, *chunk))


def _poll_and_seed(batch: Batch, poll_id: int) -> tuple[PollInfo | None, BallotSeed | None]:
    """The poll and its ballot seed, read once per transaction (no vote changes them; a seal is a transaction
    of its own)."""
    key = ("poll", poll_id)
    if key not in batch.memo:
        conn = batch.conn
        row = conn.execute(
            f"SELECT {POLL_COLUMNS}, salt, ballot_nonce, ballot_check FROM polls WHERE id = ?", (poll_id,)
        )
        found = row.fetchone()
        if found is None:
            batch.memo[key] = (None, None)
        else:
            labels = conn.execute("SELECT label FROM poll_options WHERE poll_id = ? ORDER BY position", (poll_id,))
            poll = poll_of(found, [label for (label,) in labels])
            if poll.secret:  # a retraction or change deletes ballot rows: overwrite them
                conn.execute("PRAGMA secure_delete = ON")
            batch.memo[key] = (poll, ballot_seed(found))
    poll_and_seed: tuple[PollInfo | None, BallotSeed | None] = batch.memo[key]
    return poll_and_seed


def _choices(conn: sqlite3.Connection, poll_id: int, voter: Voter) -> frozenset[int]:
    table, column = _ballot_table(voter)
    rows = conn.execute(f"SELECT position FROM {table} WHERE poll_id = ? AND {column} = ?", (poll_id, voter))
    return frozenset(position for (position,) in rows)


def _accepting(conn: sqlite3.Connection, guild_id: int, poll_id: int, voter: Voter, at: str) -> tuple[int, int]:
    """(max_choices, number of options) if this server's poll still takes votes, else (0, 0).

    Decided inside the vote's transaction, so a vote and the sealing of the poll never overlap: a vote
    either lands before the seal (and is counted) or is refused. Refuses a Discord id as the voter of a
    secret poll, and a hash for an open one.
    """
    row = conn.execute(
        """
        SELECT secret, max_choices, (SELECT count(*) FROM poll_options o WHERE o.poll_id = p.id) AS options
        FROM polls p WHERE id = ? AND guild_id = ? AND closed_at IS NULL AND closes_at > ?
        """,
        (poll_id, guild_id, at),
    ).fetchone()
    if row is None:
        return 0, 0
    if bool(row["secret"]) != isinstance(voter, bytes):
        raise ValueError("a secret poll's ballots are keyed by hash, an open poll's by user id")
    if row["secret"]:
        conn.execute("PRAGMA secure_delete = ON")
    return row["max_choices"], row["options"]


def _write_choices(
    conn: sqlite3.Connection,
    poll_id: int,
    voter: Voter,
    choices: frozenset[int],
    stakeholder: str | None,
    at: str,
    *,
    replace: bool = True,
) -> None:
    """Write the voter's ballot; `replace` False when they held none (nothing to delete)."""
    table, column = _ballot_table(voter)
    if replace:
        conn.execute(f"DELETE FROM {table} WHERE poll_id = ? AND {column} = ?", (poll_id, voter))
    if isinstance(voter, bytes):
        conn.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, position, stakeholder) VALUES (?, ?, ?, ?)",
            [(poll_id, voter, position, stakeholder) for position in sorted(choices)],
        )
    else:
        conn.executemany(
            "INSERT INTO poll_votes (poll_id, user_id, position, stakeholder, voted_at) VALUES (?, ?, ?, ?, ?)",
            [(poll_id, voter, position, stakeholder, at) for position in sorted(choices)],
        )
