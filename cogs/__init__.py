"""Thin Discord glue, one package per feature: each cog parses interactions, calls a service, the store or
the core, and hands the result to a renderer. Cogs are given the bot's Context; none imports the app."""

from __future__ import annotations

from discord.ext import commands

from bot.context import Context


async def load_cogs(bot: commands.Bot, ctx: Context) -> None:
    """One ThemeCog per configured theme, then the cross-theme cogs."""
    from cogs.digests import DigestCog
    from cogs.help import HelpCog
    from cogs.moderation import ModerationCog, ModerationService
    from cogs.mydata import MyDataCog
    from cogs.polls import PollCog
    from cogs.profile import ProfileCog
    from cogs.themes import DiscussService, ThemeCog, ThemeDirectory

    moderation = ModerationService(bot, ctx)
    discussion = DiscussService(ctx, moderation)
    directory = ThemeDirectory(shared=[discussion.button, discussion.report_button])
    for theme in ctx.settings.themes:
        await bot.add_cog(ThemeCog(bot, ctx, theme, directory, discussion))
    await bot.add_cog(ProfileCog(bot, ctx))
    await bot.add_cog(PollCog(bot, ctx))
    await bot.add_cog(DigestCog(bot, ctx))
    await bot.add_cog(ModerationCog(bot, ctx, moderation))
    await bot.add_cog(HelpCog(bot, ctx))
    await bot.add_cog(MyDataCog(bot, ctx))
