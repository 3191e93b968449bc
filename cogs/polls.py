"""`/poll create|close|results|list` and the vote service the buttons call (see poll_buttons.py, poll_closing.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.polls import (
    MAX_OPTIONS,
    Click,
    PollInfo,
    PollInputError,
    clean_question,
    new_salt,
    parse_options,
    voter_key,
)
from bot.core.polls import results as tally
from bot.interactions import UserError, is_facilitator, reply
from bot.render import polls as render
from bot.render.charts import poll_chart_png
from bot.render.discord_files import chart_file
from bot.render.limits import clip
from bot.render.wording import poll_problem
from cogs.poll_buttons import COG_NAME, PollButton, poll_view
from cogs.poll_closing import PollClosing

if TYPE_CHECKING:
    from bot.app import ConcordBot

NO_MENTIONS = discord.AllowedMentions.none()


@app_commands.guild_only()  # on the class: Discord ignores guild_only on subcommands
class PollCog(commands.GroupCog, name=COG_NAME, group_name="poll", group_description="Facilitators' quick polls"):
    def __init__(self, bot: ConcordBot) -> None:
        self.bot = bot
        self.closing = PollClosing(bot)
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PollButton)
        self.bot.due_work.append(self.closing)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PollButton)
        if self.closing in self.bot.due_work:
            self.bot.due_work.remove(self.closing)

    # --- commands ---------------------------------------------------------------------------

    @app_commands.command(name="create", description="Post a poll in this channel (facilitators)")
    @app_commands.describe(
        question="The question (up to 300 characters)",
        options=f"2 to {MAX_OPTIONS} answers separated by ';', each up to 55 characters, e.g. Yes; No; Not yet",
        hours="How long the poll stays open, in hours (1-768, default 24)",
        theme="The forum theme it belongs to (optional)",
        secret="Secret ballot: no Discord id is stored with the votes (default: no)",
        hide_results="Hide results until the poll closes (default: yes)",
        max_choices="How many answers each person may choose (1-10, default 1)",
    )
    async def create(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 300],
        options: str,
        hours: app_commands.Range[int, 1, 768] = 24,
        theme: str | None = None,
        secret: bool = False,
        hide_results: bool = True,
        max_choices: app_commands.Range[int, 1, 10] = 1,
    ) -> None:
        try:
            await self._create(interaction, question, options, hours, theme, secret, hide_results, max_choices)
        except UserError as exc:
            await reply(interaction, str(exc))

    @create.autocomplete("theme")
    async def _theme_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.lower()
        return [
            app_commands.Choice(name=clip(f"{theme.slug} — {theme.title}", 100), value=theme.slug)
            for theme in self.bot.settings.themes
            if typed in theme.slug or typed in theme.title.lower()
        ][:25]

    @app_commands.command(name="close", description="Close a poll now and post its results (facilitators)")
    @app_commands.describe(poll="The poll's number in this server")
    async def close(self, interaction: discord.Interaction, poll: app_commands.Range[int, 1]) -> None:
        try:
            await self._close(interaction, poll)
        except UserError as exc:
            await reply(interaction, str(exc))

    @app_commands.command(name="results", description="A poll's results (hidden until it closes, if so set)")
    @app_commands.describe(poll="The poll's number in this server")
    async def results(self, interaction: discord.Interaction, poll: app_commands.Range[int, 1]) -> None:
        try:
            found = await self._poll(interaction, poll)
            if not found.is_closed and found.hide_results:
                voters = await self.bot.store.count_voters(found)
                await reply(interaction, render.hidden_results_text(found, voters, self.bot.clock()))
                return
            shown = tally(await self.bot.store.poll_counts(found), found.options)
            embed = render.results_embed(found, shown)
            if not shown.voters:
                await reply(interaction, embed=embed)
                return
            # Drawing the chart can outlast Discord's 3-second window (a cold matplotlib, a busy host).
            await interaction.response.defer(ephemeral=True, thinking=True)
            chart = await chart_file(embed, f"poll-{found.number}.png", poll_chart_png, shown, found.question)
            await reply(interaction, embed=embed, file=chart)
        except UserError as exc:
            await reply(interaction, str(exc))

    @app_commands.command(name="list", description="Open polls in this server and when they close")
    async def list_polls(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id or 0
        polls = await self.bot.store.open_polls(guild_id, self.bot.clock())
        await reply(interaction, embed=render.list_embed(polls, guild_id))

    # --- command bodies ---------------------------------------------------------------------

    def _require_facilitator(self, interaction: discord.Interaction, what: str) -> None:
        role = self.bot.settings.discord.facilitator_role
        if not is_facilitator(interaction, role):
            raise UserError(
                f"Sorry, only facilitators can {what}: members with the “{role}” role or the Manage Server permission."
            )

    async def _poll(self, interaction: discord.Interaction, number: int) -> PollInfo:
        found = await self.bot.store.get_poll(interaction.guild_id or 0, number)
        if found is None:
            raise UserError(f"There is no poll #{number} in this server. `/poll list` shows the open ones.")
        return found

    async def _create(
        self,
        interaction: discord.Interaction,
        question: str,
        options: str,
        hours: int,
        theme: str | None,
        secret: bool,
        hide_results: bool,
        max_choices: int,
    ) -> None:
        self._require_facilitator(interaction, "create polls")
        try:
            cleaned, answers = clean_question(question), parse_options(options)
        except PollInputError as exc:
            raise UserError(poll_problem(exc)) from None
        if not 1 <= hours <= 768 or not 1 <= max_choices <= MAX_OPTIONS:
            raise UserError("Sorry, `hours` must be 1 to 768 and `max_choices` 1 to 10. Nothing was posted.")
        if theme is not None and self.bot.settings.theme(theme) is None:
            slugs = ", ".join(f"`{item.slug}`" for item in self.bot.settings.themes)
            raise UserError(f"Sorry, `{clip(theme, 40)}` is not a theme of this forum. Choose one of: {slugs}.")
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            raise UserError("Sorry, polls can only be posted in a text channel or thread.")
        # Storing and posting wait on the database and on Discord (rate limits): acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock()
        clamped_from = max_choices if max_choices > len(answers) else None
        poll = await self.bot.store.create_poll(
            guild_id=interaction.guild_id or 0,
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
            salt=new_salt() if secret else None,
        )
        try:
            message = await channel.send(
                embed=render.poll_embed(poll, self.closing.theme_title(poll)),
                view=poll_view(poll, disabled=False),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as exc:
            await self.bot.store.discard_poll(poll)
            raise UserError(
                f"Sorry, I could not post the poll in this channel (Discord said: {exc.text or exc.status}). "
                "Check that I may send messages and embeds here. Nothing was saved."
            ) from None
        await self.bot.store.set_poll_message(poll.id, message.id)
        await reply(interaction, render.created_text(poll, message.jump_url, clamped_from))

    async def _close(self, interaction: discord.Interaction, number: int) -> None:
        self._require_facilitator(interaction, "close polls")
        poll = await self._poll(interaction, number)
        if poll.is_closed:
            raise UserError(f"Poll #{number} is already closed. See `/poll results poll:{number}`.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        delivered = await self.closing.close_now(poll.id, self.bot.clock())
        if delivered:
            await reply(interaction, f"Poll #{number} is closed; its results are posted in reply to it.")
        else:
            await reply(
                interaction,
                f"Poll #{number} is closed and no more votes count, but Discord refused to show it just now; "
                "the bot will retry by itself shortly.",
            )

    # --- voting (the service the buttons call; the burst test calls it too) -------------------

    async def _open_poll(self, guild_id: int, poll_id: int, now: datetime) -> PollInfo:
        poll = await self.bot.store.get_poll_by_id(poll_id)
        if poll is None:
            raise UserError("Sorry, this poll no longer exists.")
        if poll.guild_id != guild_id:
            raise UserError("Sorry, this poll belongs to another server; you can only vote on it there.")
        if not poll.accepts_votes(now):
            raise UserError(render.closed_vote_text(poll))
        return poll

    async def _voter(self, poll: PollInfo, user_id: int) -> int | bytes:
        """The Discord id for an open ballot; for a secret one, the keyed hash (the id goes no further)."""
        if not poll.secret:
            return user_id
        salt = await self.bot.store.poll_salt(poll.id)
        if salt is None:
            raise UserError(render.closed_vote_text(poll))
        return voter_key(salt, poll.id, user_id)

    async def record_vote(
        self, guild_id: int, poll_id: int, user_id: int, position: int, now: datetime | None = None
    ) -> tuple[PollInfo, Click]:
        """Record one click on an answer received at `now` (default: the clock's now).

        The write is one serialised store transaction, which also decides whether the poll still
        takes votes; the poll's seal waits for votes already received (see PollClosing.vote_in_flight).
        """
        now = now or self.bot.clock()
        with self.closing.vote_in_flight(poll_id):
            poll = await self._open_poll(guild_id, poll_id, now)
            if not 0 <= position < len(poll.options):
                raise UserError("Sorry, that answer is not on this poll.")
            voter = await self._voter(poll, user_id)
            profile = await self.bot.store.get_profile(guild_id, user_id)
            stakeholder = profile.stakeholder if profile else None
            click = await self.bot.store.cast_vote(guild_id, poll.id, voter, position, stakeholder, now)
        if click is None:
            raise UserError(render.closed_vote_text(poll))
        return poll, click

    async def retract_vote(
        self, guild_id: int, poll_id: int, user_id: int, now: datetime | None = None
    ) -> tuple[PollInfo, frozenset[int]]:
        now = now or self.bot.clock()
        with self.closing.vote_in_flight(poll_id):
            poll = await self._open_poll(guild_id, poll_id, now)
            voter = await self._voter(poll, user_id)
            previous = await self.bot.store.retract_vote(guild_id, poll.id, voter, now)
        if previous is None:
            raise UserError(render.closed_vote_text(poll))
        return poll, previous

    async def on_click(self, interaction: discord.Interaction, poll_id: int, choice: int | None) -> None:
        """Acknowledge at once, then vote: in a burst a click may wait for the database longer than
        Discord's 3-second window. The vote counts as of its arrival, and the confirmation replaces
        the "thinking" placeholder."""
        now = self.bot.clock()
        guild_id, user_id = interaction.guild_id or 0, interaction.user.id
        with self.closing.vote_in_flight(poll_id):
            await interaction.response.defer(ephemeral=True, thinking=True)
            if choice is None:
                poll, previous = await self.retract_vote(guild_id, poll_id, user_id, now)
                text = render.retract_text(poll, previous)
            else:
                poll, click = await self.record_vote(guild_id, poll_id, user_id, choice, now)
                text = render.vote_text(poll, click)
        await reply(interaction, text)
