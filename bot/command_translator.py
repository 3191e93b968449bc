"""Discord's localisations of the slash commands, from the same catalogues as every reply.

Set on the tree (`tree.set_translator`) before the first sync. Descriptions of commands, groups and
options, and choice names, are given for each of Discord's locales in `COMMAND_LOCALES` (French, both
Spanish, Russian, both Chinese); command and option *names* are never translated, so everyone in the
room types the same `/gaps position`. A theme's words (its group's description, its stances) come from
the theme's translations in the configuration; everything else from the catalogue of that language.
"""

from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import _, language
from bot.languages import COMMAND_LOCALES
from bot.render.discord.limits import clip
from bot.settings import Settings

#: What a theme's group says of itself (the cog formats it with the theme's title).
THEME_GROUP = "Theme: {title}"
TRANSLATED = frozenset(
    {Where.command_description, Where.group_description, Where.parameter_description, Where.choice_name}
)
LIMIT = 100  # Discord's limit on a description and on a choice's name


class CatalogueTranslator(app_commands.Translator):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        lang = COMMAND_LOCALES.get(locale.value)
        if lang is None or context.location not in TRANSLATED:
            return None
        with language(lang):
            text = self._text(string)
        return clip(text, LIMIT) if text and text != string.message else None

    def _text(self, string: app_commands.locale_str) -> str | None:
        theme = self.settings.theme(str(string.extras.get("theme", "")))
        if theme is None:
            return _(string.message)
        if "stance" in string.extras:
            return theme.label(str(string.extras["stance"]))
        return _(THEME_GROUP).format(title=theme.title)
