"""What members' reports and facilitators' actions do: record them, tell the author of a hidden statement
why (a closed DM is recorded in the log and fails nothing), and answer in words from the renderer."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.context import Context
from bot.core.moderation import Moderated, ModerationAction, ModerationOutcome, Reported, clean_reason
from bot.i18n import N_
from bot.interactions import (
    DISCORD_FAILURES,
    Gate,
    UserError,
    confirm,
    failure_text,
    guild_id_of,
    refusal,
    reply,
    retry_safe_nonce,
    send_reconciled,
)
from bot.render.discord import discuss as discuss_render
from bot.render.discord import moderation as render
from cogs.moderation._forms import hide_form, report_form

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
MODERATE = N_("moderate statements")


class ModerationService:
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx

    def check_facilitator(self, interaction: discord.Interaction) -> None:
        """Buttons and forms are not slash commands, so the tree's gate does not see them: checked here."""
        refused = refusal(interaction, self.ctx.settings, Gate.FACILITATOR, MODERATE)
        if refused is not None:
            raise UserError(refused)

    async def open_report(self, interaction: discord.Interaction, statement_id: int) -> None:
        """The Report button: the form, for a statement of this server shown today."""
        guild_id = guild_id_of(interaction)
        statement = await self.ctx.store.statement(guild_id, statement_id)
        if statement is None:
            raise UserError(discuss_render.not_here())
        if await self.ctx.store.has_reported(guild_id, statement_id, interaction.user.id):
            raise UserError(render.reported(Reported.ALREADY, statement.number))
        await interaction.response.send_modal(report_form(statement_id, statement.number))

    async def report(self, interaction: discord.Interaction, statement_id: int, reason: str | None) -> None:
        guild_id = guild_id_of(interaction)
        statement = await self.ctx.store.statement(guild_id, statement_id)
        if statement is None:
            raise UserError(discuss_render.not_here())
        outcome = await self.ctx.store.report_statement(
            guild_id, statement_id, interaction.user.id, clean_reason(reason), self.ctx.now()
        )
        await reply(interaction, render.reported(outcome, statement.number))

    async def open_hide(self, interaction: discord.Interaction, number: int) -> None:
        self.check_facilitator(interaction)
        guild_id_of(interaction)
        await interaction.response.send_modal(hide_form(number))

    async def act(
        self, interaction: discord.Interaction, number: int, action: ModerationAction, reason: str | None = None
    ) -> None:
        """Hide, restore or keep by number, then (for a hide) tell the author why."""
        guild_id = guild_id_of(interaction)
        cleaned = clean_reason(reason)
        if action is ModerationAction.HIDE and cleaned is None:
            raise UserError(render.need_reason())
        if action is ModerationAction.HIDE:
            # Acknowledged before anything is recorded: should Discord fail this, nothing is hidden; once hidden,
            # the author's DM is always tried and its outcome recorded.
            await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.ctx.store.moderate(guild_id, number, action, interaction.user.id, cleaned, self.ctx.now())
        text = render.moderated(outcome.result, action, number)
        if outcome.result is not Moderated.DONE:
            await reply(interaction, text)
            return
        if action is ModerationAction.HIDE and cleaned is not None:
            told = await self._tell_author(interaction, outcome, cleaned)
            text = f"{text}\n{render.author_told(told)}"
        await confirm(interaction, text, again=text)  # done: a failed answer must not read as "not done"

    async def _tell_author(self, interaction: discord.Interaction, outcome: ModerationOutcome, reason: str) -> bool:
        assert outcome.action_id is not None and outcome.author_id is not None and outcome.number is not None
        theme = self.ctx.settings.theme(outcome.theme or "")
        guild_name = interaction.guild.name if interaction.guild is not None else ""
        message = render.author_dm(guild_name, theme.title if theme else outcome.theme or "", outcome.number, reason)
        try:
            user = self.bot.get_user(outcome.author_id) or await self.bot.fetch_user(outcome.author_id)
            # Retried once at once with the same nonce when the answer is lost, so the author is told once.
            nonce = retry_safe_nonce("hide", outcome.action_id)
            await send_reconciled(user, nonce=nonce, content=message, allowed_mentions=NO_MENTIONS)
            told = True
        except DISCORD_FAILURES as exc:
            log.info(
                "guild %s: the author of statement %s could not be told (%s)",
                guild_id_of(interaction),
                outcome.number,
                failure_text(exc),
            )
            told = False
        await self.ctx.store.record_author_told(outcome.action_id, told)
        return told
