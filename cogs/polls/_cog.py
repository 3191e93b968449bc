"""`/poll create|close|results|list`: thin glue over the vote service (_voting.py) and the closing (_closing.py).

Creating a poll stores it (which hands out its number), then posts it; the two must agree, so a
poll is never stored without its message nor shown without its row:
- the channel's permissions are checked first, so a refusal is explained before anything is done;
- the message is sent with a nonce and, when Discord's answer is lost (a timeout, a server error),
  sent once more at once with the same nonce, which returns the message already posted rather
  than a second one (`send_reconciled`);
- if it still fails, the poll is discarded (its number handed back) and the facilitator told that
  nothing was saved; after a lost answer a late message may still appear, whose buttons then say the
  poll no longer exists;
- once posted, the confirmation can no longer fail into the generic apology: `confirm` tries it a
  second way and otherwise only logs, so nobody is invited to post the poll twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.core.polls import MAX_OPTIONS, PollInfo, PollInputError, clean_question, parse_options
from bot.core.polls import results as tally
from bot.i18n import N_
from bot.i18n import language as in_language
from bot.interaction_language import LANGUAGE_CHOICES
from bot.interactions import (
    DISCORD_FAILURES,
    Gate,
    UserError,
    answered,
    confirm,
    failure_kind,
    failure_text,
    gated,
    guild_id_of,
    missing_permissions,
    outcome_unknown,
    reply,
    retry_safe_nonce,
    send_reconciled,
)
from bot.languages import LANGUAGES
from bot.render.charts import poll_chart_png
from bot.render.discord import polls as render
from bot.render.discord.files import chart_file
from bot.render.discord.limits import clip
from bot.render.wording import poll_problem
from cogs.polls._buttons import PollButton, poll_view
from cogs.polls._closing import PollClosing
from cogs.polls._voting import VoteService

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
COG_NAME = "Polls"
# What `options` may hold, checked by Discord before the bot sees it: ten answers of 55 characters,
# their nine separators and room for the spaces people type around them.
MAX_OPTIONS_TEXT = 600
# What the bot needs in the poll's channel: to post the embed, and to reply to it (closing soon, results).
NEEDED = ("view_channel", "send_messages", "embed_links", "read_message_history")
NEEDED_IN_THREADS = ("view_channel", "send_messages_in_threads", "embed_links", "read_message_history")


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class PollCog(commands.GroupCog, name=COG_NAME, group_name="poll", group_description="Facilitators' quick polls"):
    def __init__(self, bot: commands.Bot, ctx: Context) -> None:
        self.bot = bot
        self.ctx = ctx
        self.voting = VoteService(ctx)
        self.button = PollButton.bound_to(self.voting)
        self.closing = PollClosing(bot, ctx, self.voting, self.button)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(self.button)
        self.ctx.scheduling.add_due_work(self.closing)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(self.button)
        self.ctx.scheduling.remove_due_work(self.closing)

    @gated(Gate.FACILITATOR, N_("create polls"))
    @app_commands.command(name="create", description="Post a poll in this channel (facilitators)")
    @app_commands.describe(
        question="The question (up to 300 characters)",
        options="2 to 10 answers separated by ';', each up to 55 characters, e.g. Yes; No; Not yet",
        hours="How long the poll stays open, in hours (1-768, default 24)",
        theme="The forum theme it belongs to (optional)",
        secret="Secret ballot: no Discord id is stored with the votes (default: no)",
        hide_results="Hide results until the poll closes (default: yes)",
        max_choices="How many answers each person may choose (1-10, default 1)",
        language="The language of this poll's public messages (default: the forum's)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @answered
    async def create(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 300],
        options: app_commands.Range[str, 1, MAX_OPTIONS_TEXT],
        hours: app_commands.Range[int, 1, 768] = 24,
        theme: str | None = None,
        secret: bool = False,
        hide_results: bool = True,
        max_choices: app_commands.Range[int, 1, 10] = 1,
        language: str | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        try:
            cleaned, answers = clean_question(question), parse_options(options)
        except PollInputError as exc:
            raise UserError(poll_problem(exc)) from None
        if not 1 <= hours <= render.MAX_HOURS or not 1 <= max_choices <= MAX_OPTIONS:
            raise UserError(render.bad_numbers())
        if theme is not None and self.ctx.settings.theme(theme) is None:
            raise UserError(render.unknown_theme(theme, [item.slug for item in self.ctx.settings.themes]))
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            raise UserError(render.not_a_text_channel())
        needed = NEEDED_IN_THREADS if isinstance(channel, discord.Thread) else NEEDED
        missing = missing_permissions(interaction.app_permissions, needed)
        if missing:
            raise UserError(render.cannot_post_poll(missing))
        # Storing and posting wait on the database and on Discord (rate limits): acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.ctx.now()
        clamped_from = max_choices if max_choices > len(answers) else None
        poll = await self.ctx.store.create_poll(
            guild_id=guild_id,
            channel_id=interaction.channel_id or 0,
            created_by=interaction.user.id,
            question=cleaned,
            options=answers,
            theme=theme,
            secret=secret,
            hide_results=hide_results,
            max_choices=min(max_choices, len(answers)),
            now=now,
            closes_at=now + timedelta(hours=hours),
            ballot_seed=self.ctx.ballot_keys.new_seed() if secret else None,
            language=language if language in LANGUAGES else None,
        )
        message = await self._post(channel, poll)
        await self.ctx.store.set_poll_message(poll.id, message.id)
        created = render.created_text(poll, message.jump_url, clamped_from)
        await confirm(interaction, created, again=render.created_again(poll, message.jump_url))

    async def _post(self, channel: discord.abc.Messageable, poll: PollInfo) -> discord.Message:
        """Post the stored poll, or discard it (whatever went wrong) so no poll is left that nobody saw."""
        try:
            with in_language(self.closing.public_language(poll)):
                embed, view = (
                    render.poll_embed(poll, self.closing.theme_title(poll)),
                    poll_view(poll, self.button, disabled=False),
                )
            return await send_reconciled(
                channel,
                nonce=retry_safe_nonce(f"poll{poll.id}", "post"),
                embed=embed,
                view=view,
                allowed_mentions=NO_MENTIONS,
            )
        except Exception as exc:
            await self.ctx.store.discard_poll(poll)
            if not isinstance(exc, DISCORD_FAILURES):
                raise
            log.warning("guild %s: poll %s not posted (%s); discarded", poll.guild_id, poll.id, failure_text(exc))
            problem = render.could_not_post(failure_kind(exc), failure_text(exc), may_show=outcome_unknown(exc))
            raise UserError(problem) from None

    @create.autocomplete("theme")
    async def _theme_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.lower()
        return [
            app_commands.Choice(name=clip(f"{theme.slug} — {theme.title}", 100), value=theme.slug)
            for theme in self.ctx.settings.themes
            if typed in theme.slug or typed in theme.title.lower()
        ][:25]

    @gated(Gate.FACILITATOR, N_("close polls"))
    @app_commands.command(name="close", description="Close a poll now and post its results (facilitators)")
    @app_commands.describe(poll="The poll's number in this server")
    @answered
    async def close(self, interaction: discord.Interaction, poll: app_commands.Range[int, 1]) -> None:
        found = await self._poll(interaction, poll)
        if found.is_closed:
            raise UserError(render.already_closed(poll))
        await interaction.response.defer(ephemeral=True, thinking=True)
        closed = await self.closing.close_now(found.id, self.ctx.now())
        text = render.closed_now(closed) if closed else render.closed_again(poll)
        await confirm(interaction, text, again=render.closed_again(poll))

    @app_commands.command(name="results", description="A poll's results (hidden until it closes, if so set)")
    @app_commands.describe(poll="The poll's number in this server")
    @answered
    async def results(self, interaction: discord.Interaction, poll: app_commands.Range[int, 1]) -> None:
        found = await self._poll(interaction, poll)
        mine = render.own_vote_text(found, await self.voting.own_vote(found, interaction.user.id))
        problem = render.delivery_problem(found)  # facilitators look here when the results are not posted
        if not found.is_closed and found.hide_results:
            voters = await self.ctx.store.count_voters(found)
            hidden = render.hidden_results_text(found, voters, self.ctx.now())
            await reply(interaction, "\n".join(line for line in (hidden, mine, problem) if line))
            return
        problem = "\n".join(line for line in (mine, problem) if line) or None
        shown = tally(await self.ctx.store.poll_counts(found), found.options, self.ctx.settings.privacy.min_group)
        embed = render.results_embed(found, shown, self.ctx.settings.privacy.min_group)
        if not shown.voters:
            await reply(interaction, problem, embed=embed)
            return
        # Drawing the chart can outlast Discord's 3-second window (a cold matplotlib, a busy host).
        await interaction.response.defer(ephemeral=True, thinking=True)
        chart = await chart_file(embed, f"poll-{found.number}.png", poll_chart_png, shown, found.question)
        await reply(interaction, problem, embed=embed, file=chart)

    @app_commands.command(
        name="list", description="Open polls in this server, when they close, and the recently closed ones"
    )
    @answered
    async def list_polls(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        polls = await self.ctx.store.open_polls(guild_id, self.ctx.now())
        closed = await self.ctx.store.recently_closed_polls(guild_id, render.RECENTLY_CLOSED)
        due = await self.ctx.store.polls_with_due_work()
        failing = [found for found in due if found.guild_id == guild_id and found.closing_failing]
        await reply(interaction, embed=render.list_embed(polls, guild_id, failing, closed))

    async def _poll(self, interaction: discord.Interaction, number: int) -> PollInfo:
        found = await self.ctx.store.get_poll(guild_id_of(interaction), number)
        if found is None:
            raise UserError(render.no_such_poll(number))
        return found
