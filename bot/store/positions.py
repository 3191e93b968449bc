"""Profiles, positions and their history."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import aiosqlite

from bot.core.models import HistoryEntry, Position, PositionChange, Profile
from bot.store.base import StoreBase
from bot.store.dbtime import from_db_time, to_db_time
from bot.store.interface import PositionKey
from bot.store.visibility import hidden_as_of, moment_params

_POSITION_COLUMNS = """
    p.user_id, p.display_name, p.stance, p.rationale, p.updated_at, f.stakeholder, f.region,
    (SELECT s.number FROM statements s WHERE s.id = p.statement_id) AS statement
"""
#: The same, as others may see it: a rationale a facilitator hid is left out (the stance still counts).
_SHOWN_POSITION_COLUMNS = """
    p.user_id, p.display_name, p.stance, p.updated_at, f.stakeholder, f.region,
    CASE WHEN s.hidden_since IS NULL THEN p.rationale END AS rationale,
    CASE WHEN s.hidden_since IS NULL THEN s.number END AS statement
"""


def _theme_filter(guild_id: int, theme: str, stance: str | None) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause for a theme's positions; the stance is written in only when given, so SQLite can
    use the (guild_id, theme, stance, updated_at) index instead of filtering every row."""
    if stance is None:
        return "p.guild_id = ? AND p.theme = ?", (guild_id, theme)
    return "p.guild_id = ? AND p.theme = ? AND p.stance = ?", (guild_id, theme, stance)


def _page_sql(where: str, keyset: str) -> str:
    return f"""
        SELECT {_SHOWN_POSITION_COLUMNS}
        FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
        LEFT JOIN statements s ON s.id = p.statement_id
        WHERE {where} {keyset}
        ORDER BY p.updated_at DESC, p.user_id
        LIMIT ?
    """


def _position(row: sqlite3.Row) -> Position:
    return Position(
        user_id=row["user_id"],
        display_name=row["display_name"],
        stance=row["stance"],
        rationale=row["rationale"],
        updated_at=from_db_time(row["updated_at"]),
        stakeholder=row["stakeholder"],
        region=row["region"],
        statement=row["statement"],
    )


class PositionQueries(StoreBase):
    async def set_profile(
        self, guild_id: int, user_id: int, stakeholder: str, region: str | None, now: datetime
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                """
                INSERT INTO profiles (guild_id, user_id, stakeholder, region, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) DO UPDATE
                    SET stakeholder = excluded.stakeholder, region = excluded.region,
                        updated_at = excluded.updated_at
                """,
                (guild_id, user_id, stakeholder, region, to_db_time(now)),
            )
            await db.execute(
                """
                INSERT INTO profile_history (guild_id, user_id, at, stakeholder, region)
                VALUES (?, ?, ?, ?, ?)
                """,
                (guild_id, user_id, to_db_time(now), stakeholder, region),
            )
            # Their reactions now count under their new group (the live counts read it from here).
            await db.execute(
                "UPDATE reactions SET stakeholder = ? WHERE guild_id = ? AND user_id = ?",
                (stakeholder, guild_id, user_id),
            )

    async def set_member_language(self, guild_id: int, user_id: int, language: str, now: datetime) -> None:
        async with self.transaction() as db:
            await db.execute(
                """
                INSERT INTO member_languages (guild_id, user_id, language, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) DO UPDATE
                    SET language = excluded.language, updated_at = excluded.updated_at
                """,
                (guild_id, user_id, language, to_db_time(now)),
            )

    async def member_language(self, guild_id: int, user_id: int) -> str | None:
        row = await self._read_one(
            "SELECT language FROM member_languages WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return str(row["language"]) if row else None

    async def get_profile(self, guild_id: int, user_id: int) -> Profile | None:
        row = await self._read_one(
            "SELECT user_id, stakeholder, region FROM profiles WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return Profile(row["user_id"], row["stakeholder"], row["region"]) if row else None

    async def guild_profiles(self, guild_id: int, as_of: datetime) -> dict[int, Profile]:
        """Each participant's profile as it stood at `as_of` (the latest change at or before it)."""
        async with self.reading() as db:
            return await self._guild_profiles(db, guild_id, as_of)

    async def _guild_profiles(self, db: aiosqlite.Connection, guild_id: int, as_of: datetime) -> dict[int, Profile]:
        async with db.execute(
            """
            SELECT h.user_id, h.stakeholder, h.region FROM profile_history h
            WHERE h.guild_id = ? AND h.id = (
                SELECT max(id) FROM profile_history
                WHERE guild_id = h.guild_id AND user_id = h.user_id AND at <= ?
            )
            """,
            (guild_id, to_db_time(as_of)),
        ) as cursor:
            return {row[0]: Profile(row[0], row[1], row[2]) for row in await cursor.fetchall()}

    async def get_position(self, guild_id: int, theme: str, user_id: int) -> Position | None:
        row = await self._read_one(
            f"""
            SELECT {_POSITION_COLUMNS}
            FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
            WHERE p.guild_id = ? AND p.theme = ? AND p.user_id = ?
            """,
            (guild_id, theme, user_id),
        )
        return _position(row) if row else None

    async def positions_of(self, guild_id: int, user_id: int) -> dict[str, Position]:
        """One participant's current positions in this server, by theme slug."""
        rows = await self._read_all(
            f"""
            SELECT p.theme, {_POSITION_COLUMNS}
            FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
            WHERE p.guild_id = ? AND p.user_id = ?
            """,
            (guild_id, user_id),
        )
        return {row["theme"]: _position(row) for row in rows}

    async def record_position(
        self,
        guild_id: int,
        theme: str,
        user_id: int,
        display_name: str,
        stance: str,
        rationale: str | None,
        now: datetime,
    ) -> PositionChange:
        """Record or replace a position and append the change to the history, as one job of the group commit.

        A rationale is the author's statement on the theme: the same text keeps its statement (its number
        and reactions), another text is a new statement, numbered next in the server. The same stance and
        rationale again write nothing.
        """
        at = to_db_time(now)
        return await self._write(
            lambda batch: _record(batch.conn, guild_id, theme, user_id, display_name, stance, rationale, at)
        )

    async def has_positions_history(self, guild_id: int, user_id: int) -> bool:
        """Whether this participant ever recorded a position in this server (on any theme)."""
        row = await self._read_one(
            "SELECT 1 FROM position_history WHERE guild_id = ? AND user_id = ? LIMIT 1", (guild_id, user_id)
        )
        return row is not None

    async def withdraw_position(self, guild_id: int, theme: str, user_id: int, now: datetime) -> bool:
        """Remove the current position; False when there was none. The withdrawal is kept in history."""
        at = to_db_time(now)
        return await self._write(lambda batch: _withdraw(batch.conn, guild_id, theme, user_id, at))

    async def list_positions(
        self,
        guild_id: int,
        theme: str,
        stance: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        after: PositionKey | None = None,
    ) -> list[Position]:
        """Current positions on a theme, newest first (ties by user id), each with its author's current profile.

        One page only with `limit`, found by keyset in the (guild, theme[, stance], newest first, user) index:
        from the row after `after` (the last row of the page before), or from the `offset`-th row, whose key is
        read from that index alone. Both statements run in one read transaction (one moment, one hop).
        """
        where, params = _theme_filter(guild_id, theme, stance)
        count = -1 if limit is None else limit

        def read(conn: sqlite3.Connection) -> list[sqlite3.Row]:
            if after is not None:
                start, inclusive = (to_db_time(after.updated_at), after.user_id), False
            elif offset:
                found = conn.execute(
                    f"SELECT p.updated_at, p.user_id FROM positions p WHERE {where} "
                    f"ORDER BY p.updated_at DESC, p.user_id LIMIT 1 OFFSET ?",
                    (*params, offset),
                ).fetchall()
                if not found:
                    return []
                start, inclusive = (found[0][0], found[0][1]), True
            else:
                return conn.execute(_page_sql(where, ""), (*params, count)).fetchall()
            keyset = f"AND p.updated_at <= ? AND (p.updated_at < ? OR p.user_id {'>=' if inclusive else '>'} ?)"
            return conn.execute(_page_sql(where, keyset), (*params, start[0], start[0], start[1], count)).fetchall()

        return [_position(row) for row in await self._read_consistent(read)]

    async def count_participants(self, guild_id: int, theme: str, stance: str | None = None) -> int:
        """How many hold a position on the theme (with that stance, when given)."""
        where, params = _theme_filter(guild_id, theme, stance)
        row = await self._read_one(f"SELECT count(*) FROM positions p WHERE {where}", params)
        return int(row[0]) if row else 0

    async def stance_counts(self, guild_id: int, theme: str) -> dict[tuple[str, str | None], int]:
        """How many hold each stance, per current stakeholder group (None: no profile), for a tally."""
        rows = await self._read_all(
            """
            SELECT p.stance, f.stakeholder, count(*)
            FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
            WHERE p.guild_id = ? AND p.theme = ?
            GROUP BY p.stance, f.stakeholder
            """,
            (guild_id, theme),
        )
        return {(row[0], row[1]): int(row[2]) for row in rows}

    async def theme_history(self, guild_id: int, theme: str, until: datetime | None = None) -> list[HistoryEntry]:
        """Every change on a theme in order, optionally only those at or before `until`."""
        async with self.reading() as db:
            return await self._theme_history(db, guild_id, theme, until)

    async def _theme_history(
        self, db: aiosqlite.Connection, guild_id: int, theme: str, until: datetime | None
    ) -> list[HistoryEntry]:
        # A rationale hidden at `until` is left out of the entry (its stance still counts).
        hidden = hidden_as_of("h.statement_id")
        async with db.execute(
            f"""
            SELECT h.user_id, h.at, h.stance,
                   CASE WHEN {hidden} THEN NULL ELSE h.rationale END AS rationale,
                   CASE WHEN {hidden} THEN NULL ELSE s.number END AS statement
            FROM position_history h LEFT JOIN statements s ON s.id = h.statement_id
            WHERE h.guild_id = ? AND h.theme = ? AND (? IS NULL OR h.at <= ?)
            ORDER BY h.at, h.id
            """,
            (
                *moment_params(until),
                *moment_params(until),
                guild_id,
                theme,
                *(2 * [to_db_time(until) if until else None]),
            ),
        ) as cursor:
            return [
                HistoryEntry(row["user_id"], from_db_time(row["at"]), row["stance"], row["rationale"], row["statement"])
                for row in await cursor.fetchall()
            ]

    async def display_names(self, guild_id: int) -> dict[int, str]:
        """Each participant's most recent display name (used only under named attribution)."""
        async with self.reading() as db:
            return await self._display_names(db, guild_id)

    async def _display_names(self, db: aiosqlite.Connection, guild_id: int) -> dict[int, str]:
        async with db.execute(
            "SELECT user_id, display_name FROM positions WHERE guild_id = ? ORDER BY updated_at", (guild_id,)
        ) as cursor:
            return {row[0]: row[1] for row in await cursor.fetchall()}


# --- the jobs' statements, run on the writer's thread inside a group commit --------------------------


def _record(
    conn: sqlite3.Connection,
    guild_id: int,
    theme: str,
    user_id: int,
    display_name: str,
    stance: str,
    rationale: str | None,
    at: str,
) -> PositionChange:
    found = conn.execute(
        f"""
        SELECT {_POSITION_COLUMNS}
        FROM positions p LEFT JOIN profiles f ON f.guild_id = p.guild_id AND f.user_id = p.user_id
        WHERE p.guild_id = ? AND p.theme = ? AND p.user_id = ?
        """,
        (guild_id, theme, user_id),
    ).fetchone()
    previous = _position(found) if found else None
    if previous is not None and previous.stance == stance and previous.rationale == rationale:
        return PositionChange(previous, changed=False, first=False, has_profile=previous.stakeholder is not None)
    first = previous is None and not _has_history(conn, guild_id, user_id)
    statement = _statement_for(conn, guild_id, theme, user_id, rationale, at)
    conn.execute(
        """
        INSERT INTO positions (guild_id, theme, user_id, display_name, stance, rationale, updated_at, statement_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (guild_id, theme, user_id) DO UPDATE
            SET display_name = excluded.display_name, stance = excluded.stance,
                rationale = excluded.rationale, updated_at = excluded.updated_at,
                statement_id = excluded.statement_id
        """,
        (guild_id, theme, user_id, display_name, stance, rationale, at, statement),
    )
    conn.execute(
        """
        INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale, statement_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        (guild_id, theme, user_id, at, stance, rationale, statement),
    )
    if previous is not None:
        has_profile = previous.stakeholder is not None
    else:
        profile = conn.execute("SELECT 1 FROM profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        has_profile = profile.fetchone() is not None
    return PositionChange(previous, changed=True, first=first, has_profile=has_profile)


def _has_history(conn: sqlite3.Connection, guild_id: int, user_id: int) -> bool:
    found = conn.execute(
        "SELECT 1 FROM position_history WHERE guild_id = ? AND user_id = ? LIMIT 1", (guild_id, user_id)
    )
    return found.fetchone() is not None


def _statement_for(
    conn: sqlite3.Connection, guild_id: int, theme: str, user_id: int, text: str | None, at: str
) -> int | None:
    """The id of the author's statement with this text on the theme, made (numbered) if it is new."""
    if text is None:
        return None
    found = conn.execute(
        "SELECT id FROM statements WHERE guild_id = ? AND theme = ? AND author_id = ? AND text = ?",
        (guild_id, theme, user_id, text),
    ).fetchone()
    if found is not None:
        return int(found[0])
    counted = conn.execute(
        """
        INSERT INTO statement_counters (guild_id, last_number) VALUES (?, 1)
        ON CONFLICT (guild_id) DO UPDATE SET last_number = last_number + 1
        RETURNING last_number
        """,
        (guild_id,),
    ).fetchone()
    cursor = conn.execute(
        "INSERT INTO statements (guild_id, number, theme, author_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, counted[0], theme, user_id, text, at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _withdraw(conn: sqlite3.Connection, guild_id: int, theme: str, user_id: int, at: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM positions WHERE guild_id = ? AND theme = ? AND user_id = ?", (guild_id, theme, user_id)
    )
    if cursor.rowcount == 0:
        return False
    conn.execute(
        "INSERT INTO position_history (guild_id, theme, user_id, at, stance, rationale) "
        "VALUES (?, ?, ?, ?, NULL, NULL)",
        (guild_id, theme, user_id, at),
    )
    return True
