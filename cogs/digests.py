"""`/digest channel|preview|post|schedule`: organisers choose where digests go, look at them, post them now.

The scheduled posting itself is DigestDelivery (cogs/digest_delivery.py), appended to the
bot's due work here; the weekly CronTrigger only wakes the tick, which decides what is due.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from apscheduler.triggers.cron import CronTrigger
from discord import app_commands
from discord.ext import commands

from bot.interactions import UserError, answer_user_errors, is_facilitator, reply
from bot.render.digest_discord import schedule_embed, stamp
from bot.render.wording import delivery_advice, digest_name
from bot.times import WEEKDAYS
from cogs.digest_delivery import NO_MENTIONS, DigestDelivery

if TYPE_CHECKING:
    from bot.app import ConcordBot

log = logging.getLogger(__name__)
WEEKLY_JOB = "concord-weekly-digest"
Kind = Literal["before", "after", "weekly"]
NEEDED = ("view_channel", "send_messages", "embed_links", "attach_files")


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class DigestCog(
    commands.GroupCog, name="Digests", group_name="digest", group_description="Organisers: digests of the discussion"
):
    def __init__(self, bot: ConcordBot) -> None:
        self.bot = bot
        self.delivery = DigestDelivery(bot)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.due_work.append(self.delivery)
        weekly, scheduler = self.delivery.plan.weekly, self.bot.scheduler
        if weekly is not None:
            trigger = CronTrigger(
                day_of_week=WEEKDAYS[weekly.weekday],
                hour=weekly.at.hour,
                minute=weekly.at.minute,
                timezone=self.delivery.plan.zone,
            )
            scheduler.add_recurring(WEEKLY_JOB, trigger)

    async def cog_unload(self) -> None:
        if self.delivery in self.bot.due_work:
            self.bot.due_work.remove(self.delivery)
        self.bot.scheduler.remove_recurring(WEEKLY_JOB)

    def _require_organiser(self, interaction: discord.Interaction) -> int:
        role = self.bot.settings.discord.organiser_role
        if interaction.guild_id is None or not is_facilitator(interaction, role):
            raise UserError(f"Sorry, only organisers (the “{role}” role, or Manage Server) can manage digests.")
        return interaction.guild_id

    @app_commands.command(name="channel", description="Choose the channel where this server's digests are posted")
    @app_commands.describe(channel="The text channel for digests (the bot must be able to post there)")
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await answer_user_errors(interaction, self._set_channel(interaction, channel))

    async def _set_channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild_id = self._require_organiser(interaction)
        me = channel.guild.me
        permissions = channel.permissions_for(me) if me is not None else discord.Permissions.none()
        missing = [name.replace("_", " ").title() for name in NEEDED if not getattr(permissions, name)]
        if missing:
            raise UserError(
                f"I can't post digests in {channel.mention}: I am missing {', '.join(missing)} there. "
                "Give me those permissions (or pick another channel) and run `/digest channel` again. "
                "Nothing was changed."
            )
        await self.bot.store.set_digest_channel(guild_id, channel.id, interaction.user.id, self.bot.clock())
        await reply(
            interaction,
            f"Digests for this server will be posted in {channel.mention}. See what is coming with `/digest schedule`.",
        )

    @app_commands.command(name="preview", description="See a digest as it would be posted now (only you see it)")
    @app_commands.describe(kind="Which digest to preview")
    async def preview(self, interaction: discord.Interaction, kind: Kind) -> None:
        await answer_user_errors(interaction, self._preview(interaction, kind))

    async def _preview(self, interaction: discord.Interaction, kind: str) -> None:
        guild_id = self._require_organiser(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self.delivery.build(guild_id, kind, self.bot.clock())
        for part in await self.delivery.render(digest):
            await interaction.followup.send(
                embeds=part.embeds,
                files=part.discord_files() or discord.utils.MISSING,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @app_commands.command(name="post", description="Post a digest now in the digest channel (recorded)")
    @app_commands.describe(kind="Which digest to post")
    async def post(self, interaction: discord.Interaction, kind: Kind) -> None:
        await answer_user_errors(interaction, self._post(interaction, kind))

    async def _post(self, interaction: discord.Interaction, kind: str) -> None:
        guild_id = self._require_organiser(interaction)
        config = await self.bot.store.get_digest_channel(guild_id)
        if config is None:
            raise UserError("There is no digest channel yet: choose one with `/digest channel` first.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock()
        result = await self.delivery.deliver(guild_id, kind, now, now, manual=True)
        if result.posted:
            count = f"{result.parts_total} message{'s' if result.parts_total != 1 else ''}"
            await reply(interaction, f"Posted the {digest_name(kind).lower()} in <#{config.channel_id}> ({count}).")
        elif result.error_kind:
            retry = stamp(result.retry_at, "R") if result.retry_at else "later"
            await reply(
                interaction,
                f"Could not post the {digest_name(kind).lower()}: {delivery_advice(result.error_kind)}. "
                f"It will be retried automatically ({retry}); `/digest schedule` shows how it goes.",
            )
        else:
            await reply(interaction, "That digest has just been posted; nothing was posted twice.")

    @app_commands.command(name="schedule", description="The next digests, and any missed or failed ones")
    async def schedule(self, interaction: discord.Interaction) -> None:
        await answer_user_errors(interaction, self._schedule(interaction))

    async def _schedule(self, interaction: discord.Interaction) -> None:
        guild_id = self._require_organiser(interaction)
        store, plan = self.bot.store, self.delivery.plan
        config = await store.get_digest_channel(guild_id)
        upcoming = plan.upcoming(self.bot.clock())
        if config is not None:
            since = self.delivery.window_start(config.configured_at)
            upcoming = [occurrence for occurrence in upcoming if occurrence.due_at >= since]
        runs = await store.digest_runs(guild_id)
        embed = schedule_embed(config.channel_id if config else None, upcoming, runs, plan.grace)
        await reply(interaction, embed=embed)
