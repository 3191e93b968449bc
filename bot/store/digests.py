"""Digest channels per server, and the record of every digest occurrence (posted, pending, missed)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.core.digest import PostedDigest
from bot.core.schedule import DeliveryError, DigestKind, RunState, RunStatus
from bot.store.base import StoreBase
from bot.store.dbtime import db_time_or_none, from_db_time, to_db_time
from bot.store.interface import DigestChannel


def _run(row: aiosqlite.Row) -> RunState:
    return RunState(
        kind=DigestKind(row["kind"]),
        due_at=from_db_time(row["due_at"]),
        status=RunStatus(row["status"]),
        next_attempt_at=db_time_or_none(row["next_attempt_at"]),
        id=row["id"],
        manual=bool(row["manual"]),
        channel_id=row["channel_id"],
        snapshot_at=db_time_or_none(row["snapshot_at"]),
        parts_total=row["parts_total"],
        parts_sent=row["parts_sent"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        error_kind=DeliveryError(row["error_kind"]) if row["error_kind"] else None,
        error_at=db_time_or_none(row["error_at"]),
        posted_at=db_time_or_none(row["posted_at"]),
    )


class DigestQueries(StoreBase):
    async def set_digest_channel(self, guild_id: int, channel_id: int, user_id: int | None, now: datetime) -> None:
        """Choose where this server's digests go; the first choice's time starts its schedule."""
        async with self.transaction() as db:
            await db.execute(
                """
                INSERT INTO digest_channels (guild_id, channel_id, configured_at, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id) DO UPDATE
                    SET channel_id = excluded.channel_id, updated_at = excluded.updated_at,
                        updated_by = excluded.updated_by
                """,
                (guild_id, channel_id, to_db_time(now), to_db_time(now), user_id),
            )

    async def get_digest_channel(self, guild_id: int) -> DigestChannel | None:
        row = await self._read_one(
            "SELECT guild_id, channel_id, configured_at FROM digest_channels WHERE guild_id = ?", (guild_id,)
        )
        return DigestChannel(row[0], row[1], from_db_time(row[2])) if row else None

    async def digest_channels(self) -> list[DigestChannel]:
        """Every server that gets scheduled digests."""
        rows = await self._read_all("SELECT guild_id, channel_id, configured_at FROM digest_channels ORDER BY guild_id")
        return [DigestChannel(row[0], row[1], from_db_time(row[2])) for row in rows]

    async def digest_runs(self, guild_id: int, since: datetime | None = None) -> list[RunState]:
        """This server's digest records (those due at or after `since`, and every pending one), oldest first."""
        rows = await self._read_all(
            """
            SELECT * FROM digest_runs
            WHERE guild_id = ? AND (? IS NULL OR due_at >= ? OR status = ?)
            ORDER BY due_at, id
            """,
            (guild_id, *(2 * [to_db_time(since) if since else None]), RunStatus.PENDING),
        )
        return [_run(row) for row in rows]

    async def get_digest_run(self, guild_id: int, kind: DigestKind, due_at: datetime) -> RunState | None:
        row = await self._read_one(
            "SELECT * FROM digest_runs WHERE guild_id = ? AND kind = ? AND due_at = ?",
            (guild_id, kind, to_db_time(due_at)),
        )
        return _run(row) if row else None

    async def claim_digest(
        self, guild_id: int, kind: DigestKind, due_at: datetime, snapshot_at: datetime, *, manual: bool = False
    ) -> RunState | None:
        """Create the record of an occurrence about to be posted; None if it already has one.

        The unique key (guild, kind, due_at) is what guarantees a digest is posted at most once.
        """
        async with self.transaction() as db:
            cursor = await db.execute(
                """
                INSERT INTO digest_runs (guild_id, kind, due_at, manual, status, snapshot_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, kind, due_at) DO NOTHING
                """,
                (
                    guild_id,
                    kind,
                    to_db_time(due_at),
                    int(manual),
                    RunStatus.PENDING,
                    to_db_time(snapshot_at),
                    to_db_time(snapshot_at),
                ),
            )
            claimed = cursor.rowcount == 1
        return await self.get_digest_run(guild_id, kind, due_at) if claimed else None

    async def start_digest_parts(self, run_id: int, channel_id: int, parts_total: int) -> None:
        """Fix the channel and the number of messages before the first one is sent."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE digest_runs SET channel_id = ?, parts_total = ? WHERE id = ?",
                (channel_id, parts_total, run_id),
            )

    async def record_digest_part(self, run_id: int, part: int, channel_id: int, message_id: int) -> None:
        """One more message went out: a retry resumes after it."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO digest_messages (run_id, part, channel_id, message_id) VALUES (?, ?, ?, ?)",
                (run_id, part, channel_id, message_id),
            )
            await db.execute("UPDATE digest_runs SET parts_sent = ? WHERE id = ?", (part + 1, run_id))

    async def digest_messages(self, run_id: int) -> list[tuple[int, int]]:
        rows = await self._read_all(
            "SELECT channel_id, message_id FROM digest_messages WHERE run_id = ? ORDER BY part", (run_id,)
        )
        return [(row[0], row[1]) for row in rows]

    async def mark_digest_posted(self, run_id: int, now: datetime) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE digest_runs SET status = ?, posted_at = ?, next_attempt_at = NULL WHERE id = ?",
                (RunStatus.POSTED, to_db_time(now), run_id),
            )

    async def mark_digest_failed(
        self, run_id: int, error_kind: DeliveryError, message: str, retry_at: datetime, now: datetime
    ) -> None:
        """A failed attempt: counted, explained, and due again at `retry_at`."""
        async with self.transaction() as db:
            await db.execute(
                """
                UPDATE digest_runs
                SET attempts = attempts + 1, error_kind = ?, last_error = ?, error_at = ?, next_attempt_at = ?
                WHERE id = ?
                """,
                (error_kind, message[:500], to_db_time(now), to_db_time(retry_at), run_id),
            )

    async def mark_digest_missed(self, guild_id: int, kind: DigestKind, due_at: datetime, now: datetime) -> None:
        """Too late to post: record it (creating the record if it never had one) so it is never posted stale."""
        async with self.transaction() as db:
            await db.execute(
                """
                INSERT INTO digest_runs (guild_id, kind, due_at, status, error_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, kind, due_at) DO UPDATE
                    SET status = excluded.status, next_attempt_at = NULL
                    WHERE digest_runs.status = 'pending'
                """,
                (guild_id, kind, to_db_time(due_at), RunStatus.MISSED, to_db_time(now)),
            )

    async def posted_digests(self, guild_id: int) -> list[PostedDigest]:
        async with self.reading() as db:
            return await self._posted_digests(db, guild_id)

    async def _posted_digests(self, db: aiosqlite.Connection, guild_id: int) -> list[PostedDigest]:
        async with db.execute(
            """
            SELECT kind, due_at, snapshot_at FROM digest_runs
            WHERE guild_id = ? AND status = ? ORDER BY snapshot_at, id
            """,
            (guild_id, RunStatus.POSTED),
        ) as cursor:
            return [
                PostedDigest(DigestKind(row[0]), from_db_time(row[1]), from_db_time(row[2]))
                for row in await cursor.fetchall()
            ]
