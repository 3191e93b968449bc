"""One ThemeCog instance per configured theme, each owning its own `/<slug>` command group."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.tally import tally
from bot.interactions import UserError, reply, report_error
from bot.render.limits import clip
from bot.render.themes import PAGE_SIZE, about_embed, positions_embed, tally_embed
from bot.settings import ThemeConfig

if TYPE_CHECKING:
    from bot.app import ConcordBot

MAX_RATIONALE = 1000


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


class RationaleModal(discord.ui.Modal):
    rationale: discord.ui.TextInput[RationaleModal]

    def __init__(self, cog: ThemeCog, stance: str, current: str | None) -> None:
        super().__init__(title=clip(f"{cog.theme.title}: your rationale", 45), timeout=900)
        self.cog = cog
        self.stance = stance
        self.rationale = discord.ui.TextInput(
            label=clip(f"Why: {cog.theme.label(stance)}", 45),
            style=discord.TextStyle.paragraph,
            custom_id="rationale",
            required=False,
            max_length=MAX_RATIONALE,
            default=current,
            placeholder="Optional: the reasons for your stance (others will read it)",
        )
        self.add_item(self.rationale)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            await self.cog.record(interaction, self.stance, self.rationale.value, via_modal=True)
        except UserError as exc:
            await reply(interaction, str(exc))

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error)


class PositionsBrowser(discord.ui.View):
    """Previous/Next over others' rationales; re-reads the store on every page so it never goes stale."""

    def __init__(self, cog: ThemeCog, guild_id: int, stance: str | None, owner_id: int) -> None:
        super().__init__(timeout=900)
        self.cog = cog
        self.guild_id = guild_id
        self.stance = stance
        self.owner_id = owner_id
        self.page = 0

    async def render(self) -> discord.Embed:
        positions = await self.cog.bot.store.list_positions(self.guild_id, self.cog.theme.slug, self.stance)
        pages = max(1, math.ceil(len(positions) / PAGE_SIZE))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * PAGE_SIZE
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= pages - 1
        named = self.cog.bot.settings.privacy.attribution == "named"
        return positions_embed(
            self.cog.theme,
            positions[start : start + PAGE_SIZE],
            self.page,
            pages,
            len(positions),
            self.stance,
            named,
        )

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page += step
        embed = await self.render()
        await interaction.response.edit_message(embed=embed, view=self, allowed_mentions=discord.AllowedMentions.none())

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[PositionsBrowser]) -> None:
        await self.turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[PositionsBrowser]) -> None:
        await self.turn(interaction, +1)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, _item: discord.ui.Item[PositionsBrowser]
    ) -> None:
        await report_error(interaction, error)


class ThemeCog(commands.Cog):
    """The cog for one theme. discord.py fixes a GroupCog's name per class, so the group is built here."""

    def __init__(self, bot: ConcordBot, theme: ThemeConfig) -> None:
        self.bot = bot
        self.theme = theme
        self.__cog_name__ = f"Theme:{theme.slug}"
        self.group = self._build_group()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)

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
            await self.position(interaction, stance, rationale)

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
            await self.positions(interaction, stance)

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
        try:
            self._check_stance(stance)
            if rationale is None:
                current = await self.bot.store.get_position(
                    interaction.guild_id or 0, self.theme.slug, interaction.user.id
                )
                modal = RationaleModal(self, stance, current.rationale if current else None)
                await interaction.response.send_modal(modal)
                return
            await self.record(interaction, stance, rationale, via_modal=False)
        except UserError as exc:
            await reply(interaction, str(exc))

    async def record(self, interaction: discord.Interaction, stance: str, raw: str | None, *, via_modal: bool) -> None:
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
        verb = "updated" if previous else "recorded"
        lines = [f"Your position on **{self.theme.title}** is {verb}: **{self.theme.label(stance)}**."]
        if previous and previous.stance != stance:
            lines.append(f"(It was: {self.theme.label(previous.stance)}.)")
        if rationale is None and raw is not None and raw != "":
            lines.append("Your rationale was blank, so it was recorded without one.")
        elif rationale is None:
            lines.append("No rationale recorded; add one any time with the same command.")
        else:
            lines.append(f"Rationale saved ({len(rationale)} characters).")
        await reply(interaction, "\n".join(lines))

    async def withdraw(self, interaction: discord.Interaction) -> None:
        removed = await self.bot.store.withdraw_position(
            interaction.guild_id or 0, self.theme.slug, interaction.user.id, self.bot.clock()
        )
        if removed:
            await reply(interaction, f"Your position on **{self.theme.title}** has been withdrawn.")
        else:
            await reply(interaction, f"You have no position on **{self.theme.title}** to withdraw.")

    async def tally(self, interaction: discord.Interaction) -> None:
        positions = await self.bot.store.list_positions(interaction.guild_id or 0, self.theme.slug)
        options = [(stance.key, stance.label) for stance in self.theme.stances]
        result = tally(((p.stance, p.stakeholder) for p in positions), options)
        await reply(interaction, embed=tally_embed(self.theme, result))

    async def positions(self, interaction: discord.Interaction, stance: str | None) -> None:
        try:
            if stance is not None:
                self._check_stance(stance)
        except UserError as exc:
            await reply(interaction, str(exc))
            return
        browser = PositionsBrowser(self, interaction.guild_id or 0, stance, interaction.user.id)
        embed = await browser.render()
        await reply(interaction, embed=embed, view=browser)
