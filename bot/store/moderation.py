"""Reports and facilitators' actions: the queue of reported statements, hide, restore and keep, and the
log. Hiding and restoring keep `statements.hidden_since` in step with the appended history of actions
in one transaction, so today's readers and reads as of a moment agree (see bot/store/visibility.py)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.core.moderation import (
    LogEntry,
    Moderated,
    ModerationAction,
    ModerationOutcome,
    QueuedStatement,
    Reported,
)
from bot.store.base import StoreBase
from bot.store.dbtime import from_db_time, to_db_time
from bot.store.statements import current_author


class ModerationQueries(StoreBase):
    async def report_statement(
        self, guild_id: int, statement_id: int, reporter_id: int, reason: str | None, now: datetime
    ) -> Reported:
        """Record a member's report of a statement shown today in this server, once per member."""
        async with self.transaction() as db:
            author = await current_author(db, guild_id, statement_id)
            if author is None:
                return Reported.NOT_CURRENT
            if author == reporter_id:
                return Reported.OWN
            cursor = await db.execute(
                """
                INSERT INTO statement_reports (statement_id, reporter_id, guild_id, reason, at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (statement_id, reporter_id) DO NOTHING
                """,
                (statement_id, reporter_id, guild_id, reason, to_db_time(now)),
            )
            return Reported.RECORDED if cursor.rowcount == 1 else Reported.ALREADY

    async def has_reported(self, guild_id: int, statement_id: int, reporter_id: int) -> bool:
        row = await self._read_one(
            "SELECT 1 FROM statement_reports WHERE statement_id = ? AND reporter_id = ? AND guild_id = ?",
            (statement_id, reporter_id, guild_id),
        )
        return row is not None

    async def report_queue(self, guild_id: int, limit: int) -> list[QueuedStatement]:
        """Visible statements with reports no facilitator has answered, most reports first."""
        rows = await self._read_all(
            """
            SELECT s.id, s.number, s.theme, s.text, count(*) AS reports
            FROM statement_reports r JOIN statements s ON s.id = r.statement_id
            WHERE r.guild_id = ? AND r.settled_by IS NULL AND s.hidden_since IS NULL
            GROUP BY s.id
            ORDER BY reports DESC, s.number
            LIMIT ?
            """,
            (guild_id, limit),
        )
        return [
            QueuedStatement(row["id"], row["number"], row["theme"], row["text"], int(row["reports"])) for row in rows
        ]

    async def moderate(
        self, guild_id: int, number: int, action: ModerationAction, moderator_id: int, reason: str | None, now: datetime
    ) -> ModerationOutcome:
        """Hide, restore or keep the server's statement with this number, appended to the log atomically;
        hide and keep answer its open reports."""
        at = to_db_time(now)
        async with self.transaction() as db:
            async with db.execute(
                """
                SELECT id, number, theme, author_id, text, hidden_since FROM statements
                WHERE guild_id = ? AND number = ?
                """,
                (guild_id, number),
            ) as cursor:
                found = await cursor.fetchone()
            if found is None:
                return ModerationOutcome(Moderated.UNKNOWN)
            hidden = found["hidden_since"] is not None
            refused = _refusal(action, hidden)
            outcome = ModerationOutcome(
                refused or Moderated.DONE,
                statement_id=found["id"],
                number=found["number"],
                theme=found["theme"],
                author_id=found["author_id"],
                text=found["text"],
            )
            if refused is not None:
                return outcome
            action_id = await _append_action(db, guild_id, found["id"], action, moderator_id, reason, at)
            if action is not ModerationAction.KEEP:
                hidden_since = at if action is ModerationAction.HIDE else None
                await db.execute("UPDATE statements SET hidden_since = ? WHERE id = ?", (hidden_since, found["id"]))
            if action is not ModerationAction.RESTORE:
                await db.execute(
                    "UPDATE statement_reports SET settled_by = ? WHERE statement_id = ? AND settled_by IS NULL",
                    (action_id, found["id"]),
                )
        return ModerationOutcome(
            Moderated.DONE,
            action_id,
            outcome.statement_id,
            outcome.number,
            outcome.theme,
            outcome.author_id,
            outcome.text,
        )

    async def record_author_told(self, action_id: int, told: bool) -> None:
        """Whether the author of a hidden statement got the DM that says why."""
        async with self.transaction() as db:
            await db.execute("UPDATE moderation_actions SET author_told = ? WHERE id = ?", (int(told), action_id))

    async def moderation_log(self, guild_id: int, limit: int) -> list[LogEntry]:
        """This server's most recent actions, newest first."""
        rows = await self._read_all(
            """
            SELECT a.action, s.number, s.theme, a.moderator_id, a.at, a.reason, a.author_told
            FROM moderation_actions a JOIN statements s ON s.id = a.statement_id
            WHERE a.guild_id = ?
            ORDER BY a.id DESC
            LIMIT ?
            """,
            (guild_id, limit),
        )
        return [
            LogEntry(
                action=ModerationAction(row["action"]),
                number=row["number"],
                theme=row["theme"],
                moderator_id=row["moderator_id"],
                at=from_db_time(row["at"]),
                reason=row["reason"],
                author_told=None if row["author_told"] is None else bool(row["author_told"]),
            )
            for row in rows
        ]


def _refusal(action: ModerationAction, hidden: bool) -> Moderated | None:
    if action is ModerationAction.HIDE and hidden:
        return Moderated.ALREADY_HIDDEN
    if action is ModerationAction.RESTORE and not hidden:
        return Moderated.NOT_HIDDEN
    if action is ModerationAction.KEEP and hidden:
        return Moderated.ALREADY_HIDDEN
    return None


async def _append_action(
    db: aiosqlite.Connection,
    guild_id: int,
    statement_id: int,
    action: ModerationAction,
    moderator_id: int,
    reason: str | None,
    at: str,
) -> int:
    cursor = await db.execute(
        """
        INSERT INTO moderation_actions (guild_id, statement_id, action, moderator_id, reason, at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
        (guild_id, statement_id, action.value, moderator_id, reason, at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid
