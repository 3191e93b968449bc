"""`/profile set`, `/profile language` and `/profile show`: the stakeholder group and region a participant's
positions count under, and the language Concord answers them in."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.forum import REGIONS, STAKEHOLDERS
from bot.i18n import language as in_language
from bot.interaction_language import LANGUAGE_CHOICES
from bot.interactions import UserError, answered, guild_id_of, reply
from bot.languages import LANGUAGES
from bot.render.discord import replies
from bot.render.discord import themes as render
from bot.render.wording import region_choices, stakeholder_choices

STAKEHOLDER_CHOICES = [app_commands.Choice(name=label, value=key) for label, key in stakeholder_choices()]
REGION_CHOICES = [app_commands.Choice(name=label, value=key) for label, key in region_choices()]


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class ProfileCog(commands.GroupCog, group_name="profile", group_description="Your stakeholder group and region"):
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx
        super().__init__()

    @app_commands.command(name="set", description="Say which stakeholder group (and region) you speak from")
    @app_commands.describe(stakeholder="Your stakeholder group", region="Your UN regional group (optional)")
    @app_commands.choices(stakeholder=STAKEHOLDER_CHOICES, region=REGION_CHOICES)
    @answered
    async def set_profile(self, interaction: discord.Interaction, stakeholder: str, region: str | None = None) -> None:
        if stakeholder not in STAKEHOLDERS or (region is not None and region not in REGIONS):
            raise UserError(render.not_a_listed_group())
        guild_id = guild_id_of(interaction)
        await self.ctx.store.set_profile(guild_id, interaction.user.id, stakeholder, region, self.ctx.now())
        await reply(interaction, render.profile_saved(stakeholder, region))

    @app_commands.command(name="language", description="The language Concord answers you in, in this server")
    @app_commands.describe(language="Your language (each is listed under its own name)")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @answered
    async def set_language(self, interaction: discord.Interaction, language: str) -> None:
        if language not in LANGUAGES:
            raise UserError(replies.invalid_value(language))
        guild_id = guild_id_of(interaction)
        await self.ctx.store.set_member_language(guild_id, interaction.user.id, language, self.ctx.now())
        with in_language(language):
            await reply(interaction, render.language_saved(language))

    @app_commands.command(name="show", description="Show your stakeholder group, region and language")
    @answered
    async def show_profile(self, interaction: discord.Interaction) -> None:
        guild_id, user_id = guild_id_of(interaction), interaction.user.id
        profile = await self.ctx.store.get_profile(guild_id, user_id)
        mine = render.my_positions_embed(self.ctx.settings.themes, await self.ctx.store.positions_of(guild_id, user_id))
        text = render.profile_text(profile.stakeholder if profile else None, profile.region if profile else None)
        text += "\n" + render.language_line(await self.ctx.store.member_language(guild_id, user_id))
        await reply(interaction, text, embed=mine)
