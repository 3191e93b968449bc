"""The question `/digest post` asks before posting a kind of digest posted less than a day ago.

A short-lived view (not a persistent one): its answer matters only for the next minutes, and one left
unanswered (or cut off by a restart) posts nothing, which is the safe outcome. Only the organiser who
asked may answer it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.interactions import DISCORD_FAILURES, answered, reply
from bot.render.discord import digests as render

CONFIRM_SECONDS = 120.0


class RepostConfirmation(discord.ui.View):
    def __init__(
        self,
        organiser_id: int,
        post: Callable[[discord.Interaction], Awaitable[None]],
        timeout: float = CONFIRM_SECONDS,
    ) -> None:
        super().__init__(timeout=timeout)
        self.organiser_id = organiser_id
        self._post = post
        self._decided = False
        self.message: discord.InteractionMessage | None = None
        again: discord.ui.Button[Any] = discord.ui.Button(label=render.repost_label(), style=discord.ButtonStyle.danger)
        cancel: discord.ui.Button[Any] = discord.ui.Button(
            label=render.repost_cancel_label(), style=discord.ButtonStyle.secondary
        )
        again.callback = self._confirm  # type: ignore[method-assign]
        cancel.callback = self._cancel  # type: ignore[method-assign]
        self.add_item(again)
        self.add_item(cancel)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.organiser_id:
            return True
        await reply(interaction, render.repost_not_yours())
        return False

    def _decide(self) -> bool:
        """True the first time only: a second click (a double click) does nothing."""
        if self._decided:
            return False
        self._decided = True
        self.stop()
        return True

    @answered
    async def _confirm(self, interaction: discord.Interaction) -> None:
        if not self._decide():
            await reply(interaction, render.repost_decided())
            return
        await interaction.response.edit_message(content=render.reposting(), view=None)
        await self._post(interaction)

    @answered
    async def _cancel(self, interaction: discord.Interaction) -> None:
        if not self._decide():
            await reply(interaction, render.repost_decided())
            return
        await interaction.response.edit_message(content=render.repost_cancelled(), view=None)

    async def on_timeout(self) -> None:
        if self._decided or self.message is None:
            return
        self._decided = True
        with contextlib.suppress(*DISCORD_FAILURES):  # the question may be gone; nothing was posted anyway
            await self.message.edit(content=render.repost_expired(), view=None)
