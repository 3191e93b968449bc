"""The six languages of the UN that Concord speaks, and which one a reply is written in.

Keys are the catalogues' (`bot/locales/<key>/`). Discord's clients offer French, Spanish (two), Russian
and Chinese (two) but no Arabic: Arabic is reached only by a member's own choice (`/profile language`).
Imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh")
DEFAULT = "en"

#: Each language's name in itself: the choices of `/profile language`, the same in every client.
NATIVE_NAMES: Mapping[str, str] = {
    "ar": "العربية",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ru": "Русский",
    "zh": "中文",
}

#: Written right to left.
RIGHT_TO_LEFT = frozenset({"ar"})

#: Discord's locales that command localisations are given for, and the catalogue each reads.
COMMAND_LOCALES: Mapping[str, str] = {
    "fr": "fr",
    "es-ES": "es",
    "es-419": "es",
    "ru": "ru",
    "zh-CN": "zh",
    "zh-TW": "zh",
}


def of_locale(locale: str | None) -> str | None:
    """The language of a Discord locale (`es-419` → `es`, `en-US` → `en`), None when it is not one of the six."""
    if not locale:
        return None
    key = locale.split("-")[0].lower()
    return key if key in LANGUAGES else None


def reply_language(own: str | None, client: str | None, server: str | None, forum: str) -> str:
    """The language a reply is written in: the member's own choice; else their client's locale; else the
    server's preferred locale (each when one of the six); else the forum's language."""
    if own in LANGUAGES:
        return own
    return of_locale(client) or of_locale(server) or forum


def direction(lang: str) -> str:
    """`rtl` or `ltr`, as HTML's `dir` attribute takes it."""
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def check_language(value: str) -> str:
    """A language key from the configuration, or ValueError naming the known ones."""
    if value not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; known: {', '.join(LANGUAGES)}")
    return value
