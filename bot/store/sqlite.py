"""The SQLite store: one mixin per domain over the writer and reader connections (see base.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from bot.core.digest import DigestRequest, DigestSource, previous_digest_at
from bot.core.polis import PolisSource
from bot.store.command_sync import CommandSyncQueries
from bot.store.digest_facts import digest_facts
from bot.store.digests import DigestQueries
from bot.store.member_data import MemberDataQueries
from bot.store.moderation import ModerationQueries
from bot.store.polis import PolisQueries
from bot.store.polls import PollQueries
from bot.store.positions import PositionQueries
from bot.store.statements import StatementQueries

T = TypeVar("T")


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

    async def load_digest_source(
        self, guild_id: int, themes: Sequence[str], until: datetime, request: DigestRequest
    ) -> DigestSource:
        """A digest's facts as of `until`, counted in SQL (see digest_facts.py), in one snapshot: every theme in
        one call on the reader's worker thread, so the event loop never waits on the counting; only the polls,
        the rationales and (under named attribution) the names the digest shows are read."""
        async with self.snapshot() as db:
            posted = await self._posted_digests(db, guild_id)
            moments = request.moments(posted, until)
            facts = await self._on_reader(digest_facts, guild_id, list(themes), until, moments, request)
            return DigestSource(
                posted=posted,
                polls=await self._closed_polls(db, guild_id, moments[0], until),
                themes=facts,
            )

    async def _on_reader(self, job: Callable[..., T], *args: object) -> T:
        """`job(reader's sqlite3 connection, *args)` on the reader's worker thread (one hop)."""
        result: T = await self.reader._execute(job, self.reader._conn, *args)  # type: ignore[no-untyped-call]
        return result

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
