"""`/help`: a short guide to what the caller may do here; facilitators and organisers also see their part."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.interactions import answered, guild_id_of, is_facilitator, reply
from bot.render.discord.help import help_embed


class HelpCog(commands.Cog, name="Help"):
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx

    @app_commands.command(name="help", description="How to take part in this forum: the commands you can use")
    @app_commands.guild_only()
    @answered
    async def help(self, interaction: discord.Interaction) -> None:
        guild_id_of(interaction)
        roles = self.ctx.settings.discord
        embed = help_embed(
            self.ctx.settings.session,
            self.ctx.settings.themes,
            facilitator=is_facilitator(interaction, roles.facilitator_role),
            organiser=is_facilitator(interaction, roles.organiser_role),
        )
        await reply(interaction, embed=embed)
