"""One ThemeCog instance per configured theme, each owning its own `/<slug>` command group.

The rationale form (_form.py) and the Previous/Next buttons (_pages.py) keep no state in memory:
their custom ids carry the theme, stance and page, and the bot answers them from the store. A form
submitted twenty minutes later, or after a restart, still records the position; an old page's
buttons still turn.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Context
from bot.core.consensus import Argument, ranked, with_arguments
from bot.core.models import Attribution
from bot.core.privacy import protect_counts, threshold, visible_bridges
from bot.core.tally import tally_counts
from bot.i18n import N_
from bot.interactions import UserError, answered, guild_id_of, reply, submitted_value
from bot.render.charts import tally_chart_png
from bot.render.discord import discuss as discuss_render
from bot.render.discord import themes as render
from bot.render.discord.files import chart_file
from bot.render.discord.limits import clip
from bot.settings import ThemeConfig
from bot.store import WriteFailed
from cogs.themes._discuss import DiscussService
from cogs.themes._form import MAX_RATIONALE, RATIONALE_FIELD, RATIONALE_FORM, clean_rationale, rationale_form
from cogs.themes._pages import ThemeDirectory
from cogs.themes._privacy import theme_shown_groups

log = logging.getLogger(__name__)
BRIDGES_SHOWN = 5  # statements of common ground `/<slug> bridges` shows
DIVIDES_SHOWN = 3  # and where groups divide


def cog_name(slug: str) -> str:
    return f"Theme:{slug}"


class ThemeCog(commands.Cog):
    """The cog for one theme. discord.py fixes a GroupCog's name per class, so the group is built here."""

    def __init__(
        self, bot: commands.Bot, ctx: Context, theme: ThemeConfig, directory: ThemeDirectory, discussion: DiscussService
    ) -> None:
        self.bot = bot
        self.ctx = ctx
        self.theme = theme
        self.directory = directory
        self.discussion = discussion
        self.__cog_name__ = cog_name(theme.slug)
        self.group = self._build_group()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)
        self.directory.join(self.bot, self.theme.slug, self)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)
        self.directory.leave(self.bot, self.theme.slug)

    def _build_group(self) -> app_commands.Group:
        theme = self.theme
        # The theme's own words are localised from its translations (bot/command_translator.py).
        described = app_commands.locale_str(clip(N_("Theme: {title}").format(title=theme.title), 100), theme=theme.slug)
        group = app_commands.Group(name=theme.slug, description=described, guild_only=True)
        choices = [
            app_commands.Choice(
                name=app_commands.locale_str(stance.label, theme=theme.slug, stance=stance.key), value=stance.key
            )
            for stance in theme.stances
        ]

        @group.command(name="about", description="The question, its context, the stances and participation")
        @answered
        async def about(interaction: discord.Interaction) -> None:
            await self.about(interaction)

        @group.command(name="position", description="Record or replace your position on this theme")
        @app_commands.describe(
            stance="Your stance on the question",
            rationale="Why (up to 1000 characters); leave it out to write it in a form",
        )
        @app_commands.choices(stance=choices)
        @answered
        async def position(
            interaction: discord.Interaction,
            stance: str,
            rationale: app_commands.Range[str, 1, MAX_RATIONALE] | None = None,
        ) -> None:
            await self.position(interaction, stance, rationale)

        @group.command(name="withdraw", description="Withdraw your position on this theme")
        @answered
        async def withdraw(interaction: discord.Interaction) -> None:
            await self.withdraw(interaction)

        @group.command(name="tally", description="Counts per stance, overall and by stakeholder group")
        @answered
        async def tally_command(interaction: discord.Interaction) -> None:
            await self.tally(interaction)

        @group.command(name="positions", description="Read others' rationales, five a page")
        @app_commands.describe(stance="Only positions with this stance")
        @app_commands.choices(stance=choices)
        @answered
        async def positions(interaction: discord.Interaction, stance: str | None = None) -> None:
            await self.positions(interaction, stance)

        @group.command(name="discuss", description="Weigh others' arguments one by one: agree, disagree or pass")
        @answered
        async def discuss(interaction: discord.Interaction) -> None:
            await self.discussion.start(interaction, self.theme)

        @group.command(name="bridges", description="The arguments stakeholder groups agree on, and where they divide")
        @answered
        async def bridges(interaction: discord.Interaction) -> None:
            await self.bridges(interaction)

        return group

    def _check_stance(self, stance: str) -> str:
        if self.theme.stance(stance) is None:
            raise UserError(render.not_a_stance(self.theme, stance))
        return stance

    async def about(self, interaction: discord.Interaction) -> None:
        participants = await self.ctx.store.count_participants(guild_id_of(interaction), self.theme.slug)
        await reply(interaction, embed=render.about_embed(self.theme, participants))

    async def position(self, interaction: discord.Interaction, stance: str, rationale: str | None) -> None:
        """With a rationale, record it; without one, open the form: prefilled with the current rationale for
        the same stance, empty for another one (saying what the earlier reasons were written for), so reasons
        given for one stance are never silently carried over to another."""
        if rationale is not None:
            await self.record(interaction, stance, rationale)
            return
        self._check_stance(stance)
        current = await self.ctx.store.get_position(guild_id_of(interaction), self.theme.slug, interaction.user.id)
        form = rationale_form(self.theme, stance, current)
        await interaction.response.send_modal(form)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Record a submitted rationale form for this theme, however long ago it was opened."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        match = RATIONALE_FORM.fullmatch(str(data.get("custom_id", "")))
        if match is None or match["slug"] != self.theme.slug:
            return
        await self.submitted(interaction, match["stance"])

    @answered
    async def submitted(self, interaction: discord.Interaction, stance: str) -> None:
        text = submitted_value(interaction.data, RATIONALE_FIELD)
        await self.record(interaction, stance, text or "")

    async def record(self, interaction: discord.Interaction, stance: str, raw: str | None) -> None:
        self._check_stance(stance)
        rationale = clean_rationale(raw)
        guild_id, user_id = guild_id_of(interaction), interaction.user.id
        try:
            change = await self.ctx.store.record_position(
                guild_id, self.theme.slug, user_id, interaction.user.display_name, stance, rationale, self.ctx.now()
            )
        except WriteFailed:
            log.exception("theme %s: a position could not be stored", self.theme.slug)
            raise UserError(render.position_not_stored()) from None
        if not change.changed:
            await reply(interaction, render.position_unchanged(self.theme, stance))
            return
        text = render.position_confirmation(self.theme, stance, change.previous, rationale, raw)
        if change.first and not change.has_profile:
            text += "\n" + render.undeclared_hint()
        await reply(interaction, text)

    async def withdraw(self, interaction: discord.Interaction) -> None:
        removed = await self.ctx.store.withdraw_position(
            guild_id_of(interaction), self.theme.slug, interaction.user.id, self.ctx.now()
        )
        await reply(interaction, render.withdrawn(self.theme, removed))

    async def tally(self, interaction: discord.Interaction) -> None:
        """Deferred first: drawing the chart can outlast Discord's 3-second deadline on a busy host."""
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        counts = await self.ctx.store.stance_counts(guild_id, self.theme.slug)
        protected = protect_counts(counts, self._smallest())
        result = tally_counts(protected, [(stance.key, stance.label) for stance in self.theme.stances])
        embed = render.tally_embed(self.theme, result)
        chart = None
        if result.total:
            chart = await chart_file(embed, f"tally-{self.theme.slug}.png", tally_chart_png, self.theme.title, result)
        await reply(interaction, embed=embed, file=chart)

    async def bridges(self, interaction: discord.Interaction) -> None:
        """Common ground and divides, from one aggregate query and pure scoring."""
        guild_id, slug = guild_id_of(interaction), self.theme.slug
        votes = await self.ctx.store.theme_votes(guild_id, slug)
        groups = self.ctx.settings.profiles.expected_stakeholders
        common, split = ranked(votes, groups, common_limit=BRIDGES_SHOWN, divide_limit=DIVIDES_SHOWN)
        chosen = sorted({c.statement.statement_id for c in common} | {d.statement.statement_id for d in split})
        found = await self.ctx.store.current_statements(guild_id, chosen)
        arguments = {s.number: Argument(s.number, s.text, s.stance or "") for s in found.values()}
        shown_common, shown_split = visible_bridges(
            *with_arguments(common, split, arguments), await self.shown_groups(guild_id)
        )
        embeds = discuss_render.bridges_embeds(self.theme, shown_common, shown_split, reacted=bool(votes))
        await reply(interaction, embeds=embeds)

    async def positions(self, interaction: discord.Interaction, stance: str | None) -> None:
        if stance is not None:
            self._check_stance(stance)
        embed, view = await self.page(guild_id_of(interaction), stance, 0, interaction.user.id)
        await reply(interaction, embed=embed, view=view)

    async def turn_page(self, interaction: discord.Interaction, stance: str | None, page: int) -> None:
        embed, view = await self.page(guild_id_of(interaction), stance, page, interaction.user.id)
        await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())

    async def page(
        self, guild_id: int, stance: str | None, page: int, viewer: int | None = None
    ) -> tuple[discord.Embed, discord.ui.View]:
        """One page of positions, read afresh (so it is never stale), with its Previous/Next buttons; the
        viewer's own entry marked."""
        store, slug = self.ctx.store, self.theme.slug
        total = await store.count_participants(guild_id, slug, stance)
        pages = max(1, math.ceil(total / render.PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = await store.list_positions(
            guild_id, slug, stance, limit=render.PAGE_SIZE, offset=page * render.PAGE_SIZE
        )
        named = self.ctx.settings.privacy.attribution == Attribution.NAMED
        groups = await self.shown_groups(guild_id)
        embed = render.positions_embed(self.theme, shown, page, pages, total, stance, named, viewer, groups)
        return embed, self.directory.page_view(slug, stance, page, pages)

    def _smallest(self) -> int:
        privacy = self.ctx.settings.privacy
        return threshold(privacy.attribution, privacy.min_group)

    async def shown_groups(self, guild_id: int) -> frozenset[str] | None:
        """The stakeholder groups this theme has enough participants of to name (None: every group may be)."""
        return await theme_shown_groups(self.ctx, guild_id, self.theme.slug)
