"""The SQLite store: one mixin per domain over one connection (see base.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.digest import DigestSource, previous_digest_at
from bot.store.digests import DigestQueries
from bot.store.polls import PollQueries
from bot.store.positions import PositionQueries


class SqliteStore(PositionQueries, PollQueries, DigestQueries):
    """Implements `bot.store.Store`; open it with `await SqliteStore.open(path)` (or `open_store`)."""

    async def digest_source(self, guild_id: int, themes: Sequence[str], until: datetime) -> DigestSource:
        """Read everything a digest of this server as of `until` is built from: a fixed number of queries
        (one per theme), whatever the number of participants; only the polls the digest shows are read."""
        posted = await self.posted_digests(guild_id)
        return DigestSource(
            histories={slug: await self.theme_history(guild_id, slug, until) for slug in themes},
            profiles=await self.guild_profiles(guild_id, until),
            names=await self.display_names(guild_id),
            posted=posted,
            polls=await self.closed_polls(guild_id, previous_digest_at(posted, until), until),
        )
