"""`/digest channel|preview|post|schedule`: organisers choose where digests go, look at them, post them now.

The scheduled posting itself is DigestDelivery (_delivery.py), added to the bot's due work here; the
weekly CronTrigger only wakes the tick, which decides what is due.
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from apscheduler.triggers.cron import CronTrigger
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.core.digest import posted_recently
from bot.core.schedule import DigestKind
from bot.i18n import N_
from bot.interactions import (
    DISCORD_FAILURES,
    Gate,
    UserError,
    answered,
    confirm,
    failure_text,
    gated,
    guild_id_of,
    missing_permissions,
    reply,
)
from bot.render.discord import digests as render
from bot.render.discord.digests import schedule_embed
from bot.times import WEEKDAYS
from cogs.digests._confirm import RepostConfirmation
from cogs.digests._delivery import NO_MENTIONS, DigestDelivery

log = logging.getLogger(__name__)
WEEKLY_JOB = "concord-weekly-digest"
Kind = Literal["before", "after", "weekly"]
NEEDED = ("view_channel", "send_messages", "embed_links", "attach_files")
MANAGE = N_("manage digests")


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class DigestCog(
    commands.GroupCog, name="Digests", group_name="digest", group_description="Organisers: digests of the discussion"
):
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx
        self.delivery = DigestDelivery(bot, ctx)
        super().__init__()

    async def cog_load(self) -> None:
        self.ctx.scheduling.add_due_work(self.delivery)
        weekly = self.delivery.plan.weekly
        if weekly is not None:
            trigger = CronTrigger(
                day_of_week=WEEKDAYS[weekly.weekday],
                hour=weekly.at.hour,
                minute=weekly.at.minute,
                timezone=self.delivery.plan.zone,
            )
            self.ctx.scheduling.add_recurring(WEEKLY_JOB, trigger)

    async def cog_unload(self) -> None:
        self.ctx.scheduling.remove_due_work(self.delivery)
        self.ctx.scheduling.remove_recurring(WEEKLY_JOB)

    @gated(Gate.ORGANISER, MANAGE)
    @app_commands.command(name="channel", description="Choose the channel where this server's digests are posted")
    @app_commands.describe(channel="The text channel for digests (the bot must be able to post there)")
    @answered
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild_id = guild_id_of(interaction)
        me = channel.guild.me
        permissions = channel.permissions_for(me) if me is not None else discord.Permissions.none()
        missing = missing_permissions(permissions, NEEDED)
        if missing:
            raise UserError(render.cannot_post_in(channel.mention, missing))
        await self.ctx.store.set_digest_channel(guild_id, channel.id, interaction.user.id, self.ctx.now())
        await reply(interaction, render.channel_chosen(channel.mention))

    @gated(Gate.ORGANISER, MANAGE)
    @app_commands.command(name="preview", description="See a digest as it would be posted now (only you see it)")
    @app_commands.describe(kind="Which digest to preview")
    @answered
    async def preview(self, interaction: discord.Interaction, kind: Kind) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self.delivery.build(guild_id, DigestKind(kind), self.ctx.now())
        for part in await self.delivery.render(digest, preview=True):
            await interaction.followup.send(
                embeds=part.embeds,
                files=part.discord_files() or discord.utils.MISSING,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @gated(Gate.ORGANISER, MANAGE)
    @app_commands.command(name="post", description="Post a digest now in the digest channel (recorded)")
    @app_commands.describe(kind="Which digest to post")
    @answered
    async def post(self, interaction: discord.Interaction, kind: Kind) -> None:
        guild_id = guild_id_of(interaction)
        config = await self.ctx.store.get_digest_channel(guild_id)
        if config is None:
            raise UserError(render.no_channel_yet())
        recent = posted_recently(await self.ctx.store.posted_digests(guild_id), DigestKind(kind), self.ctx.now())
        if recent is not None:
            view = RepostConfirmation(interaction.user.id, lambda clicked: self._post_now(clicked, kind))
            await reply(interaction, render.repost_question(DigestKind(kind), recent.snapshot_at), view=view)
            try:  # only so that an unanswered question can say it expired; the question itself was asked
                view.message = await interaction.original_response()
            except DISCORD_FAILURES as exc:
                log.info("guild %s: the repost question could not be read back (%s)", guild_id, failure_text(exc))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._post_now(interaction, kind)

    async def _post_now(self, interaction: discord.Interaction, kind: Kind) -> None:
        """Post the digest (the answer to the command, or to the confirmation's button, already begun)."""
        guild_id = guild_id_of(interaction)
        config = await self.ctx.store.get_digest_channel(guild_id)
        if config is None:
            raise UserError(render.no_channel_yet())
        now = self.ctx.now()
        result = await self.delivery.deliver(guild_id, DigestKind(kind), now, now, manual=True)
        # Recorded and (being) posted by now: the answer must never become an apology inviting a repeat.
        if result.posted:
            text = render.posted_now(DigestKind(kind), config.channel_id, result.parts_total)
        elif result.error_kind:
            text = render.post_failed(DigestKind(kind), result.error_kind, result.retry_at)
        else:
            text = render.posted_already()
        await confirm(interaction, text, again=render.post_outcome_again(DigestKind(kind), result.posted))

    @gated(Gate.ORGANISER, MANAGE)
    @app_commands.command(name="schedule", description="The next digests, and any missed or failed ones")
    @answered
    async def schedule(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        store, plan = self.ctx.store, self.delivery.plan
        config = await store.get_digest_channel(guild_id)
        upcoming = plan.upcoming(self.ctx.now())
        if config is not None:
            since = self.delivery.window_start(config.configured_at)
            upcoming = [occurrence for occurrence in upcoming if occurrence.due_at >= since]
        runs = await store.digest_runs(guild_id)
        embed = schedule_embed(config.channel_id if config else None, upcoming, runs, plan.grace)
        await reply(interaction, embed=embed)
