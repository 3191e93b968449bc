"""Discussing a theme: `/<slug> discuss` shows one statement by someone else with Agree, Disagree and Pass.

A click records the reaction and the same message turns to the next statement. The buttons carry the
statement and the reaction in their custom id `discuss:<statement id>:<agree|disagree|pass>`, so they
work on any discuss message, after a restart too: a click on an earlier message changes the reaction
to the statement it shows (one reaction per member per statement; the latest counts). Beside them,
Report (`discuss-report:<statement id>`) opens the moderation's report form for the statement.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any, ClassVar

import discord

from bot.context import Context
from bot.core.consensus import Reaction, StatementVotes, choose_next
from bot.core.models import Statement
from bot.interactions import answered, guild_id_of, reply
from bot.render.discord import discuss as render
from bot.settings import ThemeConfig
from cogs.moderation import ModerationService
from cogs.themes._privacy import theme_shown_groups

DISCUSS_BUTTON_ID = r"discuss:(?P<statement>[0-9]+):(?P<reaction>agree|disagree|pass)"
REPORT_BUTTON_ID = r"discuss-report:(?P<statement>[0-9]{1,19})"
BUTTON_STYLES = {
    Reaction.AGREE: discord.ButtonStyle.success,
    Reaction.DISAGREE: discord.ButtonStyle.danger,
    Reaction.PASS: discord.ButtonStyle.secondary,
}


def reaction_custom_id(statement_id: int, reaction: Reaction) -> str:
    return f"discuss:{statement_id}:{reaction.value}"


class ReactionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=DISCUSS_BUTTON_ID):
    """Agree, Disagree or Pass on one statement; registered bound to one bot's discussion service."""

    service: ClassVar[DiscussService]

    def __init__(self, statement_id: int, reaction: Reaction) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.reaction_label(reaction),
                style=BUTTON_STYLES[reaction],
                custom_id=reaction_custom_id(statement_id, reaction),
            )
        )
        self.statement_id = statement_id
        self.reaction = reaction

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReactionButton:
        return cls(int(match["statement"]), Reaction(match["reaction"]))

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        await self.service.react(interaction, self.statement_id, self.reaction)


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REPORT_BUTTON_ID):
    """Report one statement to the facilitators; registered bound to one bot's moderation service, which
    checks the statement belongs to the server the click comes from."""

    service: ClassVar[ModerationService]

    def __init__(self, statement_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.report_label(),
                style=discord.ButtonStyle.secondary,
                custom_id=f"discuss-report:{statement_id}",
            )
        )
        self.statement_id = statement_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReportButton:
        return cls(int(match["statement"]))

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        await self.service.open_report(interaction, self.statement_id)


class DiscussService:
    """Chooses what a member reads next and records what they make of it. `rng` is the random source the
    choice is drawn from (weighted by priority: see bot/core/consensus.py)."""

    def __init__(self, ctx: Context, moderation: ModerationService, rng: Random | None = None) -> None:
        self.ctx = ctx
        self.rng = rng or Random()
        self.button: type[ReactionButton] = type(
            "BoundReactionButton", (ReactionButton,), {"service": self}, template=DISCUSS_BUTTON_ID
        )
        self.report_button: type[ReportButton] = type(
            "BoundReportButton", (ReportButton,), {"service": moderation}, template=REPORT_BUTTON_ID
        )

    async def start(self, interaction: discord.Interaction, theme: ThemeConfig) -> None:
        """`/<slug> discuss`: the first statement for this member, privately."""
        content, embed, view = await self._next(guild_id_of(interaction), theme, interaction.user.id)
        await reply(interaction, content, embed=embed, view=view)

    async def react(self, interaction: discord.Interaction, statement_id: int, reaction: Reaction) -> None:
        """A click: record it (for a current statement of this server by someone else), then turn the same
        message to the next statement."""
        guild_id, user_id = guild_id_of(interaction), interaction.user.id
        statement = await self.ctx.store.statement(guild_id, statement_id)
        theme = self.ctx.settings.theme(statement.theme) if statement is not None else None
        if statement is None or theme is None:
            await reply(interaction, render.not_here() if statement is None else render.theme_gone())
            return
        outcome = await self.ctx.store.react(guild_id, statement_id, user_id, reaction, self.ctx.now())
        done = render.reacted_line(outcome, reaction, statement.number)
        content, embed, view = await self._next(guild_id, theme, user_id)
        text = done if content is None else f"{done}\n{content}"
        await interaction.response.edit_message(
            content=text, embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _next(
        self, guild_id: int, theme: ThemeConfig, user_id: int
    ) -> tuple[str | None, discord.Embed | None, discord.ui.View | None]:
        candidates = await self.ctx.store.discussion_candidates(guild_id, theme.slug, user_id)
        chosen = choose_next(candidates, self.rng)
        statement = await self._statement(guild_id, chosen)
        if statement is None:
            return render.none_left(theme), None, None
        shown = await theme_shown_groups(self.ctx, guild_id, theme.slug)
        attribution = self.ctx.settings.privacy.attribution
        embed = render.statement_embed(theme, statement, attribution, len(candidates) - 1, shown)
        return None, embed, self._view(statement.id)

    async def _statement(self, guild_id: int, chosen: StatementVotes | None) -> Statement | None:
        if chosen is None:
            return None
        return (await self.ctx.store.current_statements(guild_id, [chosen.statement_id])).get(chosen.statement_id)

    def _view(self, statement_id: int) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for reaction in Reaction:
            view.add_item(self.button(statement_id, reaction))
        view.add_item(self.report_button(statement_id))
        view.stop()
        return view
