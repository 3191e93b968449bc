"""`/moderate queue|hide|restore|log`: facilitators' moderation of statements, per server, thin glue over
the moderation service. The Report button lives in discuss (cogs/themes/_discuss.py); its form and the
queue's Hide form are answered here."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.core.moderation import MAX_REASON, ModerationAction
from bot.interactions import Gate, answered, gated, guild_id_of, reply, submitted_value
from bot.render.discord import moderation as render
from cogs.moderation._buttons import QueueButton, queue_view
from cogs.moderation._forms import HIDE_FORM, REASON_FIELD, REPORT_FORM
from cogs.moderation._service import MODERATE, ModerationService

QUEUE_SHOWN = 5  # statements per queue message: one embed and one row of buttons each
LOG_SHOWN = 20


@app_commands.guild_only()
class ModerationCog(
    commands.GroupCog, name="Moderation", group_name="moderate", group_description="Facilitators' moderation"
):
    def __init__(self, bot: commands.Bot, ctx: Context, service: ModerationService) -> None:
        self.bot = bot
        self.ctx = ctx
        self.service = service
        self.button = QueueButton.bound_to(service)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(self.button)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(self.button)

    @gated(Gate.FACILITATOR, MODERATE)
    @app_commands.command(name="queue", description="Reported statements, most reports first (facilitators)")
    @answered
    async def queue(self, interaction: discord.Interaction) -> None:
        items = await self.ctx.store.report_queue(guild_id_of(interaction), QUEUE_SHOWN)
        if not items:
            await reply(interaction, render.queue_empty())
            return
        embeds = [render.queue_embed(item, self._title(item.theme)) for item in items]
        view = queue_view(self.button, [item.number for item in items])
        await reply(interaction, render.queue_content(len(items)), embeds=embeds, view=view)

    @gated(Gate.FACILITATOR, MODERATE)
    @app_commands.command(name="hide", description="Hide a statement everywhere, with a reason (facilitators)")
    @app_commands.describe(statement="The statement's number (#N)", reason="Why: the author is told")
    @answered
    async def hide(
        self,
        interaction: discord.Interaction,
        statement: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, MAX_REASON],
    ) -> None:
        await self.service.act(interaction, statement, ModerationAction.HIDE, reason)

    @gated(Gate.FACILITATOR, MODERATE)
    @app_commands.command(name="restore", description="Show a hidden statement again (facilitators)")
    @app_commands.describe(statement="The statement's number (#N)")
    @answered
    async def restore(self, interaction: discord.Interaction, statement: app_commands.Range[int, 1]) -> None:
        await self.service.act(interaction, statement, ModerationAction.RESTORE)

    @gated(Gate.FACILITATOR, MODERATE)
    @app_commands.command(name="log", description="Recent moderation actions: who, when, what, why (facilitators)")
    @answered
    async def log(self, interaction: discord.Interaction) -> None:
        entries = await self.ctx.store.moderation_log(guild_id_of(interaction), LOG_SHOWN)
        if not entries:
            await reply(interaction, render.log_empty())
            return
        titles = {theme.slug: theme.title for theme in self.ctx.settings.themes}
        await reply(interaction, embed=render.log_embed(entries, titles))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer a submitted report or hide form, however long ago it was opened."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if (match := REPORT_FORM.fullmatch(custom_id)) is not None:
            await self.reported(interaction, int(match["statement"]))
        elif (match := HIDE_FORM.fullmatch(custom_id)) is not None:
            await self.hidden(interaction, int(match["number"]))

    @answered
    async def reported(self, interaction: discord.Interaction, statement_id: int) -> None:
        await self.service.report(interaction, statement_id, submitted_value(interaction.data, REASON_FIELD))

    @answered
    async def hidden(self, interaction: discord.Interaction, number: int) -> None:
        self.service.check_facilitator(interaction)
        reason = submitted_value(interaction.data, REASON_FIELD)
        await self.service.act(interaction, number, ModerationAction.HIDE, reason)

    def _title(self, slug: str) -> str:
        theme = self.ctx.settings.theme(slug)
        return theme.title if theme is not None else slug
