"""What the Pol.is export reads: statements, members' latest reactions as of a moment, and when each
person first appeared in the server (their export id is their rank in that order; see bot/core/polis.py).

Each reader takes the connection of the snapshot `SqliteStore.polis_source` holds, so the four reads
(these three and the profiles) see one moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.core.consensus import Reaction
from bot.core.polis import PolisReaction, PolisStatement
from bot.store.base import StoreBase
from bot.store.dbtime import from_db_time, to_db_time
from bot.store.visibility import hidden_as_of, moment_params


def _marks(themes: Sequence[str]) -> str:
    return ",".join("?" * len(themes))


class PolisQueries(StoreBase):
    async def _polis_statements(
        self, db: aiosqlite.Connection, guild_id: int, themes: Sequence[str], until: datetime
    ) -> list[PolisStatement]:
        """Every statement on these themes written by `until`, current or not, lowest number first, each
        flagged when it was hidden at `until` (Pol.is's `moderated` -1)."""
        async with db.execute(
            f"""
            SELECT number, theme, author_id, text, created_at, {hidden_as_of("statements.id")} AS hidden
            FROM statements
            WHERE guild_id = ? AND created_at <= ? AND theme IN ({_marks(themes)})
            ORDER BY number
            """,
            (*moment_params(until), guild_id, to_db_time(until), *themes),
        ) as cursor:
            return [
                PolisStatement(
                    number=row["number"],
                    theme=row["theme"],
                    author_id=row["author_id"],
                    text=row["text"],
                    created_at=from_db_time(row["created_at"]),
                    hidden=bool(row["hidden"]),
                )
                for row in await cursor.fetchall()
            ]

    async def _polis_reactions(
        self, db: aiosqlite.Connection, guild_id: int, themes: Sequence[str], until: datetime
    ) -> list[PolisReaction]:
        """Each member's latest reaction by `until` to each statement on these themes, with its time."""
        async with db.execute(
            f"""
            WITH latest AS (
                SELECT statement_id, user_id, reaction, at,
                       row_number() OVER (PARTITION BY statement_id, user_id ORDER BY id DESC) AS rank
                FROM reaction_history WHERE guild_id = ? AND at <= ?
            )
            SELECT s.number, s.theme, r.user_id, r.reaction, r.at
            FROM latest r JOIN statements s ON s.id = r.statement_id
            WHERE r.rank = 1 AND s.theme IN ({_marks(themes)})
            ORDER BY s.number, r.user_id
            """,
            (guild_id, to_db_time(until), *themes),
        ) as cursor:
            return [
                PolisReaction(
                    number=row["number"],
                    theme=row["theme"],
                    user_id=row["user_id"],
                    reaction=Reaction(row["reaction"]),
                    at=from_db_time(row["at"]),
                )
                for row in await cursor.fetchall()
            ]

    async def _first_seen(self, db: aiosqlite.Connection, guild_id: int) -> dict[int, datetime]:
        """When each person first recorded a position, wrote a statement or reacted in this server, on any
        theme and at any time (not only by the export's moment, so their id is the same in every export)."""
        async with db.execute(
            """
            SELECT user_id, min(at) AS first_at FROM (
                SELECT user_id, at FROM position_history WHERE guild_id = ?
                UNION ALL SELECT author_id, created_at FROM statements WHERE guild_id = ?
                UNION ALL SELECT user_id, at FROM reaction_history WHERE guild_id = ?
            )
            GROUP BY user_id
            """,
            (guild_id, guild_id, guild_id),
        ) as cursor:
            return {row["user_id"]: from_db_time(row["first_at"]) for row in await cursor.fetchall()}
