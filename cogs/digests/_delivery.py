"""Posting digests to Discord: the scheduled work (DueWork) and the delivery of one digest, resumable.

What is due comes from bot.core.schedule (a pure function of the plan, the clock and the
store's records); this module only carries it out. A digest is claimed in the store under
its unique key before the first message goes out, each message sent is recorded, and a
failure leaves the record pending with a retry time, so later ticks resume where it stopped.

A digest resumes in the channel it began in. If that channel is gone (deleted, or Discord no longer
finds it) and the server's digest channel is now another, the rest follows the server's digest
channel, and its first message there says that it continues a digest begun elsewhere; otherwise
the digest waits, failing with "choose a channel", until an organiser picks one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.context import Context
from bot.core.digest import Digest, DigestRequest, build_digest
from bot.core.schedule import DeliveryError, DigestKind, DigestPlan, RunState, RunStatus, decide, next_wake
from bot.i18n import language
from bot.interactions import DISCORD_FAILURES, failure_kind, failure_text, retry_safe_nonce
from bot.render.charts import theme_charts
from bot.render.discord.digests import DigestPart, continued_elsewhere, digest_parts
from bot.scheduling import retry_delay

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one attempt went: posted, or failed (and why)."""

    posted: bool
    parts_sent: int
    parts_total: int
    error_kind: DeliveryError | None = None
    error: str | None = None
    retry_at: datetime | None = None


class DigestDelivery:
    """DueWork for digests, and the one way any digest (scheduled or `/digest post`) reaches a channel."""

    name = "digests"

    def __init__(self, client: discord.Client, ctx: Context) -> None:
        self.client = client
        self.ctx = ctx
        self.plan = DigestPlan.from_settings(ctx.settings)
        self.lock = asyncio.Lock()  # one delivery at a time, whether from a tick or a command

    def window_start(self, configured_at: datetime) -> datetime:
        """Occurrences due before the channel was chosen count only while still within grace."""
        return configured_at - self.plan.grace

    async def run_due(self, now: datetime) -> None:
        store = self.ctx.store
        for config in await store.digest_channels():
            since = self.window_start(config.configured_at)
            try:
                due = decide(self.plan, since, now, await store.digest_runs(config.guild_id, since))
                for occurrence in due.miss:
                    log.warning(
                        "guild %s: %s digest due %s was not posted within %s; recorded as missed",
                        config.guild_id,
                        occurrence.kind,
                        occurrence.due_at.isoformat(),
                        self.plan.grace,
                    )
                    await store.mark_digest_missed(config.guild_id, occurrence.kind, occurrence.due_at, now)
                for occurrence in due.post:
                    await self.deliver(config.guild_id, occurrence.kind, occurrence.due_at, now)
            except Exception:
                log.exception("guild %s: digest work failed; it stays due", config.guild_id)

    async def next_due(self, now: datetime) -> datetime | None:
        times = []
        for config in await self.ctx.store.digest_channels():
            since = self.window_start(config.configured_at)
            runs = await self.ctx.store.digest_runs(config.guild_id, since)
            upcoming = next_wake(self.plan, since, now, runs)
            if upcoming is not None:
                times.append(upcoming)
        return min(times, default=None)

    async def build(self, guild_id: int, kind: DigestKind, as_of: datetime) -> Digest:
        slugs = [theme.slug for theme in self.ctx.settings.themes]
        request = DigestRequest.from_settings(self.ctx.settings, kind)
        source = await self.ctx.store.load_digest_source(guild_id, slugs, as_of, request)
        # the counting ran on the store's thread: what is left is a few dozen counts per theme
        with language(self.ctx.settings.digest_language):  # the themes' words, in the digest's language
            return build_digest(self.ctx.settings, source, kind, as_of)

    async def render(self, digest: Digest, *, preview: bool = False) -> list[DigestPart]:
        """Every part with its themes' charts (drawn again when a post resumes: any part may carry one), in
        the digest's language (`[digest] language`, else the forum's)."""
        with language(self.ctx.settings.digest_language):
            charts = await asyncio.to_thread(theme_charts, digest)
            if preview:
                return digest_parts(digest, charts, preview=True, session_ends=self.ctx.settings.session.ends_at)
            return digest_parts(digest, charts)

    async def deliver(
        self, guild_id: int, kind: DigestKind, due_at: datetime, now: datetime, *, manual: bool = False
    ) -> Delivery:
        """Post (or resume) the digest with key (kind, due_at); record every step in the store."""
        async with self.lock:
            store = self.ctx.store
            run = await store.get_digest_run(guild_id, kind, due_at)
            if run is None:
                run = await store.claim_digest(guild_id, kind, due_at, now, manual=manual)
            if run is None or run.status != RunStatus.PENDING:
                parts = (run.parts_total or 0) if run else 0
                return Delivery(run is not None and run.status == RunStatus.POSTED, parts, parts)
            try:
                return await self._send(guild_id, run, now)
            except Exception as exc:
                # A bug or a broken store must not leave the digest due "now" (the tick would spin on it):
                # it waits for its backoff like any failure, with the traceback in the log.
                log.exception("guild %s: unexpected error posting the %s digest due %s", guild_id, kind, due_at)
                fresh = await store.get_digest_run(guild_id, kind, due_at) or run
                return await self._failed(
                    fresh, DeliveryError.ERROR, repr(exc), now, fresh.parts_sent, fresh.parts_total or 0
                )

    def _messageable(self, channel_id: int | None) -> discord.abc.Messageable | None:
        channel = self.client.get_channel(channel_id) if channel_id else None
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _where(self, guild_id: int, run: RunState) -> tuple[int | None, bool]:
        """The channel to post (the rest of) the digest in, and whether it moved from the one it began in."""
        config = await self.ctx.store.get_digest_channel(guild_id)
        current = config.channel_id if config else None
        begun_in = run.channel_id if run.parts_sent else None
        if begun_in is None:
            return current, False
        gone = self._messageable(begun_in) is None or run.error_kind == DeliveryError.CHANNEL
        if gone and current is not None and current != begun_in:
            log.warning("guild %s: digest channel %s is gone; continuing in %s", guild_id, begun_in, current)
            return current, True
        return begun_in, False

    async def _send(self, guild_id: int, run: RunState, now: datetime) -> Delivery:
        store = self.ctx.store
        channel_id, moved = await self._where(guild_id, run)
        channel = self._messageable(channel_id)
        if channel_id is None or channel is None:
            return await self._failed(run, DeliveryError.CHANNEL, f"digest channel {channel_id} not found", now)
        digest = await self.build(guild_id, run.kind, run.snapshot_at or now)
        parts = await self.render(digest)
        if run.parts_sent == 0 or moved:
            await store.start_digest_parts(run.id, channel_id, len(parts))
        sent = run.parts_sent
        for index in range(run.parts_sent, len(parts)):
            part = parts[index]
            first_here = moved and index == run.parts_sent
            with language(self.ctx.settings.digest_language):
                moved_note = continued_elsewhere(run.kind, run.parts_sent, len(parts)) if first_here else None
            try:
                message = await channel.send(
                    moved_note,
                    embeds=part.embeds,
                    files=part.discord_files() or discord.utils.MISSING,
                    allowed_mentions=NO_MENTIONS,
                    nonce=retry_safe_nonce(run.id, index, int(run.due_at.timestamp())),
                )
            except DISCORD_FAILURES as exc:  # refused, gone, failed or unanswered: each retried after its backoff
                kind, said = failure_kind(exc), failure_text(exc)
                log.warning("guild %s: the %s digest in %s: %s (%s)", guild_id, run.kind, channel_id, kind, said)
                return await self._failed(run, kind, said, now, sent, len(parts))
            await store.record_digest_part(run.id, index, channel_id, message.id)
            sent = index + 1
        await store.mark_digest_posted(run.id, now)
        log.info("guild %s: posted the %s digest due %s in %d message(s)", guild_id, run.kind, run.due_at, len(parts))
        return Delivery(True, sent, len(parts))

    async def _failed(
        self, run: RunState, kind: DeliveryError, error: str, now: datetime, sent: int = 0, total: int = 0
    ) -> Delivery:
        retry_at = now + retry_delay(run.attempts + 1)
        await self.ctx.store.mark_digest_failed(run.id, kind, error, retry_at, now)
        return Delivery(False, sent, total, kind, error, retry_at)
