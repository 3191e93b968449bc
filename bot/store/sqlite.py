"""The SQLite store: one mixin per domain over the writer and reader connections (see base.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.digest import DigestSource, previous_digest_at
from bot.core.polis import PolisSource
from bot.store.command_sync import CommandSyncQueries
from bot.store.digests import DigestQueries
from bot.store.member_data import MemberDataQueries
from bot.store.moderation import ModerationQueries
from bot.store.polis import PolisQueries
from bot.store.polls import PollQueries
from bot.store.positions import PositionQueries
from bot.store.statements import StatementQueries


class SqliteStore(
    PositionQueries,
    StatementQueries,
    ModerationQueries,
    PolisQueries,
    PollQueries,
    DigestQueries,
    CommandSyncQueries,
    MemberDataQueries,
):
    """Implements `bot.store.Store`; open it with `await SqliteStore.open(path)` (or `open_store`)."""

    async def digest_source(self, guild_id: int, themes: Sequence[str], until: datetime) -> DigestSource:
        """Read everything a digest of this server as of `until` is built from, in one snapshot: a fixed
        number of queries (one per theme), whatever the number of participants; only the polls the digest
        shows are read."""
        async with self.snapshot() as db:
            posted = await self._posted_digests(db, guild_id)
            return DigestSource(
                histories={slug: await self._theme_history(db, guild_id, slug, until) for slug in themes},
                profiles=await self._guild_profiles(db, guild_id, until),
                names=await self._display_names(db, guild_id),
                posted=posted,
                polls=await self._closed_polls(db, guild_id, previous_digest_at(posted, until), until),
                votes=await self._votes_as_of(db, guild_id, until),
            )

    async def polis_source(self, guild_id: int, themes: Sequence[str], until: datetime) -> PolisSource:
        """Read what the Pol.is export of these themes as of `until` is built from, in one snapshot of four
        queries, whatever the number of statements and members."""
        async with self.snapshot() as db:
            return PolisSource(
                statements=await self._polis_statements(db, guild_id, themes, until),
                reactions=await self._polis_reactions(db, guild_id, themes, until),
                first_seen=await self._first_seen(db, guild_id),
                profiles=await self._guild_profiles(db, guild_id, until),
            )
