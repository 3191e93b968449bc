"""The language words are shown in, and the gettext functions every renderer takes its words from.

Renderers write `_("Poll #{number} has closed.").format(number=...)`; which catalogue answers is
the language of the current context, set around each rendering with `with language("fr"):`
(a ContextVar, so each interaction's task has its own). English is the source text, so with no
catalogue installed every phrase reads as written. Adding a language means adding its catalogue
under `bot/locales/<key>/LC_MESSAGES/concord.mo`; nothing else changes.

It imports nothing of the project: settings, core and renderers may all use it.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "concord"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"

_current: ContextVar[str] = ContextVar("concord_language", default=DEFAULT_LANGUAGE)


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[lang], fallback=True)


def current_language() -> str:
    return _current.get()


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Render in `lang` inside the block (and in any task or thread started from it)."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """The message in the current language."""
    return _translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form (as many forms as the language has) for `count`."""
    return _translations(_current.get()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it yet (tables built at import time)."""
    return message
