"""Previous/Next over a theme's positions: `concord:positions:<slug>:<stance>:<page>:<prev|next>`.

The id names the page the button leads to, so an old page's buttons still turn after a restart.
One button class serves every theme: it is bound to the bot's directory of theme pagers and
finds the theme there by slug (a theme removed from the configuration answers politely).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Sequence
from typing import Any, ClassVar, Protocol

import discord
from discord.ext import commands

from bot.interactions import answered, reply
from bot.render.discord import replies
from bot.render.discord import themes as render

PAGE_BUTTON_ID = (
    r"concord:positions:(?P<slug>[a-z0-9_-]{1,32}):(?P<stance>[a-z0-9_-]{0,32}):(?P<page>\d{1,6}):(?P<way>prev|next)"
)


class Pager(Protocol):
    def turn_page(self, interaction: discord.Interaction, stance: str | None, page: int) -> Awaitable[None]: ...


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=PAGE_BUTTON_ID):
    pagers: ClassVar[dict[str, Pager]]

    def __init__(self, slug: str, stance: str | None, page: int, way: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=render.page_label(way),
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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(match["slug"], match["stance"] or None, int(match["page"]), match["way"])

    @answered
    async def callback(self, interaction: discord.Interaction) -> None:
        pager = self.pagers.get(self.slug)
        if pager is None:
            await reply(interaction, replies.theme_gone())
            return
        await pager.turn_page(interaction, self.stance, self.page)


class ThemeDirectory:
    """The theme cogs of one bot, by slug, and the button classes every theme shares: the page buttons
    (bound to this directory) and any `shared` ones (the discussion's reaction buttons).

    The button classes are registered while at least one theme is loaded.
    """

    def __init__(self, shared: Sequence[type[discord.ui.DynamicItem[Any]]] = ()) -> None:
        self.pagers: dict[str, Pager] = {}
        self.button: type[PageButton] = type(
            "BoundPageButton", (PageButton,), {"pagers": self.pagers}, template=PAGE_BUTTON_ID
        )
        self.items = (self.button, *shared)

    def join(self, bot: commands.Bot, slug: str, pager: Pager) -> None:
        if not self.pagers:
            bot.add_dynamic_items(*self.items)
        self.pagers[slug] = pager

    def leave(self, bot: commands.Bot, slug: str) -> None:
        self.pagers.pop(slug, None)
        if not self.pagers:
            bot.remove_dynamic_items(*self.items)

    def page_view(self, slug: str, stance: str | None, page: int, pages: int) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(self.button(slug, stance, max(page - 1, 0), "prev", disabled=page == 0))
        view.add_item(self.button(slug, stance, min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
        view.stop()
        return view
