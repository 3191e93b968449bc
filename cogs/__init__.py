"""Thin Discord glue: each cog parses interactions, calls the store or core, and hands results to render."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import ConcordBot


async def load_cogs(bot: ConcordBot) -> None:
    """One ThemeCog per configured theme, then the cross-theme cogs."""
    from cogs.digests import DigestCog
    from cogs.polls import PollCog
    from cogs.profile import ProfileCog
    from cogs.themes import ThemeCog

    for theme in bot.settings.themes:
        await bot.add_cog(ThemeCog(bot, theme))
    await bot.add_cog(ProfileCog(bot))
    await bot.add_cog(PollCog(bot))
    await bot.add_cog(DigestCog(bot))
