"""Polls: creating and finding them, sealing them into counts at close, digests' view.

Closing a secret poll erases its ballots and its key material (nonce and check, or a salt for a poll
created before ballot keys) with SQLite's secure_delete on (see poll_ballots.py), then truncates the
write-ahead log, so no old page with them lingers in the database files.

Reads of a poll take two statements (the poll, its options) or more (counts), so each runs in one
snapshot of the reader: a read during a seal sees the poll open with its ballots, or closed with its
counts, never the seal half-way (closed counts written, ballots gone, poll still open).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.core.ballot_keys import BallotSeed
from bot.core.polls import MIN_GROUP_VOTERS, Aggregate, ClosedPoll, PollInfo, results
from bot.store.dbtime import to_db_time
from bot.store.poll_ballots import PollBallotQueries
from bot.store.poll_delivery import PollDeliveryQueries
from bot.store.poll_rows import POLL_COLUMNS, poll_of

log = logging.getLogger(__name__)


class PollQueries(PollBallotQueries, PollDeliveryQueries):
    async def _polls(
        self, db: aiosqlite.Connection, where: str, params: Sequence[object], order: str = "id"
    ) -> list[PollInfo]:
        async with db.execute(f"SELECT {POLL_COLUMNS} FROM polls WHERE {where} ORDER BY {order}", params) as cursor:
            rows = await cursor.fetchall()
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        labels: dict[int, list[str]] = {poll_id: [] for poll_id in ids}
        async with db.execute(
            f"SELECT poll_id, label FROM poll_options WHERE poll_id IN ({','.join('?' * len(ids))}) "
            "ORDER BY poll_id, position",
            ids,
        ) as cursor:
            for option in await cursor.fetchall():
                labels[option["poll_id"]].append(option["label"])
        return [poll_of(row, labels[row["id"]]) for row in rows]

    async def create_poll(
        self,
        *,
        guild_id: int,
        channel_id: int,
        created_by: int,
        question: str,
        options: Sequence[str],
        theme: str | None,
        secret: bool,
        hide_results: bool,
        max_choices: int,
        now: datetime,
        closes_at: datetime,
        ballot_seed: BallotSeed | None,
        language: str | None = None,
    ) -> PollInfo:
        """Store a new poll under the server's next number (1, 2, 3...); its message is recorded once posted."""
        async with self.transaction() as db:
            async with db.execute(
                """
                INSERT INTO poll_counters (guild_id, last_number) VALUES (?, 1)
                ON CONFLICT (guild_id) DO UPDATE SET last_number = last_number + 1
                RETURNING last_number
                """,
                (guild_id,),
            ) as cursor:
                counter = await cursor.fetchone()
            assert counter is not None  # an upsert with RETURNING always returns its row
            number = counter[0]
            cursor = await db.execute(
                """
                INSERT INTO polls (guild_id, number, channel_id, created_by, question, theme, secret,
                                   hide_results, max_choices, created_at, closes_at, ballot_nonce, ballot_check,
                                   language)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    guild_id,
                    number,
                    channel_id,
                    created_by,
                    question,
                    theme,
                    int(secret),
                    int(hide_results),
                    max_choices,
                    to_db_time(now),
                    to_db_time(closes_at),
                    ballot_seed.nonce if secret and ballot_seed else None,
                    ballot_seed.check if secret and ballot_seed else None,
                    language,
                ),
            )
            poll_id = cursor.lastrowid
            await db.executemany(
                "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
                [(poll_id, position, label) for position, label in enumerate(options)],
            )
            return (await self._polls(db, "id = ?", (poll_id,)))[0]

    async def set_poll_message(self, poll_id: int, message_id: int) -> None:
        async with self.transaction() as db:
            await db.execute("UPDATE polls SET message_id = ? WHERE id = ?", (message_id, poll_id))

    async def discard_poll(self, poll: PollInfo) -> None:
        """Forget a poll whose message could not be posted; its number goes back if it was the last one."""
        async with self.transaction() as db:
            await db.execute("DELETE FROM polls WHERE id = ?", (poll.id,))
            await db.execute(
                "UPDATE poll_counters SET last_number = last_number - 1 WHERE guild_id = ? AND last_number = ?",
                (poll.guild_id, poll.number),
            )

    async def get_poll(self, guild_id: int, number: int) -> PollInfo | None:
        async with self.snapshot() as db:
            found = await self._polls(db, "guild_id = ? AND number = ?", (guild_id, number))
        return found[0] if found else None

    async def get_poll_by_id(self, poll_id: int) -> PollInfo | None:
        async with self.snapshot() as db:
            found = await self._polls(db, "id = ?", (poll_id,))
        return found[0] if found else None

    async def open_polls(self, guild_id: int, now: datetime) -> list[PollInfo]:
        """This server's polls still taking votes at `now` (a poll past its deadline awaits sealing, not votes)."""
        async with self.snapshot() as db:
            return await self._polls(
                db,
                "guild_id = ? AND closed_at IS NULL AND closes_at > ?",
                (guild_id, to_db_time(now)),
                order="closes_at, id",
            )

    async def recently_closed_polls(self, guild_id: int, limit: int) -> list[PollInfo]:
        """This server's `limit` most recently closed polls, latest first."""
        async with self.snapshot() as db:
            return await self._polls(
                db,
                "guild_id = ? AND closed_at IS NOT NULL",
                (guild_id,),
                order=f"closed_at DESC, id DESC LIMIT {int(limit)}",
            )

    async def polls_with_due_work(self) -> list[PollInfo]:
        """Every server's open polls and closed polls whose closing is not fully delivered yet."""
        async with self.snapshot() as db:
            return await self._polls(db, "closed_at IS NULL OR close_edited = 0 OR results_message_id IS NULL", ())

    async def _stored_counts(self, db: aiosqlite.Connection, poll_id: int) -> Aggregate:
        async with db.execute("SELECT grp, voters FROM poll_result_groups WHERE poll_id = ?", (poll_id,)) as cursor:
            voters = {row["grp"]: row["voters"] for row in await cursor.fetchall()}
        async with db.execute(
            "SELECT grp, position, votes FROM poll_result_counts WHERE poll_id = ?", (poll_id,)
        ) as cursor:
            votes = {(row["grp"], row["position"]): row["votes"] for row in await cursor.fetchall()}
        return Aggregate(voters, votes)

    async def _stored_counts_of(self, db: aiosqlite.Connection, poll_ids: Sequence[int]) -> dict[int, Aggregate]:
        """The sealed counts of these polls in one query (what `_stored_counts` reads, for many polls)."""
        voters: dict[int, dict[str, int]] = {poll_id: {} for poll_id in poll_ids}
        votes: dict[int, dict[tuple[str, int], int]] = {poll_id: {} for poll_id in poll_ids}
        if poll_ids:
            marks = ",".join("?" * len(poll_ids))
            async with db.execute(
                f"""
                SELECT poll_id, grp, voters, NULL AS position, NULL AS votes FROM poll_result_groups
                WHERE poll_id IN ({marks})
                UNION ALL
                SELECT poll_id, grp, NULL, position, votes FROM poll_result_counts WHERE poll_id IN ({marks})
                """,
                (*poll_ids, *poll_ids),
            ) as cursor:
                for row in await cursor.fetchall():
                    if row["position"] is None:
                        voters[row["poll_id"]][row["grp"]] = row["voters"]
                    else:
                        votes[row["poll_id"]][(row["grp"], row["position"])] = row["votes"]
        return {poll_id: Aggregate(voters[poll_id], votes[poll_id]) for poll_id in poll_ids}

    async def poll_counts(self, poll: PollInfo) -> Aggregate:
        """Counts for results: the sealed counts once closed, the live ballots while open.

        Whether it is closed is read in the same snapshot as the counts: `poll` may have been read
        before a seal that committed since, and a secret poll's live ballots are gone once sealed.
        """
        async with self.snapshot() as db:
            if poll.is_closed or await self._is_sealed(db, poll.id):
                return await self._stored_counts(db, poll.id)
            return await self._live_counts(db, poll)

    async def _is_sealed(self, db: aiosqlite.Connection, poll_id: int) -> bool:
        async with db.execute("SELECT closed_at IS NOT NULL FROM polls WHERE id = ?", (poll_id,)) as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0])

    async def count_voters(self, poll: PollInfo) -> int:
        return sum((await self.poll_counts(poll)).voters.values())

    async def close_poll(self, poll_id: int, now: datetime, min_group: int = MIN_GROUP_VOTERS) -> bool:
        """Seal a poll once: ballots become suppressed counts; a secret poll's ballots and key material are erased.

        Returns False when it was already closed, so a re-run never changes anything.
        """
        async with self.transaction() as db:
            found = await self._polls(db, "id = ? AND closed_at IS NULL", (poll_id,))
            if not found:
                return False
            poll = found[0]
            shown = results(await self._live_counts(db, poll), poll.options, min_group)
            await db.executemany(
                "INSERT INTO poll_result_groups (poll_id, grp, voters) VALUES (?, ?, ?)",
                [(poll_id, group.group, group.voters) for group in shown.groups],
            )
            await db.executemany(
                "INSERT INTO poll_result_counts (poll_id, grp, position, votes) VALUES (?, ?, ?, ?)",
                [
                    (poll_id, group.group, option.position, option.count)
                    for group in shown.groups
                    for option in group.options
                    if option.count
                ],
            )
            if poll.secret:
                await self._secure_delete(db)
                await db.execute("DELETE FROM poll_ballots WHERE poll_id = ?", (poll_id,))
            await db.execute(
                "UPDATE polls SET closed_at = ?, salt = NULL, ballot_nonce = NULL, ballot_check = NULL WHERE id = ?",
                (to_db_time(now), poll_id),
            )
        if poll.secret:
            await self._truncate_log()
        return True

    async def closed_polls(self, guild_id: int, since: datetime | None, until: datetime) -> list[ClosedPoll]:
        """Polls of one server closed in (since, until], oldest first, with their published results."""
        async with self.snapshot() as db:
            return await self._closed_polls(db, guild_id, since, until)

    async def _closed_polls(
        self, db: aiosqlite.Connection, guild_id: int, since: datetime | None, until: datetime
    ) -> list[ClosedPoll]:
        polls = await self._polls(
            db,
            "guild_id = ? AND closed_at IS NOT NULL AND (? IS NULL OR closed_at > ?) AND closed_at <= ?",
            (guild_id, *(2 * [to_db_time(since) if since else None]), to_db_time(until)),
            order="closed_at, id",
        )
        counts = await self._stored_counts_of(db, [poll.id for poll in polls])
        closed: list[ClosedPoll] = []
        for poll in polls:
            shown = results(counts[poll.id], poll.options)
            closed.append(
                ClosedPoll(
                    poll_id=poll.id,
                    number=poll.number,
                    question=poll.question,
                    theme=poll.theme,
                    secret=poll.secret,
                    max_choices=poll.max_choices,
                    opened_at=poll.created_at,
                    closed_at=poll.closed_at or until,
                    channel_id=poll.channel_id,
                    message_id=poll.message_id,
                    voters=shown.voters,
                    options=shown.options,
                    groups=shown.groups,
                )
            )
        return closed
