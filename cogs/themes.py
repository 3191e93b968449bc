"""One ThemeCog instance per configured theme, each owning its own `/<slug>` command group.

The rationale form and the Previous/Next buttons keep no state in memory: their custom ids carry the
theme, stance and page, and the bot answers them from the store. A form submitted twenty minutes
later, or after a restart, still records the position; an old page's buttons still turn.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.tally import tally_counts
from bot.interactions import UserError, answer_user_errors, guarded, reply, submitted_value
from bot.render.charts import tally_chart_png
from bot.render.discord_files import chart_file
from bot.render.limits import clip
from bot.render.themes import PAGE_SIZE, about_embed, position_confirmation, positions_embed, tally_embed
from bot.settings import ThemeConfig

if TYPE_CHECKING:
    from bot.app import ConcordBot

MAX_RATIONALE = 1000
RATIONALE_FORM = re.compile(r"concord:rationale:(?P<slug>[a-z0-9_-]{1,32}):(?P<stance>[a-z0-9_-]{1,32})")


def clean_rationale(text: str | None) -> str | None:
    """None for no rationale (including whitespace only); UserError when too long."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if len(text) > MAX_RATIONALE:
        raise UserError(
            f"Sorry, a rationale can be at most {MAX_RATIONALE} characters; yours has {len(text)}. "
            "Nothing was changed: please shorten it and try again."
        )
    return text


def cog_name(slug: str) -> str:
    return f"Theme:{slug}"


def rationale_form(theme: ThemeConfig, stance: str, current: str | None) -> discord.ui.Modal:
    """The form; stopped before it is sent, so discord.py keeps nothing and ThemeCog.on_interaction answers."""
    form = discord.ui.Modal(
        title=clip(f"{theme.title}: your rationale", 45),
        custom_id=f"concord:rationale:{theme.slug}:{stance}",
        timeout=None,
    )
    form.add_item(
        discord.ui.TextInput(
            label=clip(f"Why: {theme.label(stance)}", 45),
            style=discord.TextStyle.paragraph,
            custom_id="rationale",
            required=False,
            max_length=MAX_RATIONALE,
            default=current,
            placeholder="Optional: the reasons for your stance (others will read it)",
        )
    )
    form.stop()
    return form


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"concord:positions:(?P<slug>[a-z0-9_-]{1,32}):(?P<stance>[a-z0-9_-]{0,32}):(?P<page>\d{1,6}):(?P<way>prev|next)",
):
    """Previous/Next over others' rationales; the custom id names the page it leads to."""

    def __init__(self, slug: str, stance: str | None, page: int, way: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Previous" if way == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=f"concord:positions:{slug}:{stance or ''}:{page}:{way}",
                disabled=disabled,
            )
        )
        self.slug = slug
        self.stance = stance
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(match["slug"], match["stance"] or None, int(match["page"]), match["way"])

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog(cog_name(self.slug))  # type: ignore[attr-defined]
        if not isinstance(cog, ThemeCog):
            await reply(interaction, "Sorry, that theme is no longer part of this forum.")
            return
        await guarded(interaction, cog.turn_page(interaction, self.stance, self.page))


class ThemeCog(commands.Cog):
    """The cog for one theme. discord.py fixes a GroupCog's name per class, so the group is built here."""

    def __init__(self, bot: ConcordBot, theme: ThemeConfig) -> None:
        self.bot = bot
        self.theme = theme
        self.__cog_name__ = cog_name(theme.slug)
        self.group = self._build_group()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)
        self.bot.add_dynamic_items(PageButton)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)
        if not any(isinstance(cog, ThemeCog) and cog is not self for cog in self.bot.cogs.values()):
            self.bot.remove_dynamic_items(PageButton)

    def _build_group(self) -> app_commands.Group:
        theme = self.theme
        group = app_commands.Group(name=theme.slug, description=clip(f"Theme: {theme.title}", 100), guild_only=True)
        choices = [app_commands.Choice(name=stance.label, value=stance.key) for stance in theme.stances]

        @group.command(name="about", description="The question, its context, the stances and participation")
        async def about(interaction: discord.Interaction) -> None:
            await self.about(interaction)

        @group.command(name="position", description="Record or replace your position on this theme")
        @app_commands.describe(
            stance="Your stance on the question",
            rationale="Why (up to 1000 characters); leave it out to write it in a form",
        )
        @app_commands.choices(stance=choices)
        async def position(interaction: discord.Interaction, stance: str, rationale: str | None = None) -> None:
            await answer_user_errors(interaction, self.position(interaction, stance, rationale))

        @group.command(name="withdraw", description="Withdraw your position on this theme")
        async def withdraw(interaction: discord.Interaction) -> None:
            await self.withdraw(interaction)

        @group.command(name="tally", description="Counts per stance, overall and by stakeholder group")
        async def tally_command(interaction: discord.Interaction) -> None:
            await self.tally(interaction)

        @group.command(name="positions", description="Read others' rationales, five a page")
        @app_commands.describe(stance="Only positions with this stance")
        @app_commands.choices(stance=choices)
        async def positions(interaction: discord.Interaction, stance: str | None = None) -> None:
            await answer_user_errors(interaction, self.positions(interaction, stance))

        return group

    def _check_stance(self, stance: str) -> str:
        if self.theme.stance(stance) is None:
            options = ", ".join(f"`{s.key}`" for s in self.theme.stances)
            raise UserError(f"Sorry, `{clip(stance, 40)}` is not a stance on this theme. Choose one of: {options}.")
        return stance

    async def about(self, interaction: discord.Interaction) -> None:
        participants = await self.bot.store.count_participants(interaction.guild_id or 0, self.theme.slug)
        await reply(interaction, embed=about_embed(self.theme, participants))

    async def position(self, interaction: discord.Interaction, stance: str, rationale: str | None) -> None:
        """With a rationale, record it; without one, open the form prefilled with the current rationale."""
        if rationale is not None:
            await self.record(interaction, stance, rationale)
            return
        self._check_stance(stance)
        current = await self.bot.store.get_position(interaction.guild_id or 0, self.theme.slug, interaction.user.id)
        form = rationale_form(self.theme, stance, current.rationale if current else None)
        await interaction.response.send_modal(form)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Record a submitted rationale form for this theme, however long ago it was opened."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        match = RATIONALE_FORM.fullmatch(str((interaction.data or {}).get("custom_id", "")))
        if match is None or match["slug"] != self.theme.slug:
            return
        text = submitted_value(interaction.data, "rationale")
        await guarded(interaction, self.record(interaction, match["stance"], text or ""))

    async def record(self, interaction: discord.Interaction, stance: str, raw: str | None) -> None:
        self._check_stance(stance)
        rationale = clean_rationale(raw)
        guild_id = interaction.guild_id or 0
        previous = await self.bot.store.get_position(guild_id, self.theme.slug, interaction.user.id)
        await self.bot.store.record_position(
            guild_id,
            self.theme.slug,
            interaction.user.id,
            interaction.user.display_name,
            stance,
            rationale,
            self.bot.clock(),
        )
        await reply(interaction, position_confirmation(self.theme, stance, previous, rationale, raw))

    async def withdraw(self, interaction: discord.Interaction) -> None:
        removed = await self.bot.store.withdraw_position(
            interaction.guild_id or 0, self.theme.slug, interaction.user.id, self.bot.clock()
        )
        if removed:
            await reply(interaction, f"Your position on **{self.theme.title}** has been withdrawn.")
        else:
            await reply(interaction, f"You have no position on **{self.theme.title}** to withdraw.")

    async def tally(self, interaction: discord.Interaction) -> None:
        """Deferred first: drawing the chart can outlast Discord's 3-second deadline on a busy host."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        counts = await self.bot.store.stance_counts(interaction.guild_id or 0, self.theme.slug)
        result = tally_counts(counts, [(stance.key, stance.label) for stance in self.theme.stances])
        embed = tally_embed(self.theme, result)
        chart = None
        if result.total:
            chart = await chart_file(embed, f"tally-{self.theme.slug}.png", tally_chart_png, self.theme.title, result)
        await reply(interaction, embed=embed, file=chart)

    async def positions(self, interaction: discord.Interaction, stance: str | None) -> None:
        if stance is not None:
            self._check_stance(stance)
        embed, view = await self.page(interaction.guild_id or 0, stance, 0)
        await reply(interaction, embed=embed, view=view)

    async def turn_page(self, interaction: discord.Interaction, stance: str | None, page: int) -> None:
        embed, view = await self.page(interaction.guild_id or 0, stance, page)
        await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())

    async def page(self, guild_id: int, stance: str | None, page: int) -> tuple[discord.Embed, discord.ui.View]:
        """One page of positions, read afresh (so it is never stale), with its Previous/Next buttons."""
        store, slug = self.bot.store, self.theme.slug
        total = await store.count_participants(guild_id, slug, stance)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = await store.list_positions(guild_id, slug, stance, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
        named = self.bot.settings.privacy.attribution == "named"
        embed = positions_embed(self.theme, shown, page, pages, total, stance, named)
        view = discord.ui.View(timeout=None)
        view.add_item(PageButton(slug, stance, max(page - 1, 0), "prev", disabled=page == 0))
        view.add_item(PageButton(slug, stance, min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
        view.stop()
        return embed, view
