"""A member's data rights in one server: everything the database holds about them (export), and its
erasure in one transaction.

`MEMBER_TABLES` is the one registry of every table that holds a member's id or name, with the
statements that erase them. `erase_member` runs them in its order and nothing else, and a test reads
the schema (`sqlite_master`, `PRAGMA table_info`) and fails for any table with a member, user, author,
voter, creator, moderator or name column that the registry does not cover: a new table with a member
column must be added here (and to the export) before the tests pass.

Statements take the named parameters `:guild` and `:user`. Rows that are the member's are deleted;
a facilitator's or organiser's id in a poll or digest record is replaced by the neutral id 0, so the
record stays and no longer points at anyone. Secret ballots are handled apart (`_unlink_ballots`):
they hold no id, only a keyed hash that the server secret can link to the voter while the poll is
open.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import aiosqlite

from bot.core.ballot_keys import BallotKeys, BallotSeed
from bot.core.member_data import (
    DigestChannelRecord,
    Erased,
    LanguageRecord,
    MemberData,
    PollCreatedRecord,
    PollVoteRecord,
    PositionChange,
    PositionRecord,
    ProfileRecord,
    ReactionRecord,
    ReportRecord,
    StatementRecord,
)
from bot.store.base import StoreBase
from bot.store.dbtime import from_db_time
from bot.store.poll_ballots import ballot_seed

#: The id that stands for "nobody" where a record must keep a facilitator or organiser column.
NEUTRAL_ID = 0

_THEIR_STATEMENTS = "SELECT id FROM statements WHERE guild_id = :guild AND author_id = :user"
_THEIR_POLLS = "SELECT id FROM polls WHERE guild_id = :guild"


@dataclass(frozen=True, slots=True)
class MemberTable:
    """A table that holds a member's id or name: which columns, and the statements that erase them
    (the first statement's row count is what the erasure reports for the table)."""

    table: str
    columns: tuple[str, ...]
    erase: tuple[str, ...]


#: In the order erasure runs: rows that point at others' rows before them (the kept counts follow the
#: deleted reactions by the triggers on `reactions`).
MEMBER_TABLES: tuple[MemberTable, ...] = (
    MemberTable(
        "reactions",
        ("user_id",),
        (
            # their reactions, and every reaction to their statements (which go)
            f"""
            DELETE FROM reactions WHERE guild_id = :guild
                AND (user_id = :user OR statement_id IN ({_THEIR_STATEMENTS}))
            """,
        ),
    ),
    MemberTable(
        "reaction_history",
        ("user_id",),
        (
            f"""
            DELETE FROM reaction_history WHERE guild_id = :guild
                AND (user_id = :user OR statement_id IN ({_THEIR_STATEMENTS}))
            """,
        ),
    ),
    MemberTable(
        "positions",
        ("user_id", "display_name"),
        ("DELETE FROM positions WHERE guild_id = :guild AND user_id = :user",),
    ),
    MemberTable(
        "position_history",
        ("user_id",),
        ("DELETE FROM position_history WHERE guild_id = :guild AND user_id = :user",),
    ),
    MemberTable(
        "statement_reports",
        ("reporter_id", "settled_by"),
        (
            # the reports they made, and every report on their statements (settled_by is an action's id)
            f"""
            DELETE FROM statement_reports WHERE guild_id = :guild
                AND (reporter_id = :user OR statement_id IN ({_THEIR_STATEMENTS}))
            """,
        ),
    ),
    MemberTable(
        "moderation_actions",
        ("moderator_id", "author_told"),
        (
            # actions on their statements go with them; as a facilitator their id becomes the neutral 0
            f"DELETE FROM moderation_actions WHERE guild_id = :guild AND statement_id IN ({_THEIR_STATEMENTS})",
            "UPDATE moderation_actions SET moderator_id = 0 WHERE guild_id = :guild AND moderator_id = :user",
        ),
    ),
    MemberTable(
        "statements",
        ("author_id",),
        ("DELETE FROM statements WHERE guild_id = :guild AND author_id = :user",),
    ),
    MemberTable(
        "profiles",
        ("user_id",),
        ("DELETE FROM profiles WHERE guild_id = :guild AND user_id = :user",),
    ),
    MemberTable(
        "member_languages",
        ("user_id",),
        ("DELETE FROM member_languages WHERE guild_id = :guild AND user_id = :user",),
    ),
    MemberTable(
        "profile_history",
        ("user_id",),
        ("DELETE FROM profile_history WHERE guild_id = :guild AND user_id = :user",),
    ),
    MemberTable(
        "poll_votes",
        ("user_id",),
        (f"DELETE FROM poll_votes WHERE user_id = :user AND poll_id IN ({_THEIR_POLLS})",),
    ),
    MemberTable(
        "polls",
        ("created_by",),
        (f"UPDATE polls SET created_by = {NEUTRAL_ID} WHERE guild_id = :guild AND created_by = :user",),
    ),
    MemberTable(
        "digest_channels",
        ("updated_by",),
        (f"UPDATE digest_channels SET updated_by = {NEUTRAL_ID} WHERE guild_id = :guild AND updated_by = :user",),
    ),
    # Secret ballots hold no id: a keyed hash stands for the voter (see `_unlink_ballots`).
    MemberTable("poll_ballots", ("voter_key",), ()),
)


class MemberDataQueries(StoreBase):
    async def member_data(self, guild_id: int, user_id: int) -> MemberData:
        """Everything this server's database holds about the member, read in one snapshot."""
        params = {"guild": guild_id, "user": user_id}
        async with self.snapshot() as db:
            profile_rows = await _rows(
                db,
                "SELECT stakeholder, region, at FROM profile_history WHERE guild_id = :guild AND user_id = :user "
                "ORDER BY at, id",
                params,
            )
            current = await _rows(
                db,
                "SELECT stakeholder, region, updated_at AS at FROM profiles "
                "WHERE guild_id = :guild AND user_id = :user",
                params,
            )
            return MemberData(
                guild_id=guild_id,
                user_id=user_id,
                profile=_profile(current[0]) if current else None,
                profile_history=[_profile(row) for row in profile_rows],
                positions=await self._member_positions(db, params),
                position_history=await self._member_changes(db, params),
                statements=await self._member_statements(db, params),
                reactions=await self._member_reactions(db, "reactions", params),
                reaction_history=await self._member_reactions(db, "reaction_history", params),
                poll_votes=await self._member_votes(db, params),
                polls_created=[
                    PollCreatedRecord(row["number"], row["question"], from_db_time(row["created_at"]))
                    for row in await _rows(
                        db,
                        "SELECT number, question, created_at FROM polls WHERE guild_id = :guild AND created_by = :user "
                        "ORDER BY number",
                        params,
                    )
                ],
                digest_channel=next(
                    (
                        DigestChannelRecord(row["channel_id"], from_db_time(row["updated_at"]))
                        for row in await _rows(
                            db,
                            "SELECT channel_id, updated_at FROM digest_channels "
                            "WHERE guild_id = :guild AND updated_by = :user",
                            params,
                        )
                    ),
                    None,
                ),
                language=next(
                    (
                        LanguageRecord(row["language"], from_db_time(row["updated_at"]))
                        for row in await _rows(
                            db,
                            "SELECT language, updated_at FROM member_languages "
                            "WHERE guild_id = :guild AND user_id = :user",
                            params,
                        )
                    ),
                    None,
                ),
                reports=await self._member_reports(db, params),
            )

    async def _member_positions(self, db: aiosqlite.Connection, params: dict[str, int]) -> list[PositionRecord]:
        rows = await _rows(
            db,
            """
            SELECT p.theme, p.display_name, p.stance, p.rationale, s.number AS statement, p.updated_at
            FROM positions p LEFT JOIN statements s ON s.id = p.statement_id
            WHERE p.guild_id = :guild AND p.user_id = :user ORDER BY p.theme
            """,
            params,
        )
        return [
            PositionRecord(
                row["theme"],
                row["display_name"],
                row["stance"],
                row["rationale"],
                row["statement"],
                from_db_time(row["updated_at"]),
            )
            for row in rows
        ]

    async def _member_changes(self, db: aiosqlite.Connection, params: dict[str, int]) -> list[PositionChange]:
        rows = await _rows(
            db,
            """
            SELECT h.theme, h.at, h.stance, h.rationale, s.number AS statement
            FROM position_history h LEFT JOIN statements s ON s.id = h.statement_id
            WHERE h.guild_id = :guild AND h.user_id = :user ORDER BY h.at, h.id
            """,
            params,
        )
        return [
            PositionChange(row["theme"], from_db_time(row["at"]), row["stance"], row["rationale"], row["statement"])
            for row in rows
        ]

    async def _member_statements(self, db: aiosqlite.Connection, params: dict[str, int]) -> list[StatementRecord]:
        rows = await _rows(
            db,
            """
            SELECT s.number, s.theme, s.text, s.created_at, s.agrees, s.disagrees, s.passes,
                   EXISTS (SELECT 1 FROM positions p WHERE p.statement_id = s.id) AS current
            FROM statements s WHERE s.guild_id = :guild AND s.author_id = :user ORDER BY s.number
            """,
            params,
        )
        return [
            StatementRecord(
                row["number"],
                row["theme"],
                row["text"],
                from_db_time(row["created_at"]),
                bool(row["current"]),
                row["agrees"],
                row["disagrees"],
                row["passes"],
            )
            for row in rows
        ]

    async def _member_reactions(
        self, db: aiosqlite.Connection, table: str, params: dict[str, int]
    ) -> list[ReactionRecord]:
        order = "r.at, s.number" if table == "reactions" else "r.at, r.id"
        rows = await _rows(
            db,
            f"""
            SELECT s.number, s.theme, r.reaction, r.at
            FROM {table} r JOIN statements s ON s.id = r.statement_id
            WHERE r.guild_id = :guild AND r.user_id = :user ORDER BY {order}
            """,
            params,
        )
        return [ReactionRecord(row["number"], row["theme"], row["reaction"], from_db_time(row["at"])) for row in rows]

    async def _member_reports(self, db: aiosqlite.Connection, params: dict[str, int]) -> list[ReportRecord]:
        rows = await _rows(
            db,
            """
            SELECT s.number, s.theme, r.reason, r.at, a.action
            FROM statement_reports r JOIN statements s ON s.id = r.statement_id
            LEFT JOIN moderation_actions a ON a.id = r.settled_by
            WHERE r.guild_id = :guild AND r.reporter_id = :user ORDER BY r.at, s.number
            """,
            params,
        )
        outcomes = {"hide": "hidden", "keep": "kept"}
        return [
            ReportRecord(
                row["number"],
                row["theme"],
                row["reason"] or None,
                from_db_time(row["at"]),
                outcomes.get(row["action"]) if row["action"] else None,
            )
            for row in rows
        ]

    async def _member_votes(self, db: aiosqlite.Connection, params: dict[str, int]) -> list[PollVoteRecord]:
        rows = await _rows(
            db,
            """
            SELECT p.number, p.question, p.theme, v.position, o.label, v.voted_at, p.closed_at IS NOT NULL AS closed
            FROM poll_votes v JOIN polls p ON p.id = v.poll_id
            JOIN poll_options o ON o.poll_id = v.poll_id AND o.position = v.position
            WHERE p.guild_id = :guild AND v.user_id = :user ORDER BY p.number, v.position
            """,
            params,
        )
        return [
            PollVoteRecord(
                row["number"],
                row["question"],
                row["theme"],
                row["position"],
                row["label"],
                from_db_time(row["voted_at"]),
                bool(row["closed"]),
            )
            for row in rows
        ]

    async def erase_member(self, guild_id: int, user_id: int, keys: BallotKeys | None) -> Erased:
        """Erase the member from this server's data in one transaction, overwriting the freed pages, then
        empty the write-ahead log. `keys` (the server secret) finds their ballots in open secret polls,
        which stay counted but are unlinked; without it those are left as they are (closed polls hold
        only counts)."""
        params = {"guild": guild_id, "user": user_id}
        changed: dict[str, int] = {}
        async with self.transaction() as db:
            await self._secure_delete(db)
            for entry in MEMBER_TABLES:
                for index, sql in enumerate(entry.erase):
                    cursor = await db.execute(sql, params)
                    if index == len(entry.erase) - 1 and cursor.rowcount > 0:
                        changed[entry.table] = cursor.rowcount
            unlinked = await self._unlink_ballots(db, guild_id, user_id, keys) if keys is not None else 0
        await self._truncate_log()
        return Erased(guild_id, user_id, changed, unlinked)

    async def _unlink_ballots(self, db: aiosqlite.Connection, guild_id: int, user_id: int, keys: BallotKeys) -> int:
        """Give the member's ballot in each open secret poll a fresh random key: it stays counted (with the
        group it was cast under) and nothing, not even the server secret, leads from them to it any more.
        Every row of one ballot gets the same new key, so a ballot of several choices stays one voter."""
        unlinked = 0
        for poll_id, seed in (await self._open_seeds(db, guild_id)).items():
            if not keys.opens(seed):
                continue
            cursor = await db.execute(
                "UPDATE poll_ballots SET voter_key = ? WHERE poll_id = ? AND voter_key = ?",
                (secrets.token_bytes(32), poll_id, keys.voter_key(poll_id, seed, user_id)),
            )
            unlinked += cursor.rowcount > 0
        return unlinked

    async def _open_seeds(self, db: aiosqlite.Connection, guild_id: int) -> dict[int, BallotSeed]:
        """This server's open secret polls' seeds, read on the writer inside the erasure's transaction."""
        async with db.execute(
            "SELECT id, salt, ballot_nonce, ballot_check FROM polls "
            "WHERE guild_id = ? AND secret = 1 AND closed_at IS NULL",
            (guild_id,),
        ) as cursor:
            rows = await cursor.fetchall()
        return {row["id"]: seed for row in rows if (seed := ballot_seed(row)) is not None}


async def _rows(db: aiosqlite.Connection, sql: str, params: dict[str, int]) -> list[aiosqlite.Row]:
    async with db.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


def _profile(row: aiosqlite.Row) -> ProfileRecord:
    return ProfileRecord(row["stakeholder"], row["region"], from_db_time(row["at"]))
