"""`/profile set` and `/profile show`: the stakeholder group and region a participant's positions count under."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.forum import REGIONS, STAKEHOLDERS
from bot.interactions import reply
from bot.render.themes import my_positions_embed
from bot.render.wording import group_label, region_choices, stakeholder_choices

if TYPE_CHECKING:
    from bot.app import ConcordBot

STAKEHOLDER_CHOICES = [app_commands.Choice(name=label, value=key) for label, key in stakeholder_choices()]
REGION_CHOICES = [app_commands.Choice(name=label, value=key) for label, key in region_choices()]


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class ProfileCog(commands.GroupCog, group_name="profile", group_description="Your stakeholder group and region"):
    def __init__(self, bot: ConcordBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="set", description="Say which stakeholder group (and region) you speak from")
    @app_commands.describe(stakeholder="Your stakeholder group", region="Your UN regional group (optional)")
    @app_commands.choices(stakeholder=STAKEHOLDER_CHOICES, region=REGION_CHOICES)
    async def set_profile(self, interaction: discord.Interaction, stakeholder: str, region: str | None = None) -> None:
        if stakeholder not in STAKEHOLDERS or (region is not None and region not in REGIONS):
            await reply(interaction, "Sorry, that is not one of the listed stakeholder groups or regions.")
            return
        await self.bot.store.set_profile(
            interaction.guild_id or 0, interaction.user.id, stakeholder, region, self.bot.clock()
        )
        where = f", {group_label(region)}" if region else ""
        await reply(
            interaction,
            f"Profile saved: **{group_label(stakeholder)}{where}**. "
            "All your positions in this server now count under this group.",
        )

    @app_commands.command(name="show", description="Show your stakeholder group and region")
    async def show_profile(self, interaction: discord.Interaction) -> None:
        guild_id, user_id = interaction.guild_id or 0, interaction.user.id
        profile = await self.bot.store.get_profile(guild_id, user_id)
        mine = my_positions_embed(self.bot.settings.themes, await self.bot.store.positions_of(guild_id, user_id))
        if profile is None:
            text = "You have no profile yet, so your positions count as **undeclared**. Set one with `/profile set`."
        else:
            region = group_label(profile.region) if profile.region else "not given"
            text = f"Stakeholder group: **{group_label(profile.stakeholder)}**\nRegion: **{region}**"
        await reply(interaction, text, embed=mine)
