"""Statements and reactions: what members read in `/<slug> discuss`, their agrees, disagrees and passes,
and the counts by stakeholder group that common ground is computed from.

Every read of current statements goes through the `current_statements` view (migration 006), so a new
reader cannot forget what "current" means.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import groupby

import aiosqlite

from bot.core.consensus import Reacted, Reaction, StatementVotes, Votes
from bot.core.models import Statement
from bot.store.base import StoreBase
from bot.store.dbtime import from_db_time, to_db_time
from bot.store.visibility import hidden_as_of, moment_params

#: Counted with FILTER rather than sum(r.reaction = ...): SQLite then skips the aggregate step of
#: the two counts a reaction is not in (a fifth quicker over 100,000 reactions: bench/discussion_bench.py).
_SUMS = """
    count(*) FILTER (WHERE r.reaction = 'agree') AS agrees,
    count(*) FILTER (WHERE r.reaction = 'disagree') AS disagrees,
    count(*) FILTER (WHERE r.reaction = 'pass') AS passes
"""


def _votes_by_statement(rows: Iterable[sqlite3.Row]) -> list[StatementVotes]:
    """Rows of (statement id, number, group, agrees, disagrees, passes), ordered by statement, folded into
    one StatementVotes each; members without a profile (group NULL) count overall, in no group.

    A theme's rows are one per statement and group (12,000 for 2,000 statements), so the overall
    counts are summed as plain integers and made into Votes once per statement."""
    found: dict[int, tuple[int, list[int], dict[str, Votes]]] = {}
    for row in rows:
        key = row["statement_id"]
        entry = found.get(key)
        if entry is None:
            entry = found[key] = (row["number"], [0, 0, 0], {})
        agrees, disagrees, passes = int(row["agrees"] or 0), int(row["disagrees"] or 0), int(row["passes"] or 0)
        overall = entry[1]
        overall[0] += agrees
        overall[1] += disagrees
        overall[2] += passes
        if row["grp"] is not None:
            entry[2][row["grp"]] = Votes(agrees, disagrees, passes)
    return [StatementVotes(key, number, Votes(*overall), groups) for key, (number, overall, groups) in found.items()]


async def current_author(db: aiosqlite.Connection, guild_id: int, statement_id: int) -> int | None:
    """The author of this server's statement if it is shown today (current and not hidden), else None: what a
    writer checks, inside its transaction, before a member reacts to it or reports it."""
    async with db.execute(
        "SELECT author_id FROM current_statements WHERE id = ? AND guild_id = ?", (statement_id, guild_id)
    ) as cursor:
        found = await cursor.fetchone()
    return None if found is None else int(found["author_id"])


class StatementQueries(StoreBase):
    async def statement(self, guild_id: int, statement_id: int) -> Statement | None:
        """One statement of this server, current or not, with its author's current group and name."""
        row = await self._read_one(
            """
            SELECT s.id, s.guild_id, s.number, s.theme, s.author_id, s.text, s.created_at,
                   p.stance, f.stakeholder, coalesce(p.display_name, (
                       SELECT display_name FROM positions WHERE guild_id = s.guild_id AND user_id = s.author_id
                       ORDER BY updated_at DESC LIMIT 1)) AS author_name
            FROM statements s
            LEFT JOIN positions p ON p.statement_id = s.id
            LEFT JOIN profiles f ON f.guild_id = s.guild_id AND f.user_id = s.author_id
            WHERE s.id = ? AND s.guild_id = ?
            """,
            (statement_id, guild_id),
        )
        if row is None:
            return None
        return Statement(
            id=row["id"],
            guild_id=row["guild_id"],
            number=row["number"],
            theme=row["theme"],
            author_id=row["author_id"],
            text=row["text"],
            created_at=from_db_time(row["created_at"]),
            stance=row["stance"],
            author_group=row["stakeholder"],
            author_name=row["author_name"],
        )

    async def discussion_candidates(self, guild_id: int, theme: str, user_id: int) -> list[StatementVotes]:
        """The current statements on a theme this member may still react to: not their own, not one they
        reacted to or reported, with everyone's reaction counts (for routing), lowest number first.

        What they reacted to is read once, from `reactions_by_member`, into a list SQLite checks each
        statement against, rather than looked up in `reactions` once per statement (over 2,000
        statements, half the time: bench/discussion_bench.py)."""
        rows = await self._read_all(
            """
            SELECT cs.id, cs.number, cs.agrees, cs.disagrees, cs.passes FROM current_statements cs
            WHERE cs.guild_id = ? AND cs.theme = ? AND cs.author_id != ?
              AND cs.id NOT IN (SELECT r.statement_id FROM reactions r WHERE r.guild_id = ? AND r.user_id = ?)
              AND cs.id NOT IN (
                  SELECT f.statement_id FROM statement_reports f WHERE f.guild_id = ? AND f.reporter_id = ?
              )
            ORDER BY cs.number
            """,
            (guild_id, theme, user_id, guild_id, user_id, guild_id, user_id),
        )
        return [
            StatementVotes(row["id"], row["number"], Votes(row["agrees"], row["disagrees"], row["passes"]))
            for row in rows
        ]

    async def react(self, guild_id: int, statement_id: int, user_id: int, reaction: Reaction, now: datetime) -> Reacted:
        """Record a member's reaction to a current statement of this server (replacing their earlier one),
        append it to the history, atomically (the triggers of migrations 010 and 012 keep the counts in step)."""
        at = to_db_time(now)
        async with self.transaction() as db:
            author = await current_author(db, guild_id, statement_id)
            if author is None:
                return Reacted.NOT_CURRENT
            if author == user_id:
                return Reacted.OWN
            async with db.execute(
                "SELECT reaction FROM reactions WHERE statement_id = ? AND user_id = ?", (statement_id, user_id)
            ) as cursor:
                earlier = await cursor.fetchone()
            previous = Reaction(earlier["reaction"]) if earlier else None
            if previous == reaction:
                return Reacted.UNCHANGED
            await db.execute(
                "INSERT INTO reaction_history (guild_id, statement_id, user_id, reaction, at) VALUES (?, ?, ?, ?, ?)",
                (guild_id, statement_id, user_id, reaction.value, at),
            )
            await db.execute(
                """
                INSERT INTO reactions (statement_id, user_id, guild_id, reaction, stakeholder, at)
                VALUES (?, ?, ?, ?, (SELECT stakeholder FROM profiles WHERE guild_id = ? AND user_id = ?), ?)
                ON CONFLICT (statement_id, user_id) DO UPDATE
                    SET reaction = excluded.reaction, stakeholder = excluded.stakeholder, at = excluded.at
                """,
                (statement_id, user_id, guild_id, reaction.value, guild_id, user_id, at),
            )
            # the statement's counts and the per-group counts follow by the triggers on reactions
            return Reacted.RECORDED if previous is None else Reacted.CHANGED

    async def reaction_of(self, statement_id: int, user_id: int) -> Reaction | None:
        """The member's current reaction to a statement, if any."""
        row = await self._read_one(
            "SELECT reaction FROM reactions WHERE statement_id = ? AND user_id = ?", (statement_id, user_id)
        )
        return Reaction(row["reaction"]) if row else None

    async def theme_votes(self, guild_id: int, theme: str) -> list[StatementVotes]:
        """Every current statement on the theme that has reactions, counted overall and by each reacting
        member's current stakeholder group: one read of `reaction_counts` (migration 010), the counts
        the triggers on `reactions` keep in step, one row per statement and group, in key order."""
        rows = await self._read_all(
            """
            SELECT cs.id AS statement_id, cs.number, nullif(c.grp, '') AS grp, c.agrees, c.disagrees, c.passes
            FROM current_statements cs JOIN reaction_counts c ON c.statement_id = cs.id
            WHERE cs.guild_id = ? AND cs.theme = ?
            ORDER BY cs.id, c.grp
            """,
            (guild_id, theme),
        )
        return _votes_by_statement(rows)

    async def current_statements(self, guild_id: int, statement_ids: Sequence[int]) -> dict[int, Statement]:
        """These statements of this server that are current, by id (to show the ones a ranking chose)."""
        if not statement_ids:
            return {}
        marks = ",".join("?" * len(statement_ids))
        rows = await self._read_all(
            f"""
            SELECT cs.id, cs.guild_id, cs.number, cs.theme, cs.author_id, cs.text, cs.created_at, cs.stance,
                   cs.display_name, f.stakeholder
            FROM current_statements cs
            LEFT JOIN profiles f ON f.guild_id = cs.guild_id AND f.user_id = cs.author_id
            WHERE cs.guild_id = ? AND cs.id IN ({marks})
            """,
            (guild_id, *statement_ids),
        )
        return {
            row["id"]: Statement(
                id=row["id"],
                guild_id=row["guild_id"],
                number=row["number"],
                theme=row["theme"],
                author_id=row["author_id"],
                text=row["text"],
                created_at=from_db_time(row["created_at"]),
                stance=row["stance"],
                author_group=row["stakeholder"],
                author_name=row["display_name"],
            )
            for row in rows
        }

    async def _votes_as_of(
        self, db: aiosqlite.Connection, guild_id: int, until: datetime
    ) -> dict[str, list[StatementVotes]]:
        """Every statement's reactions as they stood at `until` (see `votes_as_of`), by theme."""
        async with db.execute(_VOTES_AS_OF, _votes_as_of_params(guild_id, until)) as cursor:
            return _by_theme(list(await cursor.fetchall()))


#: Each member's latest reaction by a moment, counted by statement and by the member's stakeholder group then.
_VOTES_AS_OF = f"""
    WITH profile AS MATERIALIZED (
        SELECT user_id, stakeholder, max(id) FROM profile_history WHERE guild_id = ? AND at <= ? GROUP BY user_id
    ), latest AS (
        SELECT statement_id, user_id, reaction, max(id) FROM reaction_history
        WHERE guild_id = ? AND at <= ? GROUP BY statement_id, user_id
    )
    SELECT s.theme, s.id AS statement_id, s.number, p.stakeholder AS grp, {_SUMS}
    FROM latest r JOIN statements s ON s.id = r.statement_id
    LEFT JOIN profile p ON p.user_id = r.user_id
    WHERE NOT {hidden_as_of("s.id")}
    GROUP BY s.id, p.stakeholder
    ORDER BY s.theme, s.id
"""
#: (`max(id)` with other columns: SQLite takes those columns from the row with the largest id, the member's
#: latest profile and latest reaction by then; one sort each instead of a lookup per reaction.)


def _votes_as_of_params(guild_id: int, until: datetime) -> tuple[object, ...]:
    at = to_db_time(until)
    return (guild_id, at, guild_id, at, *moment_params(until))


def _by_theme(rows: Sequence[sqlite3.Row]) -> dict[str, list[StatementVotes]]:
    by_theme: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_theme.setdefault(row["theme"], []).append(row)
    return {theme: _votes_by_statement(theme_rows) for theme, theme_rows in by_theme.items()}


def votes_as_of(conn: sqlite3.Connection, guild_id: int, until: datetime) -> Iterator[tuple[str, list[StatementVotes]]]:
    """Every statement's reactions as they stood at `until` (each member's latest reaction by then), counted
    by each member's stakeholder group as it stood then, one theme at a time (in theme order), on the
    connection's own thread."""
    rows = conn.execute(_VOTES_AS_OF, _votes_as_of_params(guild_id, until))
    for theme, theme_rows in groupby(rows, key=lambda row: str(row["theme"])):
        yield theme, _votes_by_statement(theme_rows)
