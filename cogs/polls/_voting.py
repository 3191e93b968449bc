"""The vote service: the one owner of a vote, a retraction, and the votes received but not yet stored.

The buttons call `click`; the burst tests and the bench call `record_vote` directly; the closing
work asks `wait_for_votes` before it seals a poll, so a vote received before the deadline is
counted even if the database (in a burst) or Discord (the deferral) kept it waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import discord

from bot.context import Context
from bot.core.polls import Click, PollInfo, VoteOutcome, VoteRefusal
from bot.interactions import UserError, guild_id_of, reply
from bot.render.discord import polls as render
from bot.store import WriteFailed

log = logging.getLogger(__name__)


class VoteService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._received: dict[int, set[asyncio.Future[None]]] = {}  # poll id -> votes received, not yet stored

    @contextmanager
    def _in_flight(self, poll_id: int) -> Iterator[None]:
        """Mark a vote as received: the poll's seal waits for it (see `wait_for_votes`)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        pending = self._received.setdefault(poll_id, set())
        pending.add(done)
        try:
            yield
        finally:
            done.set_result(None)
            pending.discard(done)
            if not pending:
                self._received.pop(poll_id, None)

    async def wait_for_votes(self, poll_id: int, grace: float) -> None:
        """Wait (at most `grace` seconds) until every vote already received on this poll is stored."""
        pending = self._received.get(poll_id)
        if pending:
            await asyncio.wait(set(pending), timeout=grace)

    async def click(self, interaction: discord.Interaction, poll_id: int, choice: int | None) -> None:
        """A click on a poll button: acknowledged at once (in a burst the vote may wait for the database
        longer than Discord's 3-second window), counted as of its arrival, confirmed privately."""
        now = self.ctx.now()
        guild_id, user_id = guild_id_of(interaction), interaction.user.id
        with self._in_flight(poll_id):
            await interaction.response.defer(ephemeral=True, thinking=True)
            if choice is None:
                poll, previous = await self._retract(guild_id, poll_id, user_id, now)
                text = render.retract_text(poll, previous)
            else:
                poll, click = await self._vote(guild_id, poll_id, user_id, choice, now)
                text = render.vote_text(poll, click)
        await reply(interaction, text)

    async def record_vote(
        self, guild_id: int, poll_id: int, user_id: int, position: int, now: datetime | None = None
    ) -> tuple[PollInfo, Click]:
        """Record one click on an answer received at `now` (default: the clock's now)."""
        now = now or self.ctx.now()
        with self._in_flight(poll_id):
            return await self._vote(guild_id, poll_id, user_id, position, now)

    async def retract_vote(
        self, guild_id: int, poll_id: int, user_id: int, now: datetime | None = None
    ) -> tuple[PollInfo, frozenset[int]]:
        now = now or self.ctx.now()
        with self._in_flight(poll_id):
            return await self._retract(guild_id, poll_id, user_id, now)

    async def _vote(
        self, guild_id: int, poll_id: int, user_id: int, position: int, now: datetime
    ) -> tuple[PollInfo, Click]:
        outcome = await self._click(guild_id, poll_id, user_id, position, now)
        assert outcome.poll is not None and outcome.click is not None
        return outcome.poll, outcome.click

    async def _retract(
        self, guild_id: int, poll_id: int, user_id: int, now: datetime
    ) -> tuple[PollInfo, frozenset[int]]:
        outcome = await self._click(guild_id, poll_id, user_id, None, now)
        assert outcome.poll is not None and outcome.previous is not None
        return outcome.poll, outcome.previous

    async def _click(self, guild_id: int, poll_id: int, user_id: int, choice: int | None, now: datetime) -> VoteOutcome:
        """One store operation, which also decides whether the poll still takes votes (so a vote and the seal
        never overlap); it returns once the vote is committed (concurrent clicks share one commit). A secret
        poll's voter key is computed there from the server secret (see bot/core/ballot_keys.py)."""
        try:
            outcome = await self.ctx.store.vote(guild_id, poll_id, user_id, choice, now, self.ctx.ballot_keys)
        except WriteFailed:
            log.exception("poll %s: a vote could not be stored", poll_id)
            raise UserError(render.vote_not_stored()) from None
        if outcome.refused is VoteRefusal.GONE or outcome.poll is None:
            raise UserError(render.poll_gone())
        if outcome.refused is VoteRefusal.ELSEWHERE:
            raise UserError(render.poll_elsewhere())
        if outcome.refused is VoteRefusal.CLOSED:
            raise UserError(render.closed_vote_text(outcome.poll))
        if outcome.refused is VoteRefusal.NO_SUCH_ANSWER:
            raise UserError(render.no_such_answer())
        return outcome

    async def own_vote(self, poll: PollInfo, user_id: int) -> frozenset[int] | None:
        """The answers this member chose on the poll now, or None once that can no longer be told: a secret
        poll's ballots are linked to a member only through its key, which is erased at close."""
        if not poll.secret:
            return await self.ctx.store.voter_choices(poll.id, user_id)
        seed = await self.ctx.store.poll_ballot_seed(poll.id)
        if seed is None:
            return None
        return await self.ctx.store.voter_choices(poll.id, self.ctx.ballot_keys.voter_key(poll.id, seed, user_id))
