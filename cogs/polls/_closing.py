"""Closing polls and posting closing-soon notices: the polls' DueWork, run by the bot's tick (and /poll close).

What is due comes from bot.core.poll_schedule over the stored polls; this module only does the
Discord calls and records each outcome, so a failed call leaves its step due (with backoff) and a
step that succeeded is never repeated. Every failure counts, timeouts included, and is recorded with
its kind (`failure_kind`), which `/poll list`, `/poll results` and `/poll close` show facilitators
with the next retry. A post whose answer was lost is retried with the same nonce, so Discord returns
the message it already posted.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.context import Context
from bot.core.poll_schedule import DueKind, due_actions, next_due
from bot.core.polls import PollInfo
from bot.core.polls import results as tally
from bot.i18n import language
from bot.interactions import DISCORD_FAILURES, failure_kind, failure_text, retry_safe_nonce
from bot.render.discord import polls as render
from bot.scheduling import retry_delay
from cogs.polls._buttons import PollButton, poll_view
from cogs.polls._voting import VoteService

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
GONE = 0  # recorded instead of a message id when the channel no longer exists: nothing left to post
UNKNOWN_CHANNEL = 10003  # Discord's code for a channel that no longer exists
VOTE_GRACE = 10.0  # seconds a seal waits for votes already received; a slower one is refused (politely)


class PollClosing:
    """DueWork for polls. `lock` keeps one closing at a time, whether from a tick or /poll close."""

    name = "polls"

    def __init__(self, client: discord.Client, ctx: Context, voting: VoteService, button: type[PollButton]) -> None:
        self.client = client
        self.ctx = ctx
        self.voting = voting
        self.button = button
        self.lock = asyncio.Lock()

    async def _seal(self, poll_id: int, now: datetime) -> bool:
        """Seal the poll once the votes already received are stored; votes arriving later are refused.

        A click received before the deadline may still be waiting for Discord (the deferral) or for
        the database (a burst) when the tick seals the poll; without the wait it would be refused
        although it came in time.
        """
        await self.voting.wait_for_votes(poll_id, VOTE_GRACE)
        return await self.ctx.store.close_poll(poll_id, now, self.ctx.settings.privacy.min_group)

    @property
    def lead(self) -> timedelta:
        return self.ctx.settings.polls.closing_soon

    async def run_due(self, now: datetime) -> None:
        async with self.lock:
            for action in due_actions(await self.ctx.store.polls_with_due_work(), now, self.lead):
                try:
                    if action.kind is DueKind.CLOSING_SOON:
                        await self.post_closing_soon(action.poll, now)
                        continue
                    if action.kind is DueKind.CLOSE:
                        await self._seal(action.poll.id, now)
                    await self.deliver_closing(action.poll.id, now)
                except Exception as exc:  # a bug, or the database: log it, and retry later with backoff
                    log.exception("poll %s: %s failed; it stays due", action.poll.id, action.kind)
                    await self._record_failure(action.kind, action.poll, now, exc)

    async def next_due(self, now: datetime) -> datetime | None:
        return next_due(await self.ctx.store.polls_with_due_work(), now, self.lead)

    async def _record_failure(self, kind: DueKind, poll: PollInfo, now: datetime, error: BaseException) -> None:
        """Leave the step due again after a backoff (1, 2, 4... minutes, at most an hour)."""
        soon = kind is DueKind.CLOSING_SOON
        attempts = (poll.soon_attempts if soon else poll.close_attempts) + 1
        retry_at = now + retry_delay(attempts)
        record = self.ctx.store.record_closing_soon_failure if soon else self.ctx.store.record_close_failure
        log.warning("poll %s: %s failed (%s); retry at %s", poll.id, kind, failure_text(error), retry_at)
        try:
            await record(poll.id, attempts, retry_at, failure_text(error), failure_kind(error))
        except Exception:
            log.exception("poll %s: could not even record the failure", poll.id)

    async def close_now(self, poll_id: int, now: datetime) -> PollInfo | None:
        """/poll close: seal and deliver at once, exactly as the deadline would; the poll as it then stands."""
        async with self.lock:
            await self._seal(poll_id, now)
            await self.deliver_closing(poll_id, now)
        return await self.ctx.store.get_poll_by_id(poll_id)

    def public_language(self, poll: PollInfo) -> str:
        """The language of the poll's public messages: its own, else the forum's."""
        return poll.language or self.ctx.settings.forum.language

    def theme_title(self, poll: PollInfo) -> str | None:
        """The title of the poll's theme, for the poll message (None when it has none)."""
        theme = self.ctx.settings.theme(poll.theme) if poll.theme else None
        return theme.title if theme else None

    def _channel(self, poll: PollInfo) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(poll.channel_id, guild_id=poll.guild_id)

    def _reply_to(self, poll: PollInfo) -> dict[str, Any]:
        """`send` arguments that make a message a reply to the poll message (none once it has no message)."""
        if poll.message_id is None:
            return {}
        reference = discord.MessageReference(
            message_id=poll.message_id, channel_id=poll.channel_id, guild_id=poll.guild_id, fail_if_not_exists=False
        )
        return {"reference": reference}

    async def deliver_closing(self, poll_id: int, now: datetime) -> bool:
        """Show a sealed poll as closed: disable its buttons, then post the results in reply, each step once.

        Each step is recorded as soon as it succeeds, so a retry (next tick, after backoff) only
        does what is left: the results reply is never posted twice. Returns True when both are done.
        """
        poll = await self.ctx.store.get_poll_by_id(poll_id)
        if poll is None or poll.closed_at is None:
            return False
        with language(self.public_language(poll)):
            store, channel, failures = self.ctx.store, self._channel(poll), []
            if not poll.close_edited:
                try:
                    if poll.message_id is not None:
                        await channel.get_partial_message(poll.message_id).edit(
                            embed=render.poll_embed(poll, self.theme_title(poll)),
                            view=poll_view(poll, self.button, disabled=True),
                            allowed_mentions=NO_MENTIONS,
                        )
                    await store.record_close_step(poll.id, edited=True)
                except discord.NotFound:  # the poll message was deleted: nothing left to disable
                    await store.record_close_step(poll.id, edited=True)
                except DISCORD_FAILURES as exc:
                    failures.append(exc)
            if poll.results_message_id is None:
                try:
                    shown = tally(await store.poll_counts(poll), poll.options, self.ctx.settings.privacy.min_group)
                    message = await channel.send(
                        render.closed_text(poll),
                        embed=render.results_embed(poll, shown, self.ctx.settings.privacy.min_group),
                        **self._reply_to(poll),
                        allowed_mentions=NO_MENTIONS,
                        nonce=retry_safe_nonce(f"poll{poll.id}", "results"),
                    )
                    await store.record_close_step(poll.id, results_message_id=message.id)
                except discord.NotFound as exc:
                    if exc.code != UNKNOWN_CHANNEL:
                        failures.append(exc)
                    else:  # the channel is gone: the results stay available via /poll results
                        log.warning("poll %s: its channel is gone; results not posted", poll.id)
                        await store.record_close_step(poll.id, results_message_id=GONE)
                except DISCORD_FAILURES as exc:
                    failures.append(exc)
            if failures:
                await self._record_failure(DueKind.DELIVER, poll, now, failures[0])
            return not failures

    async def post_closing_soon(self, poll: PollInfo, now: datetime) -> None:
        with language(self.public_language(poll)):
            try:
                message = await self._channel(poll).send(
                    render.closing_soon_text(poll),
                    **self._reply_to(poll),
                    allowed_mentions=NO_MENTIONS,
                    nonce=retry_safe_nonce(f"poll{poll.id}", "soon"),
                )
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_CHANNEL:
                    await self._record_failure(DueKind.CLOSING_SOON, poll, now, exc)
                else:
                    await self.ctx.store.record_closing_soon(poll.id, GONE)
                return
            except DISCORD_FAILURES as exc:
                await self._record_failure(DueKind.CLOSING_SOON, poll, now, exc)
                return
            await self.ctx.store.record_closing_soon(poll.id, message.id)
