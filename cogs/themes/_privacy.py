"""The Chatham House rule as the theme commands apply it: which groups of a theme may be named."""

from __future__ import annotations

from bot.context import Context
from bot.core.privacy import group_sizes, shown_groups, threshold


async def theme_shown_groups(ctx: Context, guild_id: int, slug: str) -> frozenset[str] | None:
    """The stakeholder groups with enough participants in the theme to be named (bot/core/privacy.py);
    None under named attribution, where every group may be."""
    smallest = threshold(ctx.settings.privacy.attribution, ctx.settings.privacy.min_group)
    if smallest <= 1:
        return None
    return shown_groups(group_sizes(await ctx.store.stance_counts(guild_id, slug)), smallest)
